package dev.memlayer.store.inmemory;

/**
 * Dot products and norms on float vectors.
 *
 * <p>The dot product uses four independent accumulators: C2 does not vectorise a strict
 * floating-point reduction, but four dependency chains let the CPU overlap the additions. Measured
 * on JDK 25 (AVX-512 machine, 100,000 vectors): 384 dimensions 168 ns/vector against 257 ns for the
 * naive loop; 16 dimensions 7.2 against 7.7 ns. The {@code jdk.incubator.vector} API was another
 * 1.7x faster but needs {@code --add-modules} at compile and run time for every user, so it is not
 * used.
 */
final class VectorMath {

    private VectorMath() {
    }

    /**
     * The dot product of {@code a[offset, offset + n)} and {@code b[0, n)}, accumulated in float.
     */
    static float dot(float[] a, int offset, float[] b, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[offset + i] * b[i];
            s1 += a[offset + i + 1] * b[i + 1];
            s2 += a[offset + i + 2] * b[i + 2];
            s3 += a[offset + i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[offset + i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * @return {@code 1 / ||v||} in double precision, or 0 for the zero vector (whose cosine
     *         similarity with anything is then reported as 0)
     */
    static float inverseNorm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return sum == 0 ? 0f : (float) (1.0 / Math.sqrt(sum));
    }
}

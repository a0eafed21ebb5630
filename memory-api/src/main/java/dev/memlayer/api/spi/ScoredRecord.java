package dev.memlayer.api.spi;

/**
 * A search hit.
 *
 * @param record the stored record (its embedding may be null)
 * @param score  cosine similarity of the unit vectors, clamped to [0,1]: {@code max(0, min(1, q·v))};
 *               higher is more similar
 */
public record ScoredRecord(MemoryRecord record, double score) {

    /**
     * The one score formula every store reports (SPEC §3): cosine similarity of unit vectors,
     * clamped to [0,1]. Stores that compute a cosine distance {@code d = 1 - cos} pass
     * {@code 1 - d}.
     *
     * @param cosine the cosine similarity in [-1,1] (rounding may step slightly outside)
     * @return the similarity in [0,1]
     */
    public static double similarity(double cosine) {
        if (Double.isNaN(cosine)) {
            return 0;
        }
        return Math.max(0.0, Math.min(1.0, cosine));
    }

    /**
     * The reference score of two vectors of any length: their cosine similarity computed in double
     * precision ({@code a·b / (|a| |b|)}), clamped by {@link #similarity(double)}; 0 when either is
     * the zero vector. Stores that score in Java use this, so their scores equal the reference's up
     * to the rounding of the inputs.
     *
     * @param a a vector
     * @param b a vector of the same length
     * @return the similarity in [0,1]
     * @throws IllegalArgumentException when the lengths differ (callers check first and report
     *                                  their own typed error)
     */
    public static double similarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : similarity(dot / Math.sqrt(aa * bb));
    }
}

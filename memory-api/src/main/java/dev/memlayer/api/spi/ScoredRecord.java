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
}

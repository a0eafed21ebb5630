package dev.memlayer.benchmarks.data;

/** How a {@link Dataset}'s vectors are drawn. */
public enum Distribution {

    /**
     * Like sentence embeddings: 64 clusters (8 topics x 8 sub-topics; a sub-topic's centroid lies
     * halfway between its topic's random direction and its own); a vector is its cluster's centroid,
     * plus Gaussian noise of norm about 0.8 inside a 32-dimensional random subspace of the cluster,
     * plus isotropic noise of norm about 0.3, normalised. Vectors of one cluster have a cosine of
     * about 0.6, of one topic about 0.3, of different topics about 0. The default.
     */
    CLUSTERED,

    /**
     * Uniform on the unit sphere (independent standard normal components, normalised): no
     * structure at all, the hardest case for approximate (HNSW) search.
     */
    UNIFORM;

    /**
     * @param name {@code clustered} or {@code uniform}, any case
     * @return the distribution
     * @throws IllegalArgumentException for another name
     */
    public static Distribution parse(String name) {
        return valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
    }
}

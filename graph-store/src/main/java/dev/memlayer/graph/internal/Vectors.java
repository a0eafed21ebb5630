package dev.memlayer.graph.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.ScoredRecord;

/** Similarity of embeddings, as the stores report it. */
public final class Vectors {

    private Vectors() {
    }

    /**
     * Cosine similarity clamped to [0,1] ({@link ScoredRecord#similarity}), computed in double
     * precision; exact for vectors of any length (not only unit vectors).
     *
     * @throws ValidationException ({@link ErrorCode#DIMENSION_MISMATCH}) for vectors of different
     *                             lengths
     */
    public static double similarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new ValidationException(ErrorCode.DIMENSION_MISMATCH,
                    "a " + a.length + "-dimensional query against " + b.length
                            + "-dimensional entity embeddings; use the embedder the graph was written with");
        }
        return ScoredRecord.similarity(a, b);
    }

    /**
     * Converts Neo4j's normalised cosine score {@code (1 + cos) / 2} (of its vector indexes and of
     * {@code vector.similarity.cosine}) to memlayer's clamped cosine.
     */
    public static double fromNeo4jScore(double score) {
        return ScoredRecord.similarity(2 * score - 1);
    }

    /** The inverse of {@link #fromNeo4jScore}: memlayer's threshold as a Neo4j score. */
    public static double toNeo4jScore(double similarity) {
        return (1 + similarity) / 2;
    }
}

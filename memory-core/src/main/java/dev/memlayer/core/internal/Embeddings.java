package dev.memlayer.core.internal;

import dev.memlayer.api.LlmException;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's access to the {@link Embedder}: checks every vector's dimension against the vector
 * store's before anything is stored, and L2-normalises defensively (cosine = dot product needs unit
 * vectors, see {@link dev.memlayer.api.spi.ScoredRecord#similarity}).
 */
public final class Embeddings {

    private static final Logger LOG = LoggerFactory.getLogger(Embeddings.class);

    private final Embedder embedder;
    private final int dimensions;

    /**
     * @param embedder   the embedder
     * @param dimensions the dimension every vector must have (the vector store's)
     */
    public Embeddings(Embedder embedder, int dimensions) {
        this.embedder = embedder;
        this.dimensions = dimensions;
    }

    /** @return the expected dimension */
    public int dimensions() {
        return dimensions;
    }

    /**
     * @return the unit-length embedding of the text
     * @throws LlmException when the embedder fails or returns a vector of the wrong dimension
     */
    public float[] embed(String text, EmbeddingPurpose purpose) {
        float[] v;
        try {
            v = embedder.embed(text, purpose);
        } catch (MemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LlmException("The embedder failed: " + e.getMessage(), e);
        }
        return checked(v);
    }

    /**
     * @return one unit-length embedding per text, in order; empty for no texts
     * @throws LlmException when the embedder fails, returns the wrong number of vectors, or a vector
     *                      of the wrong dimension
     */
    public List<float[]> embedAll(List<String> texts, EmbeddingPurpose purpose) {
        if (texts.isEmpty()) {
            return List.of();
        }
        if (texts.size() == 1) {
            return List.of(embed(texts.get(0), purpose));
        }
        List<float[]> vectors;
        try {
            vectors = embedder.embedAll(texts, purpose);
        } catch (MemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LlmException("The embedder failed: " + e.getMessage(), e);
        }
        if (vectors == null || vectors.size() != texts.size()) {
            throw new LlmException("The embedder returned " + (vectors == null ? "no" : vectors.size())
                    + " vectors for " + texts.size() + " texts; nothing was stored");
        }
        List<float[]> out = new ArrayList<>(vectors.size());
        for (float[] v : vectors) {
            out.add(checked(v));
        }
        return out;
    }

    private float[] checked(float[] v) {
        if (v == null) {
            throw new LlmException("The embedder returned no vector; nothing was stored");
        }
        if (v.length != dimensions) {
            throw new LlmException("The embedder returned a vector of " + v.length + " dimensions but the vector store holds "
                    + dimensions + "; configure an embedding model with " + dimensions
                    + " dimensions (or a store created for " + v.length + "). Nothing was stored");
        }
        return normalise(v);
    }

    /**
     * L2-normalises a vector (a copy when it changes). A zero vector is returned as it is (it is
     * similar to nothing).
     *
     * @throws LlmException for a vector holding NaN or infinity
     */
    public static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (Double.isNaN(sum) || Double.isInfinite(sum)) {
            throw new LlmException("The embedder returned a vector with NaN or infinite values; nothing was stored");
        }
        if (sum == 0) {
            LOG.warn("The embedder returned a zero vector; it will match nothing in similarity search");
            return v;
        }
        double norm = Math.sqrt(sum);
        if (Math.abs(norm - 1.0) < 1e-6) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}

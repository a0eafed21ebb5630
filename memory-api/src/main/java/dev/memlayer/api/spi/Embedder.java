package dev.memlayer.api.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a dense vector. Implementations must be thread-safe.
 *
 * <p>Vectors returned by an embedder are expected to be L2-normalised (unit length), so that the
 * cosine similarity of two vectors equals their dot product. The engine re-normalises defensively,
 * but stores should be able to rely on unit vectors.
 */
public interface Embedder {

    /**
     * The length of every vector this embedder returns.
     *
     * @return the number of dimensions, at least 1
     */
    int dimensions();

    /**
     * Embeds one text.
     *
     * @param text    the text, not null and not blank
     * @param purpose why the text is embedded, not null
     * @return a new vector of length {@link #dimensions()}
     * @throws dev.memlayer.api.ValidationException if the text is null or blank
     * @throws dev.memlayer.api.LlmException        if a remote embedding service failed
     */
    float[] embed(String text, EmbeddingPurpose purpose);

    /**
     * Embeds several texts. The default calls {@link #embed} once per text; implementations that
     * can batch (one HTTP request, one ONNX run) should override it.
     *
     * @param texts   the texts, none null or blank; may be empty
     * @param purpose why the texts are embedded
     * @return one vector per text, in the same order
     */
    default List<float[]> embedAll(List<String> texts, EmbeddingPurpose purpose) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(embed(text, purpose));
        }
        return out;
    }
}

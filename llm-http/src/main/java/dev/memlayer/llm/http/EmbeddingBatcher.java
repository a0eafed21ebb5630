package dev.memlayer.llm.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an HTTP {@code Embedder} does around its provider's request, shared by the providers'
 * embedders: it checks the texts, puts the configured prefix before them, cuts them into batches of
 * {@link HttpModelSettings#embeddingBatchSize()} texts sent one after another, and joins the
 * answers in input order; it learns the vector length from one probe request when the model's size
 * is not known; and it checks and L2-normalises each returned vector.
 *
 * <p>The provider supplies only the request for one batch (a {@link BatchCall}). Thread-safe when
 * the call is.
 */
public final class EmbeddingBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBatcher.class);

    /** The text of the request that learns the vector length of a model of unknown size. */
    public static final String PROBE_TEXT = "dimension probe";

    /** One embedding request of the provider. */
    @FunctionalInterface
    public interface BatchCall {

        /**
         * Embeds one batch.
         *
         * @param texts              1 to {@link HttpModelSettings#embeddingBatchSize()} texts, prefixes
         *                           already applied, never blank
         * @param expectedDimensions the length every vector must have (check it with
         *                           {@link EmbeddingBatcher#vector}), or 0 for the probe request
         * @return one vector per text, in the order of {@code texts}
         * @throws LlmException when the request fails or the answer is malformed
         */
        List<float[]> embed(List<String> texts, int expectedDimensions);
    }

    private final HttpModelSettings settings;
    private final String configName;
    private final String dimensionsVariable;
    private final BatchCall call;
    private volatile int dimensions;

    /**
     * Creates the batcher; sends nothing.
     *
     * @param settings           the provider's settings (batch size, prefixes, model, dimensions)
     * @param configName         the settings' type, for messages, e.g. {@code "OllamaConfig"}
     * @param dimensionsVariable the environment variable of the embedding length, for messages,
     *                           e.g. {@code "MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS"}
     * @param call               the provider's request for one batch
     * @throws NullPointerException when an argument is null
     */
    public EmbeddingBatcher(HttpModelSettings settings, String configName, String dimensionsVariable, BatchCall call) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.configName = Objects.requireNonNull(configName, "configName");
        this.dimensionsVariable = Objects.requireNonNull(dimensionsVariable, "dimensionsVariable");
        this.call = Objects.requireNonNull(call, "call");
        this.dimensions = settings.knownEmbeddingDimensions().orElse(0);
    }

    /**
     * @return the vector length: {@link HttpModelSettings#knownEmbeddingDimensions()}, or else the
     *         length of the answer to one probe request ({@link #PROBE_TEXT}, sent on the first call
     *         only, remembered after)
     * @throws LlmException when the probe fails
     */
    public int dimensions() {
        int d = dimensions;
        if (d > 0) {
            return d;
        }
        synchronized (this) {
            if (dimensions == 0) {
                float[] probe = call.embed(List.of(PROBE_TEXT), 0).getFirst();
                dimensions = probe.length;
                LOG.info("Embedding model '{}' at {} returns {}-dimensional vectors (learnt from a probe; set "
                        + "embeddingDimensions to skip it)", settings.embeddingModel(), settings.baseUrl(), probe.length);
            }
            return dimensions;
        }
    }

    /**
     * @param text        the text, not blank
     * @param searchQuery chooses the prefix, as for {@link #embedAll}
     * @return its vector, as {@link #embedAll} returns it
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a null or blank text
     * @throws LlmException        when the request fails
     */
    public float[] embed(String text, boolean searchQuery) {
        return embedAll(List.of(requireText(text)), searchQuery).getFirst();
    }

    /**
     * Embeds the texts: every text is checked before anything is sent, the prefix
     * ({@link HttpModelSettings#embeddingQueryPrefix()} for search queries,
     * {@link HttpModelSettings#embeddingDocumentPrefix()} otherwise) is put before each, and the
     * batches are sent in order, one at a time, after the vector length is known.
     *
     * @param texts       the texts, none blank; an empty list sends nothing
     * @param searchQuery true when the texts are search queries (the {@code SEARCH} embedding
     *                    purpose), false when they are memories to store
     * @return one vector per text, in input order; a new list, modifiable unless empty
     * @throws ValidationException  ({@link ErrorCode#INVALID_ARGUMENT}) for a null or blank text
     * @throws LlmException         when a request fails; nothing is returned then
     * @throws NullPointerException when texts is null
     */
    public List<float[]> embedAll(List<String> texts, boolean searchQuery) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        String prefix = searchQuery ? settings.embeddingQueryPrefix() : settings.embeddingDocumentPrefix();
        List<String> inputs = new ArrayList<>(texts.size());
        for (String text : texts) {
            requireText(text);
            inputs.add(prefix == null ? text : prefix + text);
        }
        int expected = dimensions();
        int batchSize = settings.embeddingBatchSize();
        List<float[]> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            out.addAll(call.embed(inputs.subList(from, Math.min(inputs.size(), from + batchSize)), expected));
        }
        return out;
    }

    /**
     * Reads one returned embedding: checks its length, then scales it to unit L2 norm (unless its
     * norm is 0, or already 1 within 1e-6 of the squared norm).
     *
     * @param what               the request, for messages, e.g. "Ollama embed (model x, 3 texts)"
     * @param embedding          a JSON array of numbers
     * @param expectedDimensions the length it must have, or 0 for any (the probe)
     * @param malformed          makes the provider's exception for a malformed answer from a
     *                           description of the problem
     * @return the vector as floats
     * @throws LlmException when the length is not the expected one (the message names both sizes and
     *                      the setting to change), or, from {@code malformed}, when the array is
     *                      empty or holds a non-number
     */
    public float[] vector(String what, JsonNode embedding, int expectedDimensions, Function<String, LlmException> malformed) {
        if (expectedDimensions > 0 && embedding.size() != expectedDimensions) {
            throw new LlmException(what + " failed: the model returned " + embedding.size()
                    + "-dimensional vectors, but " + expectedDimensions + " dimensions are expected"
                    + (settings.embeddingDimensions() != null ? " (" + configName + ".embeddingDimensions)"
                    : " (the known size of " + settings.embeddingModel() + ")")
                    + ". Set embeddingDimensions (" + dimensionsVariable + ") to the model's real size,"
                    + " or choose the embedding model the vector store was created with.");
        }
        float[] v = new float[embedding.size()];
        if (v.length == 0) {
            throw malformed.apply("an embedding is empty");
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            JsonNode x = embedding.get(i);
            if (!x.isNumber()) {
                throw malformed.apply("an embedding holds a non-number " + x);
            }
            v[i] = (float) x.asDouble();
            sum += (double) v[i] * v[i];
        }
        if (sum > 0 && Math.abs(sum - 1.0) > 1e-6) {
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    private static String requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "Cannot embed a null or blank text");
        }
        return text;
    }
}

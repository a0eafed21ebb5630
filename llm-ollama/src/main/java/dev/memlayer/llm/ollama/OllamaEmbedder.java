package dev.memlayer.llm.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.llm.http.JsonHttpClient;
import dev.memlayer.llm.ollama.internal.OllamaApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Embedder} over Ollama's batch embedding API ({@code POST {baseUrl}/api/embed} with
 * {@code "input": [...]}; answer {@code {"model", "embeddings": [[...], ...]}} in input order).
 *
 * <p>Texts are sent in batches of {@link OllamaConfig#embeddingBatchSize()}, with
 * {@code keep_alive} and (when {@link OllamaConfig#sendEmbeddingDimensions()}) {@code dimensions}.
 * Vectors are L2-normalised. Every vector's length is checked against {@link #dimensions()}: a
 * mismatch is an {@link LlmException} naming both sizes.
 *
 * <p>{@link #dimensions()} is {@link OllamaConfig#embeddingDimensions()} if set, else the model's
 * known size (nomic-embed-text 768, mxbai-embed-large 1024, all-minilm 384, ...); for other models
 * it is learnt from one probe request on first use.
 *
 * <p>Thread-safe. Creating one opens no connection; {@link #close()} releases the HTTP client.
 */
public final class OllamaEmbedder implements Embedder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OllamaEmbedder.class);
    private static final String MODEL_SETTING = "OllamaConfig.embeddingModel / MEMLAYER_OLLAMA_EMBEDDING_MODEL";

    private final OllamaConfig config;
    private final OllamaApi api;
    private volatile int dimensions;

    /** @param config the settings */
    public OllamaEmbedder(OllamaConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.api = new OllamaApi(config);
        this.dimensions = config.knownEmbeddingDimensions().orElse(0);
    }

    /** @return the settings this embedder uses */
    public OllamaConfig config() {
        return config;
    }

    /**
     * @return the vector length; for a model of unknown size without configured dimensions, the
     *         first call sends one probe request
     * @throws LlmException when the probe fails
     */
    @Override
    public int dimensions() {
        int d = dimensions;
        if (d > 0) {
            return d;
        }
        synchronized (this) {
            if (dimensions == 0) {
                float[] probe = request(List.of("dimension probe"), 0).getFirst();
                dimensions = probe.length;
                LOG.info("Ollama embedding model '{}' at {} returns {}-dimensional vectors (learnt from a probe; set "
                        + "embeddingDimensions to skip it)", config.embeddingModel(), config.baseUrl(), probe.length);
            }
            return dimensions;
        }
    }

    @Override
    public float[] embed(String text, EmbeddingPurpose purpose) {
        return embedAll(List.of(requireText(text)), purpose).getFirst();
    }

    /**
     * Embeds the texts in batches of {@link OllamaConfig#embeddingBatchSize()}.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a null or blank text
     * @throws LlmException        when Ollama fails after bounded retries, answers with the wrong
     *                             number of vectors, or with vectors of the wrong dimension
     */
    @Override
    public List<float[]> embedAll(List<String> texts, EmbeddingPurpose purpose) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(purpose, "purpose");
        if (texts.isEmpty()) {
            return List.of();
        }
        String prefix = purpose == EmbeddingPurpose.SEARCH ? config.embeddingQueryPrefix() : config.embeddingDocumentPrefix();
        List<String> inputs = new ArrayList<>(texts.size());
        for (String text : texts) {
            requireText(text);
            inputs.add(prefix == null ? text : prefix + text);
        }
        int expected = dimensions();
        List<float[]> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += config.embeddingBatchSize()) {
            out.addAll(request(inputs.subList(from, Math.min(inputs.size(), from + config.embeddingBatchSize())), expected));
        }
        return out;
    }

    private List<float[]> request(List<String> batch, int expectedDimensions) {
        ObjectNode body = JsonHttpClient.MAPPER.createObjectNode();
        body.put("model", config.embeddingModel());
        ArrayNode input = body.putArray("input");
        batch.forEach(input::add);
        if (config.sendEmbeddingDimensions()) {
            body.put("dimensions", config.embeddingDimensions());
        }
        if (config.keepAlive() != null) {
            body.put("keep_alive", config.keepAlive());
        }
        String what = "Ollama embed (model " + config.embeddingModel() + ", " + batch.size()
                + (batch.size() == 1 ? " text)" : " texts)");
        JsonNode answer = api.post(what, "/api/embed", body, config.embeddingModel(), MODEL_SETTING);
        JsonNode embeddings = answer.get("embeddings");
        if (embeddings == null || !embeddings.isArray()) {
            throw malformed(what, "no embeddings array", answer);
        }
        if (embeddings.size() != batch.size()) {
            throw new LlmException(what + " failed: Ollama returned " + embeddings.size() + " embeddings for "
                    + batch.size() + " inputs");
        }
        List<float[]> out = new ArrayList<>(batch.size());
        for (int i = 0; i < embeddings.size(); i++) {
            JsonNode embedding = embeddings.get(i);
            if (!embedding.isArray()) {
                throw malformed(what, "embeddings[" + i + "] is not an array", answer);
            }
            if (expectedDimensions > 0 && embedding.size() != expectedDimensions) {
                throw new LlmException(what + " failed: the model returned " + embedding.size()
                        + "-dimensional vectors, but " + expectedDimensions + " dimensions are expected"
                        + (config.embeddingDimensions() != null ? " (OllamaConfig.embeddingDimensions)"
                        : " (the known size of " + config.embeddingModel() + ")")
                        + ". Set embeddingDimensions (MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS) to the model's real size,"
                        + " or choose the embedding model the vector store was created with.");
            }
            out.add(normalise(embedding, what, answer));
        }
        return out;
    }

    private float[] normalise(JsonNode embedding, String what, JsonNode answer) {
        float[] v = new float[embedding.size()];
        if (v.length == 0) {
            throw malformed(what, "an embedding is empty", answer);
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            JsonNode x = embedding.get(i);
            if (!x.isNumber()) {
                throw malformed(what, "an embedding holds a non-number " + x, answer);
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

    private LlmException malformed(String what, String problem, JsonNode answer) {
        return new LlmException(what + " failed: the answer from " + api.uri("/api/embed")
                + " is not an embed response (" + problem + "): " + JsonHttpClient.snippet(answer.toString()));
    }

    private static String requireText(String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "Cannot embed a null or blank text");
        }
        return text;
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        api.close();
    }

    @Override
    public String toString() {
        return "OllamaEmbedder[" + config.embeddingModel() + " at " + config.baseUrl() + "]";
    }
}

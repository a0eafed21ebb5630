package dev.memlayer.llm.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.llm.http.EmbeddingBatcher;
import dev.memlayer.llm.http.JsonHttpClient;
import dev.memlayer.llm.ollama.internal.OllamaApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    private static final String MODEL_SETTING = "OllamaConfig.embeddingModel / MEMLAYER_OLLAMA_EMBEDDING_MODEL";

    private final OllamaConfig config;
    private final OllamaApi api;
    private final EmbeddingBatcher batcher;

    /** @param config the settings */
    public OllamaEmbedder(OllamaConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.api = new OllamaApi(config);
        this.batcher = new EmbeddingBatcher(config, "OllamaConfig", "MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS", this::request);
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
        return batcher.dimensions();
    }

    @Override
    public float[] embed(String text, EmbeddingPurpose purpose) {
        return batcher.embed(text, isSearch(purpose));
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
        return batcher.embedAll(texts, isSearch(purpose));
    }

    private static boolean isSearch(EmbeddingPurpose purpose) {
        return Objects.requireNonNull(purpose, "purpose") == EmbeddingPurpose.SEARCH;
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
            out.add(batcher.vector(what, embedding, expectedDimensions, problem -> malformed(what, problem, answer)));
        }
        return out;
    }

    private LlmException malformed(String what, String problem, JsonNode answer) {
        return new LlmException(what + " failed: the answer from " + api.uri("/api/embed")
                + " is not an embed response (" + problem + "): " + JsonHttpClient.snippet(answer.toString()));
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

package dev.memlayer.llm.openai;

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
import dev.memlayer.llm.openai.internal.OpenAiApi;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Embedder} over OpenAI's Embeddings API ({@code POST {baseUrl}/embeddings}), for OpenAI
 * and any OpenAI-compatible server.
 *
 * <p>Texts are sent in batches of up to {@link OpenAiConfig#embeddingBatchSize()} inputs (the API
 * accepts at most 2048), with {@code dimensions} when {@link OpenAiConfig#sendsEmbeddingDimensions()}.
 * Answers ({@code data[].embedding}, {@code data[].index}) are put back in input order and
 * L2-normalised. Every vector's length is checked against {@link #dimensions()}: a mismatch is an
 * {@link LlmException} that names both sizes, before the caller can store anything.
 *
 * <p>{@link #dimensions()} is {@link OpenAiConfig#embeddingDimensions()} if set, else the model's
 * known native size (text-embedding-3-small 1536, -3-large 3072, ada-002 1536); for other models it
 * is learnt from one probe request on first use.
 *
 * <p>Thread-safe. Creating one opens no connection; {@link #close()} releases the HTTP client.
 */
public final class OpenAiEmbedder implements Embedder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbedder.class);
    private static final String MODEL_SETTING = "OpenAiConfig.embeddingModel / MEMLAYER_OPENAI_EMBEDDING_MODEL";

    private final OpenAiConfig config;
    private final OpenAiApi api;
    private final EmbeddingBatcher batcher;

    /**
     * @param config the settings
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) when the public OpenAI
     *                             endpoint is configured without an API key
     */
    public OpenAiEmbedder(OpenAiConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.api = new OpenAiApi(config);
        this.batcher = new EmbeddingBatcher(config, "OpenAiConfig", "MEMLAYER_OPENAI_EMBEDDING_DIMENSIONS", this::request);
    }

    /** @return the settings this embedder uses */
    public OpenAiConfig config() {
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
     * Embeds the texts in batches of {@link OpenAiConfig#embeddingBatchSize()}.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a null or blank text
     * @throws LlmException        when the server fails after bounded retries, answers with the wrong
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
        if (config.sendsEmbeddingDimensions()) {
            body.put("dimensions", config.embeddingDimensions());
        }
        String what = "OpenAI embeddings (model " + config.embeddingModel() + ", " + batch.size()
                + (batch.size() == 1 ? " text)" : " texts)");
        JsonNode answer = api.post(what, "/embeddings", body, config.embeddingModel(), MODEL_SETTING);
        JsonNode data = answer.get("data");
        if (data == null || !data.isArray()) {
            throw malformed(what, "no data array", answer);
        }
        if (data.size() != batch.size()) {
            throw new LlmException(what + " failed: the server returned " + data.size() + " embeddings for "
                    + batch.size() + " inputs");
        }
        float[][] vectors = new float[batch.size()][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            JsonNode embedding = item.get("embedding");
            if (embedding == null || !embedding.isArray()) {
                throw malformed(what, "data[" + i + "] has no embedding array"
                        + (embedding != null && embedding.isTextual() ? " (base64? only float embeddings are read)" : ""), answer);
            }
            int index = item.hasNonNull("index") ? item.get("index").asInt(-1) : i;
            if (index < 0 || index >= vectors.length || vectors[index] != null) {
                throw malformed(what, "data[" + i + "] has an invalid or repeated index " + item.get("index"), answer);
            }
            vectors[index] = batcher.vector(what, embedding, expectedDimensions, problem -> malformed(what, problem, answer));
        }
        JsonNode usage = answer.get("usage");
        if (LOG.isDebugEnabled() && usage != null) {
            LOG.debug("{}: {} prompt tokens", what, usage.path("prompt_tokens").asLong());
        }
        return List.of(vectors);
    }

    private LlmException malformed(String what, String problem, JsonNode answer) {
        return new LlmException(what + " failed: the answer from " + api.uri("/embeddings")
                + " is not an embeddings list (" + problem + "): " + JsonHttpClient.snippet(answer.toString()));
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        api.close();
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder[" + config.embeddingModel() + " at " + config.baseUrl() + "]";
    }
}

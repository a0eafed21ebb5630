package dev.memlayer.llm.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The settings every HTTP model provider has, whatever its API: where the server is, the models,
 * the embedding batching, and the timeouts and retries. Implemented by the providers' configuration
 * records ({@code OpenAiConfig}, {@code OllamaConfig}), whose Javadoc gives each provider's
 * defaults and ranges; built with a {@link HttpModelSettingsBuilder}.
 */
public interface HttpModelSettings {

    /** @return the server's base URL without a trailing slash, never null */
    URI baseUrl();

    /** @return the API key or bearer token, or null for none */
    String apiKey();

    /** @return extra headers sent with every request, never null */
    Map<String, String> headers();

    /** @return the chat model's name, never blank */
    String chatModel();

    /** @return the sampling temperature, or null for the server's default */
    Double temperature();

    /** @return the answer's token limit, or null for the server's default */
    Integer maxTokens();

    /** @return the embedding model's name, never blank */
    String embeddingModel();

    /** @return the configured embedding length, at least 1, or null for the model's own */
    Integer embeddingDimensions();

    /**
     * @return {@link #embeddingDimensions()} if set, else the provider's known size of
     *         {@link #embeddingModel()}, else empty (learnt from a probe request)
     */
    OptionalInt knownEmbeddingDimensions();

    /** @return the number of texts per embedding request, at least 1 */
    int embeddingBatchSize();

    /** @return the text put before search queries before embedding, or null */
    String embeddingQueryPrefix();

    /** @return the text put before memory texts before embedding, or null */
    String embeddingDocumentPrefix();

    /** @return the TCP/TLS connect timeout, positive */
    Duration connectTimeout();

    /** @return the timeout of one HTTP attempt, positive */
    Duration requestTimeout();

    /** @return the retries after the first attempt, 0 to {@value ConfigValues#MAX_RETRIES} */
    int maxRetries();

    /** @return the base wait before the first retry, positive */
    Duration initialBackoff();

    /** @return the cap of one computed wait, at least {@link #initialBackoff()} */
    Duration maxBackoff();

    /** @return the deadline of one call, all attempts and waits included, positive */
    Duration totalTimeout();
}

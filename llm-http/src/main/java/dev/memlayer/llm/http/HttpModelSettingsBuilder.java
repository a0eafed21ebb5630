package dev.memlayer.llm.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The setters of the {@link HttpModelSettings} every provider configuration has, shared by the
 * providers' builders ({@code OpenAiConfig.Builder}, {@code OllamaConfig.Builder}), which add their
 * own settings and {@code build()}. The setters only record values: the configuration's
 * constructor checks them when {@code build()} is called.
 *
 * <p>Defaults not given to the constructor: no API key, no extra headers, no token limit, no fixed
 * embedding length, no embedding prefixes, a connect timeout of 10 s, 2 retries, an initial backoff
 * of 500 ms and a maximum backoff of 8 s.
 *
 * <p>Designed for extension by the provider modules only. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract class HttpModelSettingsBuilder<B extends HttpModelSettingsBuilder<B>> {

    /** The API key, or null. */
    protected String apiKey;
    /** Extra headers in insertion order, never null. */
    protected final Map<String, String> headers = new LinkedHashMap<>();
    /** The chat model. */
    protected String chatModel;
    /** The sampling temperature, or null. */
    protected Double temperature;
    /** The answer's token limit, or null. */
    protected Integer maxTokens;
    /** The embedding model. */
    protected String embeddingModel;
    /** The embedding length, or null. */
    protected Integer embeddingDimensions;
    /** Texts per embedding request. */
    protected int embeddingBatchSize;
    /** The search query prefix, or null. */
    protected String embeddingQueryPrefix;
    /** The memory text prefix, or null. */
    protected String embeddingDocumentPrefix;
    /** The connect timeout. */
    protected Duration connectTimeout = Duration.ofSeconds(10);
    /** The timeout of one attempt. */
    protected Duration requestTimeout;
    /** Retries after the first attempt. */
    protected int maxRetries = 2;
    /** The base wait before the first retry. */
    protected Duration initialBackoff = Duration.ofMillis(500);
    /** The cap of one computed wait. */
    protected Duration maxBackoff = Duration.ofSeconds(8);
    /** The deadline of one call. */
    protected Duration totalTimeout;

    /**
     * @param chatModel          the provider's default chat model
     * @param temperature        the provider's default temperature, or null
     * @param embeddingModel     the provider's default embedding model
     * @param embeddingBatchSize the provider's default texts per embedding request
     * @param requestTimeout     the provider's default timeout of one attempt
     * @param totalTimeout       the provider's default deadline of one call
     */
    protected HttpModelSettingsBuilder(String chatModel, Double temperature, String embeddingModel, int embeddingBatchSize,
                                       Duration requestTimeout, Duration totalTimeout) {
        this.chatModel = chatModel;
        this.temperature = temperature;
        this.embeddingModel = embeddingModel;
        this.embeddingBatchSize = embeddingBatchSize;
        this.requestTimeout = requestTimeout;
        this.totalTimeout = totalTimeout;
    }

    /**
     * Copies every shared setting (for a configuration's {@code toBuilder()}); headers are added to
     * those already set.
     *
     * @param settings the settings to copy
     * @return this builder
     */
    protected final B copyFrom(HttpModelSettings settings) {
        Objects.requireNonNull(settings, "settings");
        apiKey = settings.apiKey();
        headers.putAll(settings.headers());
        chatModel = settings.chatModel();
        temperature = settings.temperature();
        maxTokens = settings.maxTokens();
        embeddingModel = settings.embeddingModel();
        embeddingDimensions = settings.embeddingDimensions();
        embeddingBatchSize = settings.embeddingBatchSize();
        embeddingQueryPrefix = settings.embeddingQueryPrefix();
        embeddingDocumentPrefix = settings.embeddingDocumentPrefix();
        connectTimeout = settings.connectTimeout();
        requestTimeout = settings.requestTimeout();
        maxRetries = settings.maxRetries();
        initialBackoff = settings.initialBackoff();
        maxBackoff = settings.maxBackoff();
        totalTimeout = settings.totalTimeout();
        return self();
    }

    /**
     * @param value the API key or bearer token; null or blank for none
     * @return this builder
     */
    public B apiKey(String value) {
        apiKey = value;
        return self();
    }

    /**
     * Adds a header sent with every request (replacing an earlier one of the same name).
     *
     * @param name  the header name
     * @param value the header value
     * @return this builder
     */
    public B header(String name, String value) {
        headers.put(name, value);
        return self();
    }

    /**
     * @param value the chat model's name, not blank
     * @return this builder
     */
    public B chatModel(String value) {
        chatModel = value;
        return self();
    }

    /**
     * @param value the sampling temperature, or null for the server's default
     * @return this builder
     */
    public B temperature(Double value) {
        temperature = value;
        return self();
    }

    /**
     * @param value the answer's token limit, or null for the server's default
     * @return this builder
     */
    public B maxTokens(Integer value) {
        maxTokens = value;
        return self();
    }

    /**
     * @param value the embedding model's name, not blank
     * @return this builder
     */
    public B embeddingModel(String value) {
        embeddingModel = value;
        return self();
    }

    /**
     * @param value the length of every embedding, at least 1, or null for the model's own
     * @return this builder
     */
    public B embeddingDimensions(Integer value) {
        embeddingDimensions = value;
        return self();
    }

    /**
     * @param value texts per embedding request, at least 1 (the provider sets the maximum)
     * @return this builder
     */
    public B embeddingBatchSize(int value) {
        embeddingBatchSize = value;
        return self();
    }

    /**
     * @param value put before search queries before embedding, or null/empty for none
     * @return this builder
     */
    public B embeddingQueryPrefix(String value) {
        embeddingQueryPrefix = value;
        return self();
    }

    /**
     * @param value put before memory texts before embedding, or null/empty for none
     * @return this builder
     */
    public B embeddingDocumentPrefix(String value) {
        embeddingDocumentPrefix = value;
        return self();
    }

    /**
     * @param value the TCP/TLS connect timeout, positive
     * @return this builder
     */
    public B connectTimeout(Duration value) {
        connectTimeout = value;
        return self();
    }

    /**
     * @param value the timeout of one HTTP attempt until the answer is read, positive
     * @return this builder
     */
    public B requestTimeout(Duration value) {
        requestTimeout = value;
        return self();
    }

    /**
     * @param value retries after the first attempt on 429, 5xx, connection errors and timeouts,
     *              0 to {@value ConfigValues#MAX_RETRIES}
     * @return this builder
     */
    public B maxRetries(int value) {
        maxRetries = value;
        return self();
    }

    /**
     * @param value the base wait before the first retry (doubled each retry, with jitter), positive
     * @return this builder
     */
    public B initialBackoff(Duration value) {
        initialBackoff = value;
        return self();
    }

    /**
     * @param value the cap of one computed wait, at least the initial backoff
     * @return this builder
     */
    public B maxBackoff(Duration value) {
        maxBackoff = value;
        return self();
    }

    /**
     * @param value the deadline of one call, all attempts and waits included, positive
     * @return this builder
     */
    public B totalTimeout(Duration value) {
        totalTimeout = value;
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}

package dev.memlayer.llm.ollama;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Settings of {@link OllamaLanguageModel} and {@link OllamaEmbedder}: where the Ollama server is,
 * which models to use, generation options, and how to retry.
 *
 * <p>Build with {@link #builder()} or read the environment with {@link #fromEnv()}.
 *
 * @param baseUrl                 the server root without a trailing slash, e.g.
 *                                {@code http://localhost:11434}; {@code /api/chat} and
 *                                {@code /api/embed} are appended
 * @param apiKey                  a bearer token for servers behind an authenticating proxy (or
 *                                Ollama's hosted API), or null
 * @param headers                 extra headers sent with every request, never null
 * @param chatModel               the chat model, e.g. {@code llama3.1} or {@code qwen3:8b}
 * @param temperature             {@code options.temperature} (default 0.1), or null for the model's
 *                                default; a {@code ChatRequest}'s own temperature wins
 * @param numCtx                  {@code options.num_ctx}, the context window in tokens, or null for
 *                                the server's default (Ollama's default is small: raise it for long
 *                                conversations)
 * @param maxTokens               {@code options.num_predict}, the answer's token limit, or null;
 *                                a {@code ChatRequest}'s own limit wins
 * @param options                 further {@code options} sent with chat calls ({@code top_p},
 *                                {@code seed}, {@code num_gpu}, ...; see Ollama's Modelfile
 *                                parameters), never null
 * @param keepAlive               {@code keep_alive}: how long the model stays loaded after a call
 *                                ({@code "5m"}, {@code "1h"}, {@code "-1"} for ever, {@code "0"} to
 *                                unload), or null for the server's default (5 minutes)
 * @param think                   {@code think} for thinking models (true: the reasoning comes back
 *                                apart from the content and is dropped; false: no reasoning), or
 *                                null to leave the model's default
 * @param jsonSchemaSupported     whether {@code format} JSON schemas are used (structured outputs,
 *                                Ollama 0.5 and later); default true
 * @param embeddingModel          the embedding model, e.g. {@code nomic-embed-text}
 * @param embeddingDimensions     the length of every embedding, or null for the model's known size
 *                                (or, for unknown models, the size of a first probe)
 * @param sendEmbeddingDimensions whether to send {@code dimensions} to {@code /api/embed} (models
 *                                that can shorten their vectors); default false
 * @param embeddingBatchSize      texts per {@code /api/embed} request, 1 to 2048
 * @param embeddingQueryPrefix    prepended to search queries before embedding (Nomic:
 *                                {@code "search_query: "}), or null
 * @param embeddingDocumentPrefix prepended to memory texts before embedding (Nomic:
 *                                {@code "search_document: "}), or null
 * @param connectTimeout          TCP connect timeout, positive
 * @param requestTimeout          timeout of one HTTP attempt until the answer is read (includes
 *                                loading the model on the first call), positive
 * @param maxRetries              retries after the first attempt on 429, 5xx, connection errors and
 *                                timeouts, 0 to 10
 * @param initialBackoff          base wait before the first retry (doubled each retry, with jitter)
 * @param maxBackoff              cap of one computed wait
 * @param totalTimeout            deadline of one call, all attempts and waits included
 */
public record OllamaConfig(
        URI baseUrl,
        String apiKey,
        Map<String, String> headers,
        String chatModel,
        Double temperature,
        Integer numCtx,
        Integer maxTokens,
        Map<String, Object> options,
        String keepAlive,
        Boolean think,
        boolean jsonSchemaSupported,
        String embeddingModel,
        Integer embeddingDimensions,
        boolean sendEmbeddingDimensions,
        int embeddingBatchSize,
        String embeddingQueryPrefix,
        String embeddingDocumentPrefix,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration totalTimeout) {

    /** Ollama's default address. */
    public static final URI DEFAULT_BASE_URL = URI.create("http://localhost:11434");
    /** Ollama's default port. */
    public static final int DEFAULT_PORT = 11434;
    /** The default chat model (supports tools and structured outputs). */
    public static final String DEFAULT_CHAT_MODEL = "llama3.1";
    /** The default embedding model (768 dimensions; Mem0's default for Ollama). */
    public static final String DEFAULT_EMBEDDING_MODEL = "nomic-embed-text";
    /** The default sampling temperature (low, for repeatable extraction). */
    public static final double DEFAULT_TEMPERATURE = 0.1;
    /** The largest accepted {@link #embeddingBatchSize()}. */
    public static final int MAX_EMBEDDING_BATCH = 2048;

    private static final Map<String, Integer> KNOWN_EMBEDDING_DIMENSIONS = Map.of(
            "nomic-embed-text", 768,
            "mxbai-embed-large", 1024,
            "all-minilm", 384,
            "bge-m3", 1024,
            "bge-large", 1024,
            "embeddinggemma", 768);

    public OllamaConfig {
        baseUrl = normaliseBaseUrl(baseUrl);
        apiKey = blankToNull(apiKey);
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
        keepAlive = blankToNull(keepAlive);
        embeddingQueryPrefix = emptyToNull(embeddingQueryPrefix);
        embeddingDocumentPrefix = emptyToNull(embeddingDocumentPrefix);
        chatModel = require(blankToNull(chatModel), "chatModel");
        embeddingModel = require(blankToNull(embeddingModel), "embeddingModel");
        if (temperature != null && (temperature < 0 || temperature.isNaN() || temperature.isInfinite())) {
            throw invalid("temperature must be at least 0, got " + temperature);
        }
        if (numCtx != null && numCtx < 1) {
            throw invalid("numCtx must be at least 1, got " + numCtx);
        }
        if (maxTokens != null && maxTokens < 1 && maxTokens != -1 && maxTokens != -2) {
            throw invalid("maxTokens must be at least 1 (or Ollama's -1 = unlimited, -2 = fill the context), got " + maxTokens);
        }
        if (embeddingDimensions != null && embeddingDimensions < 1) {
            throw invalid("embeddingDimensions must be at least 1, got " + embeddingDimensions);
        }
        if (sendEmbeddingDimensions && embeddingDimensions == null) {
            throw invalid("sendEmbeddingDimensions needs embeddingDimensions");
        }
        if (embeddingBatchSize < 1 || embeddingBatchSize > MAX_EMBEDDING_BATCH) {
            throw invalid("embeddingBatchSize must be between 1 and " + MAX_EMBEDDING_BATCH + ", got " + embeddingBatchSize);
        }
        if (maxRetries < 0 || maxRetries > 10) {
            throw invalid("maxRetries must be between 0 and 10, got " + maxRetries);
        }
        connectTimeout = positive(connectTimeout, "connectTimeout");
        requestTimeout = positive(requestTimeout, "requestTimeout");
        initialBackoff = positive(initialBackoff, "initialBackoff");
        maxBackoff = positive(maxBackoff, "maxBackoff");
        totalTimeout = positive(totalTimeout, "totalTimeout");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw invalid("maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
        }
    }

    /** @return a builder with the defaults (localhost:11434, llama3.1, nomic-embed-text) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseUrl = baseUrl;
        b.apiKey = apiKey;
        b.headers.putAll(headers);
        b.chatModel = chatModel;
        b.temperature = temperature;
        b.numCtx = numCtx;
        b.maxTokens = maxTokens;
        b.options.putAll(options);
        b.keepAlive = keepAlive;
        b.think = think;
        b.jsonSchemaSupported = jsonSchemaSupported;
        b.embeddingModel = embeddingModel;
        b.embeddingDimensions = embeddingDimensions;
        b.sendEmbeddingDimensions = sendEmbeddingDimensions;
        b.embeddingBatchSize = embeddingBatchSize;
        b.embeddingQueryPrefix = embeddingQueryPrefix;
        b.embeddingDocumentPrefix = embeddingDocumentPrefix;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.maxRetries = maxRetries;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.totalTimeout = totalTimeout;
        return b;
    }

    /**
     * Reads the process environment; see {@link #fromEnv(Map)}.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for unreadable values
     */
    public static OllamaConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * Reads settings from environment variables; unset variables keep the defaults:
     * <ul>
     *   <li>{@code OLLAMA_HOST} (as the Ollama CLI reads it: {@code host}, {@code host:port} or a
     *       URL; without a scheme, http and port 11434 are assumed), {@code OLLAMA_API_KEY}</li>
     *   <li>{@code MEMLAYER_OLLAMA_MODEL}, {@code MEMLAYER_OLLAMA_EMBEDDING_MODEL},
     *       {@code MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS}</li>
     *   <li>{@code MEMLAYER_OLLAMA_NUM_CTX}, {@code MEMLAYER_OLLAMA_KEEP_ALIVE},
     *       {@code MEMLAYER_OLLAMA_TIMEOUT_SECONDS} (per attempt), {@code MEMLAYER_OLLAMA_MAX_RETRIES}</li>
     * </ul>
     *
     * @param env the variables (usually {@link System#getenv()})
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for unreadable values
     */
    public static OllamaConfig fromEnv(Map<String, String> env) {
        Builder b = builder();
        String host = blankToNull(env.get("OLLAMA_HOST"));
        if (host != null) {
            b.baseUrl(parseHost(host));
        }
        b.apiKey(env.get("OLLAMA_API_KEY"));
        String model = blankToNull(env.get("MEMLAYER_OLLAMA_MODEL"));
        if (model != null) {
            b.chatModel(model);
        }
        String embeddingModel = blankToNull(env.get("MEMLAYER_OLLAMA_EMBEDDING_MODEL"));
        if (embeddingModel != null) {
            b.embeddingModel(embeddingModel);
        }
        Integer dims = integer(env, "MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS");
        if (dims != null) {
            b.embeddingDimensions(dims);
        }
        Integer numCtx = integer(env, "MEMLAYER_OLLAMA_NUM_CTX");
        if (numCtx != null) {
            b.numCtx(numCtx);
        }
        b.keepAlive(env.get("MEMLAYER_OLLAMA_KEEP_ALIVE"));
        Integer timeout = integer(env, "MEMLAYER_OLLAMA_TIMEOUT_SECONDS");
        if (timeout != null) {
            b.requestTimeout(Duration.ofSeconds(timeout));
        }
        Integer retries = integer(env, "MEMLAYER_OLLAMA_MAX_RETRIES");
        if (retries != null) {
            b.maxRetries(retries);
        }
        return b.build();
    }

    /**
     * Parses an {@code OLLAMA_HOST} value the way the Ollama CLI does: {@code host},
     * {@code host:port}, {@code :port} or a full URL; without a scheme, http and port 11434.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) when it is not a host or URL
     */
    public static URI parseHost(String value) {
        String text = value.strip();
        try {
            if (text.contains("://")) {
                return new URI(text);
            }
            String hostPort = text.startsWith(":") ? "127.0.0.1" + text : text;
            int slash = hostPort.indexOf('/');
            String path = slash < 0 ? "" : hostPort.substring(slash);
            String authority = slash < 0 ? hostPort : hostPort.substring(0, slash);
            boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
            return new URI("http://" + authority + (hasPort ? "" : ":" + DEFAULT_PORT) + path);
        } catch (URISyntaxException e) {
            throw invalid("OLLAMA_HOST must be a host, host:port or URL such as http://localhost:11434, got '" + value + "'");
        }
    }

    /**
     * @return the embedding length: {@link #embeddingDimensions()} if set, else the known size of
     *         the model (untagged or {@code :latest}: nomic-embed-text 768, mxbai-embed-large 1024,
     *         all-minilm 384, bge-m3 1024, bge-large 1024, embeddinggemma 768), else empty
     */
    public OptionalInt knownEmbeddingDimensions() {
        if (embeddingDimensions != null) {
            return OptionalInt.of(embeddingDimensions);
        }
        String name = embeddingModel.toLowerCase(Locale.ROOT);
        if (name.endsWith(":latest")) {
            name = name.substring(0, name.length() - ":latest".length());
        }
        Integer known = KNOWN_EMBEDDING_DIMENSIONS.get(name);
        return known == null ? OptionalInt.empty() : OptionalInt.of(known);
    }

    @Override
    public String toString() {
        return "OllamaConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***") + ", headers="
                + headers.keySet() + ", chatModel=" + chatModel + ", temperature=" + temperature + ", numCtx=" + numCtx
                + ", maxTokens=" + maxTokens + ", options=" + options + ", keepAlive=" + keepAlive + ", think=" + think
                + ", jsonSchemaSupported=" + jsonSchemaSupported + ", embeddingModel=" + embeddingModel
                + ", embeddingDimensions=" + embeddingDimensions + ", sendEmbeddingDimensions=" + sendEmbeddingDimensions
                + ", embeddingBatchSize=" + embeddingBatchSize + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff + ", totalTimeout=" + totalTimeout + "]";
    }

    private static URI normaliseBaseUrl(URI uri) {
        if (uri == null) {
            return DEFAULT_BASE_URL;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw invalid("baseUrl must be an http(s) URL such as http://localhost:11434, got '" + uri + "'");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static String require(String value, String name) {
        if (value == null) {
            throw invalid(name + " must not be blank");
        }
        return value;
    }

    private static Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(name + " must be a positive duration, got " + value);
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Integer integer(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(name + " must be an integer, got '" + value + "'");
        }
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_CONFIGURATION, "OllamaConfig: " + message);
    }

    /** Builds {@link OllamaConfig}s. Not thread-safe. */
    public static final class Builder {
        private URI baseUrl = DEFAULT_BASE_URL;
        private String apiKey;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String chatModel = DEFAULT_CHAT_MODEL;
        private Double temperature = DEFAULT_TEMPERATURE;
        private Integer numCtx;
        private Integer maxTokens;
        private final Map<String, Object> options = new LinkedHashMap<>();
        private String keepAlive;
        private Boolean think;
        private boolean jsonSchemaSupported = true;
        private String embeddingModel = DEFAULT_EMBEDDING_MODEL;
        private Integer embeddingDimensions;
        private boolean sendEmbeddingDimensions;
        private int embeddingBatchSize = 256;
        private String embeddingQueryPrefix;
        private String embeddingDocumentPrefix;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofMinutes(5);
        private int maxRetries = 2;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private Duration totalTimeout = Duration.ofMinutes(10);

        private Builder() {
        }

        /** @param value the server root, e.g. {@code http://localhost:11434} */
        public Builder baseUrl(URI value) {
            baseUrl = value;
            return this;
        }

        /** @param value the server root as text; a bare {@code host[:port]} is read like {@code OLLAMA_HOST} */
        public Builder baseUrl(String value) {
            baseUrl = parseHost(value);
            return this;
        }

        public Builder apiKey(String value) {
            apiKey = value;
            return this;
        }

        /** Adds a header sent with every request. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder chatModel(String value) {
            chatModel = value;
            return this;
        }

        public Builder temperature(Double value) {
            temperature = value;
            return this;
        }

        public Builder numCtx(Integer value) {
            numCtx = value;
            return this;
        }

        public Builder maxTokens(Integer value) {
            maxTokens = value;
            return this;
        }

        /** Adds one generation option (Modelfile parameter name, JSON-compatible value). */
        public Builder option(String name, Object value) {
            options.put(name, value);
            return this;
        }

        public Builder keepAlive(String value) {
            keepAlive = value;
            return this;
        }

        public Builder think(Boolean value) {
            think = value;
            return this;
        }

        public Builder jsonSchemaSupported(boolean value) {
            jsonSchemaSupported = value;
            return this;
        }

        public Builder embeddingModel(String value) {
            embeddingModel = value;
            return this;
        }

        public Builder embeddingDimensions(Integer value) {
            embeddingDimensions = value;
            return this;
        }

        public Builder sendEmbeddingDimensions(boolean value) {
            sendEmbeddingDimensions = value;
            return this;
        }

        public Builder embeddingBatchSize(int value) {
            embeddingBatchSize = value;
            return this;
        }

        public Builder embeddingQueryPrefix(String value) {
            embeddingQueryPrefix = value;
            return this;
        }

        public Builder embeddingDocumentPrefix(String value) {
            embeddingDocumentPrefix = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder maxRetries(int value) {
            maxRetries = value;
            return this;
        }

        public Builder initialBackoff(Duration value) {
            initialBackoff = value;
            return this;
        }

        public Builder maxBackoff(Duration value) {
            maxBackoff = value;
            return this;
        }

        public Builder totalTimeout(Duration value) {
            totalTimeout = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for out-of-range values
         */
        public OllamaConfig build() {
            return new OllamaConfig(baseUrl, apiKey, headers, chatModel, temperature, numCtx, maxTokens, options,
                    keepAlive, think, jsonSchemaSupported, embeddingModel, embeddingDimensions, sendEmbeddingDimensions,
                    embeddingBatchSize, embeddingQueryPrefix, embeddingDocumentPrefix, connectTimeout, requestTimeout,
                    maxRetries, initialBackoff, maxBackoff, totalTimeout);
        }
    }
}

package dev.memlayer.llm.ollama;

import static dev.memlayer.llm.http.ConfigValues.blankToNull;
import static dev.memlayer.llm.http.ConfigValues.emptyToNull;
import static dev.memlayer.llm.http.ConfigValues.orderedCopy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.llm.http.ConfigValues;
import dev.memlayer.llm.http.EnvSettings;
import dev.memlayer.llm.http.HttpModelSettings;
import dev.memlayer.llm.http.HttpModelSettingsBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
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
        Duration totalTimeout) implements HttpModelSettings {

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

    private static final ConfigValues CHECK = new ConfigValues("OllamaConfig");

    /**
     * Normalises and checks the settings (see the components above).
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for out-of-range values
     */
    public OllamaConfig {
        baseUrl = normaliseBaseUrl(baseUrl);
        apiKey = blankToNull(apiKey);
        headers = orderedCopy(headers);
        options = orderedCopy(options);
        keepAlive = blankToNull(keepAlive);
        embeddingQueryPrefix = emptyToNull(embeddingQueryPrefix);
        embeddingDocumentPrefix = emptyToNull(embeddingDocumentPrefix);
        chatModel = CHECK.requireText(chatModel, "chatModel");
        embeddingModel = CHECK.requireText(embeddingModel, "embeddingModel");
        if (temperature != null && (temperature < 0 || temperature.isNaN() || temperature.isInfinite())) {
            throw CHECK.invalid("temperature must be at least 0, got " + temperature);
        }
        CHECK.atLeast(numCtx, 1, "numCtx");
        if (maxTokens != null && maxTokens < 1 && maxTokens != -1 && maxTokens != -2) {
            throw CHECK.invalid("maxTokens must be at least 1 (or Ollama's -1 = unlimited, -2 = fill the context), got "
                    + maxTokens);
        }
        CHECK.atLeast(embeddingDimensions, 1, "embeddingDimensions");
        if (sendEmbeddingDimensions && embeddingDimensions == null) {
            throw CHECK.invalid("sendEmbeddingDimensions needs embeddingDimensions");
        }
        CHECK.between(embeddingBatchSize, 1, MAX_EMBEDDING_BATCH, "embeddingBatchSize");
        CHECK.transport(connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff, totalTimeout);
    }

    /** @return a builder with the defaults (localhost:11434, llama3.1, nomic-embed-text) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this configuration */
    public Builder toBuilder() {
        Builder b = new Builder(this);
        b.baseUrl = baseUrl;
        b.numCtx = numCtx;
        b.options.putAll(options);
        b.keepAlive = keepAlive;
        b.think = think;
        b.jsonSchemaSupported = jsonSchemaSupported;
        b.sendEmbeddingDimensions = sendEmbeddingDimensions;
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
        EnvSettings vars = new EnvSettings(env, CHECK.owner());
        Builder b = builder();
        vars.text("OLLAMA_HOST").map(OllamaConfig::parseHost).ifPresent(b::baseUrl);
        vars.text("OLLAMA_API_KEY").ifPresent(b::apiKey);
        vars.text("MEMLAYER_OLLAMA_MODEL").ifPresent(b::chatModel);
        vars.text("MEMLAYER_OLLAMA_EMBEDDING_MODEL").ifPresent(b::embeddingModel);
        vars.integer("MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS").ifPresent(b::embeddingDimensions);
        vars.integer("MEMLAYER_OLLAMA_NUM_CTX").ifPresent(b::numCtx);
        vars.text("MEMLAYER_OLLAMA_KEEP_ALIVE").ifPresent(b::keepAlive);
        vars.seconds("MEMLAYER_OLLAMA_TIMEOUT_SECONDS").ifPresent(b::requestTimeout);
        vars.integer("MEMLAYER_OLLAMA_MAX_RETRIES").ifPresent(b::maxRetries);
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
            throw CHECK.invalid("OLLAMA_HOST must be a host, host:port or URL such as http://localhost:11434, got '" + value + "'");
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
        String text = CHECK.httpUrl(uri, "baseUrl", "http://localhost:11434").toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    /**
     * Builds {@link OllamaConfig}s; the settings every provider has are set with the inherited
     * methods. Defaults: {@link #DEFAULT_CHAT_MODEL}, {@link #DEFAULT_TEMPERATURE},
     * {@link #DEFAULT_EMBEDDING_MODEL}, 256 texts per embed request, a request timeout of 5 minutes
     * and a total timeout of 10 minutes, and those of {@link HttpModelSettingsBuilder}. Not thread-safe.
     */
    public static final class Builder extends HttpModelSettingsBuilder<Builder> {
        private URI baseUrl = DEFAULT_BASE_URL;
        private Integer numCtx;
        private final Map<String, Object> options = new LinkedHashMap<>();
        private String keepAlive;
        private Boolean think;
        private boolean jsonSchemaSupported = true;
        private boolean sendEmbeddingDimensions;

        private Builder() {
            super(DEFAULT_CHAT_MODEL, DEFAULT_TEMPERATURE, DEFAULT_EMBEDDING_MODEL, 256, Duration.ofMinutes(5),
                    Duration.ofMinutes(10));
        }

        /** A builder with the settings every provider has copied from {@code config}. */
        private Builder(OllamaConfig config) {
            this();
            copyFrom(config);
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

        public Builder numCtx(Integer value) {
            numCtx = value;
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

        public Builder sendEmbeddingDimensions(boolean value) {
            sendEmbeddingDimensions = value;
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

package dev.memlayer.llm.openai;

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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Settings of {@link OpenAiLanguageModel} and {@link OpenAiEmbedder}: where the OpenAI (or
 * OpenAI-compatible) API is, how to authenticate, which models to use, and how to retry.
 *
 * <p>Any server that speaks the Chat Completions and Embeddings APIs works through
 * {@link #baseUrl()}: vLLM ({@code http://localhost:8000/v1}), llama.cpp's server
 * ({@code http://localhost:8080/v1}), LM Studio ({@code http://localhost:1234/v1}), Ollama's
 * compatibility API ({@code http://localhost:11434/v1}), OpenRouter, Groq, DeepSeek, and Azure
 * OpenAI (a deployment URL with {@code ?api-version=...} and {@link Builder#apiKeyHeader(String)
 * apiKeyHeader("api-key")}).
 *
 * <p>Build with {@link #builder()} or read the environment with {@link #fromEnv()}. The API key is
 * never printed by {@link #toString()}.
 *
 * @param apiKey                  the API key, or null for servers without authentication (the
 *                                public OpenAI endpoint needs one)
 * @param baseUrl                 the API root without a trailing slash, e.g.
 *                                {@code https://api.openai.com/v1}; {@code /chat/completions} and
 *                                {@code /embeddings} are appended
 * @param organization            the {@code OpenAI-Organization} header, or null
 * @param project                 the {@code OpenAI-Project} header, or null
 * @param headers                 extra headers sent with every request (e.g. OpenRouter's
 *                                {@code HTTP-Referer}), never null
 * @param queryParameters         query parameters appended to every request (e.g. Azure's
 *                                {@code api-version}), never null
 * @param apiKeyHeader            the header carrying the key: null for {@code Authorization: Bearer
 *                                <key>}, or another name (Azure: {@code api-key}) to send the bare key
 * @param chatModel               the chat model, e.g. {@code gpt-4.1-nano}
 * @param temperature             sampling temperature in [0,2] (default 0.1), or null for the
 *                                server's default; a {@code ChatRequest}'s own temperature wins;
 *                                never sent to reasoning models
 * @param topP                    nucleus sampling in (0,1], or null; never sent to reasoning models
 * @param maxTokens               the answer's token limit, or null; sent as {@code max_tokens}, or as
 *                                {@code max_completion_tokens} to reasoning models
 * @param reasoningModel          true/false to declare whether the chat model is a reasoning model
 *                                (o1, o3, o4, gpt-5 families: no temperature/top_p), or null to
 *                                recognise it by name
 * @param reasoningEffort         {@code reasoning_effort} for reasoning models ({@code minimal},
 *                                {@code low}, {@code medium}, {@code high}), or null
 * @param jsonSchemaSupported     whether the server enforces {@code response_format} JSON schemas
 *                                (structured outputs), or null for the default: true for the OpenAI
 *                                and Azure OpenAI endpoints, false for other servers
 * @param embeddingModel          the embedding model, e.g. {@code text-embedding-3-small}
 * @param embeddingDimensions     the length of every embedding, or null for the model's known
 *                                native size (or, for unknown models, the size of a first probe)
 * @param sendEmbeddingDimensions whether to send {@code dimensions} (shortened embeddings), or null
 *                                for the default: sent when {@code embeddingDimensions} is set and
 *                                the model is a {@code text-embedding-3} model
 * @param embeddingBatchSize      texts per embeddings request, 1 to 2048 (the API's input limit)
 * @param embeddingQueryPrefix    prepended to search queries before embedding (for models such as
 *                                E5 or Nomic that need one), or null
 * @param embeddingDocumentPrefix prepended to memory texts before embedding, or null
 * @param connectTimeout          TCP/TLS connect timeout, positive
 * @param requestTimeout          timeout of one HTTP attempt until the answer is read, positive
 * @param maxRetries              retries after the first attempt on 429, 5xx, connection errors and
 *                                timeouts, 0 to 10
 * @param initialBackoff          base wait before the first retry (doubled each retry, with jitter)
 * @param maxBackoff              cap of one computed wait
 * @param totalTimeout            deadline of one call, all attempts and waits included
 */
public record OpenAiConfig(
        String apiKey,
        URI baseUrl,
        String organization,
        String project,
        Map<String, String> headers,
        Map<String, String> queryParameters,
        String apiKeyHeader,
        String chatModel,
        Double temperature,
        Double topP,
        Integer maxTokens,
        Boolean reasoningModel,
        String reasoningEffort,
        Boolean jsonSchemaSupported,
        String embeddingModel,
        Integer embeddingDimensions,
        Boolean sendEmbeddingDimensions,
        int embeddingBatchSize,
        String embeddingQueryPrefix,
        String embeddingDocumentPrefix,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration totalTimeout) implements HttpModelSettings {

    /** The public OpenAI endpoint. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");
    /** The default chat model (Mem0's default OpenAI model family). */
    public static final String DEFAULT_CHAT_MODEL = "gpt-4.1-nano";
    /** The default embedding model (1536 dimensions). */
    public static final String DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";
    /** The default sampling temperature (Mem0's default: low, for repeatable extraction). */
    public static final double DEFAULT_TEMPERATURE = 0.1;
    /** The Embeddings API's maximum number of inputs per request. */
    public static final int MAX_EMBEDDING_BATCH = 2048;

    private static final Map<String, Integer> KNOWN_EMBEDDING_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072,
            "text-embedding-ada-002", 1536);

    /** o1, o3, o4-mini, ..., gpt-5, gpt-5-mini; not gpt-5-chat (a non-reasoning chat model). */
    private static final Pattern REASONING_MODEL = Pattern.compile("^(o\\d.*|gpt-5(?!-chat).*)$");

    private static final ConfigValues CHECK = new ConfigValues("OpenAiConfig");

    /**
     * Normalises and checks the settings (see the components above); a query string in the base URL
     * is moved to {@link #queryParameters()}.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for out-of-range values
     */
    public OpenAiConfig {
        baseUrl = normaliseBaseUrl(baseUrl);
        Map<String, String> query = new LinkedHashMap<>(splitQuery(baseUrl));
        if (queryParameters != null) {
            query.putAll(queryParameters);
        }
        baseUrl = withoutQuery(baseUrl);
        queryParameters = Collections.unmodifiableMap(query);
        headers = orderedCopy(headers);
        apiKey = blankToNull(apiKey);
        organization = blankToNull(organization);
        project = blankToNull(project);
        apiKeyHeader = blankToNull(apiKeyHeader);
        reasoningEffort = blankToNull(reasoningEffort);
        embeddingQueryPrefix = emptyToNull(embeddingQueryPrefix);
        embeddingDocumentPrefix = emptyToNull(embeddingDocumentPrefix);
        chatModel = CHECK.requireText(chatModel, "chatModel");
        embeddingModel = CHECK.requireText(embeddingModel, "embeddingModel");
        if (temperature != null && (temperature < 0 || temperature > 2 || temperature.isNaN())) {
            throw CHECK.invalid("temperature must be in [0,2], got " + temperature);
        }
        if (topP != null && (topP <= 0 || topP > 1 || topP.isNaN())) {
            throw CHECK.invalid("topP must be in (0,1], got " + topP);
        }
        CHECK.atLeast(maxTokens, 1, "maxTokens");
        CHECK.atLeast(embeddingDimensions, 1, "embeddingDimensions");
        CHECK.between(embeddingBatchSize, 1, MAX_EMBEDDING_BATCH, "embeddingBatchSize");
        CHECK.transport(connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff, totalTimeout);
    }

    /** @return a builder with the defaults (public endpoint, gpt-4.1-nano, text-embedding-3-small) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this configuration */
    public Builder toBuilder() {
        Builder b = new Builder(this);
        b.baseUrl = baseUrl;
        b.organization = organization;
        b.project = project;
        b.queryParameters.putAll(queryParameters);
        b.apiKeyHeader = apiKeyHeader;
        b.topP = topP;
        b.reasoningModel = reasoningModel;
        b.reasoningEffort = reasoningEffort;
        b.jsonSchemaSupported = jsonSchemaSupported;
        b.sendEmbeddingDimensions = sendEmbeddingDimensions;
        return b;
    }

    /**
     * Reads the process environment; see {@link #fromEnv(Map)}.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for unreadable values
     */
    public static OpenAiConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * Reads settings from environment variables; unset variables keep the defaults:
     * <ul>
     *   <li>{@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_ORG_ID},
     *       {@code OPENAI_PROJECT_ID} (the names OpenAI's own SDKs read)</li>
     *   <li>{@code MEMLAYER_OPENAI_MODEL}, {@code MEMLAYER_OPENAI_EMBEDDING_MODEL},
     *       {@code MEMLAYER_OPENAI_EMBEDDING_DIMENSIONS}</li>
     *   <li>{@code MEMLAYER_OPENAI_JSON_SCHEMA} ({@code true}/{@code false}: does the server
     *       enforce JSON schemas), {@code MEMLAYER_OPENAI_REASONING_EFFORT}</li>
     *   <li>{@code MEMLAYER_OPENAI_TEMPERATURE}, {@code MEMLAYER_OPENAI_MAX_TOKENS},
     *       {@code MEMLAYER_OPENAI_TIMEOUT_SECONDS} (per attempt), {@code MEMLAYER_OPENAI_MAX_RETRIES}</li>
     * </ul>
     *
     * @param env the variables (usually {@link System#getenv()})
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for unreadable values
     */
    public static OpenAiConfig fromEnv(Map<String, String> env) {
        EnvSettings vars = new EnvSettings(env, CHECK.owner());
        Builder b = builder();
        vars.text("OPENAI_API_KEY").ifPresent(b::apiKey);
        vars.text("OPENAI_BASE_URL").ifPresent(b::baseUrl);
        vars.text("OPENAI_ORG_ID").ifPresent(b::organization);
        vars.text("OPENAI_PROJECT_ID").ifPresent(b::project);
        vars.text("MEMLAYER_OPENAI_MODEL").ifPresent(b::chatModel);
        vars.text("MEMLAYER_OPENAI_EMBEDDING_MODEL").ifPresent(b::embeddingModel);
        vars.integer("MEMLAYER_OPENAI_EMBEDDING_DIMENSIONS").ifPresent(b::embeddingDimensions);
        vars.bool("MEMLAYER_OPENAI_JSON_SCHEMA").ifPresent(b::jsonSchemaSupported);
        vars.text("MEMLAYER_OPENAI_REASONING_EFFORT").ifPresent(b::reasoningEffort);
        vars.number("MEMLAYER_OPENAI_TEMPERATURE").ifPresent(b::temperature);
        vars.integer("MEMLAYER_OPENAI_MAX_TOKENS").ifPresent(b::maxTokens);
        vars.seconds("MEMLAYER_OPENAI_TIMEOUT_SECONDS").ifPresent(b::requestTimeout);
        vars.integer("MEMLAYER_OPENAI_MAX_RETRIES").ifPresent(b::maxRetries);
        return b.build();
    }

    /** @return true when {@link #baseUrl()} is OpenAI's public endpoint */
    public boolean isOfficialEndpoint() {
        return "api.openai.com".equalsIgnoreCase(baseUrl.getHost());
    }

    /** @return true when {@link #baseUrl()} is an Azure OpenAI resource */
    public boolean isAzureEndpoint() {
        String host = baseUrl.getHost();
        return host != null && host.toLowerCase(Locale.ROOT).endsWith(".openai.azure.com");
    }

    /** @return whether JSON schemas are sent as structured outputs (see {@link #jsonSchemaSupported()}) */
    public boolean supportsJsonSchema() {
        return jsonSchemaSupported != null ? jsonSchemaSupported : isOfficialEndpoint() || isAzureEndpoint();
    }

    /**
     * @return whether the chat model is treated as a reasoning model: {@link #reasoningModel()} if
     *         set, otherwise recognised by name (o1, o3, o4-mini, gpt-5, gpt-5-mini, ..., also behind
     *         a provider prefix such as {@code openai/o3-mini}; not gpt-5-chat)
     */
    public boolean isReasoningModel() {
        if (reasoningModel != null) {
            return reasoningModel;
        }
        String name = chatModel.substring(chatModel.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return REASONING_MODEL.matcher(name).matches();
    }

    /**
     * @return the embedding length: {@link #embeddingDimensions()} if set, else the known native size
     *         of the model (text-embedding-3-small 1536, text-embedding-3-large 3072,
     *         text-embedding-ada-002 1536), else empty
     */
    public OptionalInt knownEmbeddingDimensions() {
        if (embeddingDimensions != null) {
            return OptionalInt.of(embeddingDimensions);
        }
        Integer known = KNOWN_EMBEDDING_DIMENSIONS.get(embeddingModel.substring(embeddingModel.lastIndexOf('/') + 1));
        return known == null ? OptionalInt.empty() : OptionalInt.of(known);
    }

    /** @return whether {@code dimensions} is sent with embeddings requests (see {@link #sendEmbeddingDimensions()}) */
    public boolean sendsEmbeddingDimensions() {
        if (embeddingDimensions == null) {
            return false;
        }
        if (sendEmbeddingDimensions != null) {
            return sendEmbeddingDimensions;
        }
        return embeddingModel.substring(embeddingModel.lastIndexOf('/') + 1).startsWith("text-embedding-3");
    }

    @Override
    public String toString() {
        return "OpenAiConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", organization=" + organization + ", project=" + project + ", headers=" + headers.keySet()
                + ", queryParameters=" + queryParameters.keySet() + ", apiKeyHeader=" + apiKeyHeader
                + ", chatModel=" + chatModel + ", temperature=" + temperature + ", topP=" + topP
                + ", maxTokens=" + maxTokens + ", reasoningModel=" + reasoningModel + ", reasoningEffort="
                + reasoningEffort + ", jsonSchemaSupported=" + jsonSchemaSupported + ", embeddingModel="
                + embeddingModel + ", embeddingDimensions=" + embeddingDimensions + ", sendEmbeddingDimensions="
                + sendEmbeddingDimensions + ", embeddingBatchSize=" + embeddingBatchSize + ", connectTimeout="
                + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries
                + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", totalTimeout="
                + totalTimeout + "]";
    }

    private static URI normaliseBaseUrl(URI uri) {
        if (uri == null) {
            return DEFAULT_BASE_URL;
        }
        String text = CHECK.httpUrl(uri, "baseUrl", "https://api.openai.com/v1 or http://localhost:8000/v1").toString();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.endsWith("/")) {
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            String head = text.substring(0, text.length() - query.length());
            while (head.endsWith("/")) {
                head = head.substring(0, head.length() - 1);
            }
            return URI.create(head + query);
        }
        return uri;
    }

    private static Map<String, String> splitQuery(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    private static URI withoutQuery(URI uri) {
        if (uri.getRawQuery() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), uri.getRawAuthority() == null ? null : uri.getAuthority(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw CHECK.invalid("baseUrl is not a valid URL: " + e.getMessage());
        }
    }

    /**
     * Builds {@link OpenAiConfig}s; the settings every provider has are set with the inherited
     * methods. Defaults: {@link #DEFAULT_CHAT_MODEL}, {@link #DEFAULT_TEMPERATURE},
     * {@link #DEFAULT_EMBEDDING_MODEL}, {@link #MAX_EMBEDDING_BATCH} texts per embeddings request, a
     * request timeout of 60 s and a total timeout of 3 minutes, and those of
     * {@link HttpModelSettingsBuilder}. Not thread-safe.
     */
    public static final class Builder extends HttpModelSettingsBuilder<Builder> {
        private URI baseUrl = DEFAULT_BASE_URL;
        private String organization;
        private String project;
        private final Map<String, String> queryParameters = new LinkedHashMap<>();
        private String apiKeyHeader;
        private Double topP;
        private Boolean reasoningModel;
        private String reasoningEffort;
        private Boolean jsonSchemaSupported;
        private Boolean sendEmbeddingDimensions;

        private Builder() {
            super(DEFAULT_CHAT_MODEL, DEFAULT_TEMPERATURE, DEFAULT_EMBEDDING_MODEL, MAX_EMBEDDING_BATCH,
                    Duration.ofSeconds(60), Duration.ofMinutes(3));
        }

        /** A builder with the settings every provider has copied from {@code config}. */
        private Builder(OpenAiConfig config) {
            this();
            copyFrom(config);
        }

        /** @param value the API root, e.g. {@code http://localhost:8000/v1}; a query string becomes query parameters */
        public Builder baseUrl(URI value) {
            baseUrl = value;
            return this;
        }

        /** @param value the API root as text */
        public Builder baseUrl(String value) {
            try {
                baseUrl = new URI(value.strip());
            } catch (URISyntaxException e) {
                throw CHECK.invalid("baseUrl is not a valid URL: '" + value + "'");
            }
            return this;
        }

        /** @param value the {@code OpenAI-Organization} header value, or null */
        public Builder organization(String value) {
            organization = value;
            return this;
        }

        /** @param value the {@code OpenAI-Project} header value, or null */
        public Builder project(String value) {
            project = value;
            return this;
        }

        /** Adds a query parameter sent with every request (Azure: {@code api-version}). */
        public Builder queryParameter(String name, String value) {
            queryParameters.put(name, value);
            return this;
        }

        /** @param value the header carrying the bare key (Azure: {@code api-key}); null for {@code Authorization: Bearer} */
        public Builder apiKeyHeader(String value) {
            apiKeyHeader = value;
            return this;
        }

        public Builder topP(Double value) {
            topP = value;
            return this;
        }

        /** @param value true/false to override recognition by model name; null to recognise by name */
        public Builder reasoningModel(Boolean value) {
            reasoningModel = value;
            return this;
        }

        public Builder reasoningEffort(String value) {
            reasoningEffort = value;
            return this;
        }

        /** @param value whether the server enforces JSON schemas; null for the default (true only for OpenAI and Azure) */
        public Builder jsonSchemaSupported(Boolean value) {
            jsonSchemaSupported = value;
            return this;
        }

        public Builder sendEmbeddingDimensions(Boolean value) {
            sendEmbeddingDimensions = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for out-of-range values
         */
        public OpenAiConfig build() {
            return new OpenAiConfig(apiKey, baseUrl, organization, project, headers, queryParameters, apiKeyHeader,
                    chatModel, temperature, topP, maxTokens, reasoningModel, reasoningEffort, jsonSchemaSupported,
                    embeddingModel, embeddingDimensions, sendEmbeddingDimensions, embeddingBatchSize,
                    embeddingQueryPrefix, embeddingDocumentPrefix, connectTimeout, requestTimeout, maxRetries,
                    initialBackoff, maxBackoff, totalTimeout);
        }
    }
}

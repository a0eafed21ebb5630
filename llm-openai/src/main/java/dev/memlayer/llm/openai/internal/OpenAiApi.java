package dev.memlayer.llm.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.llm.http.JsonHttpClient;
import dev.memlayer.llm.http.RetryPolicy;
import dev.memlayer.llm.openai.OpenAiConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One OpenAI-compatible API endpoint as configured: URLs, authentication headers, the retrying
 * client, and error explanations. Thread-safe.
 */
public final class OpenAiApi implements AutoCloseable {

    private final OpenAiConfig config;
    private final Map<String, String> headers;
    private final JsonHttpClient http;
    private final String connectionHint;

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) when the public OpenAI
     *                             endpoint is configured without an API key
     */
    public OpenAiApi(OpenAiConfig config) {
        this.config = config;
        if (config.apiKey() == null && config.isOfficialEndpoint()) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "No OpenAI API key: set the OPENAI_API_KEY environment variable (or OpenAiConfig.builder().apiKey(...))."
                            + " For an OpenAI-compatible server that needs no key (vLLM, llama.cpp, LM Studio, Ollama),"
                            + " set OPENAI_BASE_URL (OpenAiConfig.builder().baseUrl(...)) to its URL, e.g. http://localhost:8000/v1.");
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (config.apiKey() != null) {
            if (config.apiKeyHeader() == null) {
                h.put("Authorization", "Bearer " + config.apiKey());
            } else {
                h.put(config.apiKeyHeader(), config.apiKey());
            }
        }
        if (config.organization() != null) {
            h.put("OpenAI-Organization", config.organization());
        }
        if (config.project() != null) {
            h.put("OpenAI-Project", config.project());
        }
        h.putAll(config.headers());
        this.headers = Collections.unmodifiableMap(h);
        this.http = new JsonHttpClient(config.connectTimeout(), config.requestTimeout(),
                new RetryPolicy(config.maxRetries(), config.initialBackoff(), config.maxBackoff(), config.totalTimeout()));
        this.connectionHint = "Check the base URL (OPENAI_BASE_URL, now " + config.baseUrl()
                + ") and that the server is running and reachable.";
    }

    /** @return the configuration */
    public OpenAiConfig config() {
        return config;
    }

    /**
     * POSTs to {@code baseUrl + path}.
     *
     * @param description  what is done, for messages
     * @param path         the endpoint path, e.g. {@code /chat/completions}
     * @param body         the JSON body
     * @param model        the model named in the body
     * @param modelSetting where that model is configured, for messages
     * @return the JSON answer
     * @throws dev.memlayer.api.LlmException when the call fails after bounded retries
     */
    public JsonNode post(String description, String path, JsonNode body, String model, String modelSetting) {
        OpenAiErrors.Context context = new OpenAiErrors.Context(model, modelSetting, config.baseUrl().toString(),
                config.apiKey() != null);
        return http.post(new JsonHttpClient.Call(description, uri(path), headers, body,
                OpenAiErrors.decoder(context), connectionHint));
    }

    /** @return the full URI of an endpoint path, with the configured query parameters */
    public URI uri(String path) {
        String base = config.baseUrl().toString();
        if (config.queryParameters().isEmpty()) {
            return URI.create(base + path);
        }
        StringJoiner query = new StringJoiner("&", "?", "");
        config.queryParameters().forEach((k, v) -> query.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return URI.create(base + path + query);
    }

    @Override
    public void close() {
        http.close();
    }
}

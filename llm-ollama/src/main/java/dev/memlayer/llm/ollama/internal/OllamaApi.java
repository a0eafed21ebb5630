package dev.memlayer.llm.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.llm.http.JsonHttpClient;
import dev.memlayer.llm.http.RetryPolicy;
import dev.memlayer.llm.ollama.OllamaConfig;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One Ollama server as configured: URLs, headers, the retrying client, and error explanations. Thread-safe. */
public final class OllamaApi implements AutoCloseable {

    private final OllamaConfig config;
    private final Map<String, String> headers;
    private final JsonHttpClient http;
    private final String connectionHint;

    public OllamaApi(OllamaConfig config) {
        this.config = config;
        Map<String, String> h = new LinkedHashMap<>();
        if (config.apiKey() != null) {
            h.put("Authorization", "Bearer " + config.apiKey());
        }
        h.putAll(config.headers());
        this.headers = Collections.unmodifiableMap(h);
        this.http = new JsonHttpClient(config.connectTimeout(), config.requestTimeout(),
                new RetryPolicy(config.maxRetries(), config.initialBackoff(), config.maxBackoff(), config.totalTimeout()));
        this.connectionHint = "Is Ollama running (`ollama serve`)? Check the base URL (OLLAMA_HOST, now "
                + config.baseUrl() + ").";
    }

    /** @return the configuration */
    public OllamaConfig config() {
        return config;
    }

    /**
     * POSTs to {@code baseUrl + path}.
     *
     * @param description  what is done, for messages
     * @param path         the endpoint path, e.g. {@code /api/chat}
     * @param body         the JSON body
     * @param model        the model named in the body
     * @param modelSetting where that model is configured, for messages
     * @return the JSON answer
     * @throws dev.memlayer.api.LlmException when the call fails after bounded retries
     */
    public JsonNode post(String description, String path, JsonNode body, String model, String modelSetting) {
        OllamaErrors.Context context = new OllamaErrors.Context(model, modelSetting, config.baseUrl().toString());
        return http.post(new JsonHttpClient.Call(description, uri(path), headers, body,
                OllamaErrors.decoder(context), connectionHint));
    }

    /** @return the full URI of an endpoint path */
    public URI uri(String path) {
        return URI.create(config.baseUrl() + path);
    }

    @Override
    public void close() {
        http.close();
    }
}

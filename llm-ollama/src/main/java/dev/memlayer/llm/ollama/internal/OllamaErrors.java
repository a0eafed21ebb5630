package dev.memlayer.llm.ollama.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.llm.http.DecodedError;
import dev.memlayer.llm.http.ErrorDecoder;
import dev.memlayer.llm.http.JsonHttpClient;
import java.util.Locale;

/**
 * Explains Ollama's error answers, documented as {@code {"error": "message"}} (e.g. 404
 * {@code {"error": "model \"llama3\" not found, try pulling it first"}}); other shapes (a proxy's
 * HTML, an {@code {"error": {"message": ...}}} object) are quoted as they are.
 */
public final class OllamaErrors {

    private OllamaErrors() {
    }

    /**
     * What the decoder needs to say what to fix.
     *
     * @param model        the model the call named
     * @param modelSetting where the model is configured (builder method and environment variable)
     * @param baseUrl      the configured server root, as text
     */
    public record Context(String model, String modelSetting, String baseUrl) {
    }

    /** @return the error decoder for calls made in this context */
    public static ErrorDecoder decoder(Context context) {
        return (status, body) -> decode(status, body, context);
    }

    static DecodedError decode(int status, String body, Context context) {
        String error = message(body);
        String text = error != null ? error : JsonHttpClient.snippet(body);
        String lower = text.toLowerCase(Locale.ROOT);
        boolean retryable = false;
        String hint;
        if ((status == 404 || status == 400) && error != null && lower.contains("model")
                && (lower.contains("not found") || lower.contains("try pulling"))) {
            hint = "Ollama at " + context.baseUrl() + " does not have the model '" + context.model()
                    + "': pull it with `ollama pull " + context.model() + "`, or check the model name ("
                    + context.modelSetting() + ").";
        } else if (status == 404 || status == 405) {
            hint = "No Ollama API here: check the base URL (OLLAMA_HOST, now " + context.baseUrl()
                    + "); it is the server root, e.g. http://localhost:11434, without /api or /v1.";
        } else if (status == 401 || status == 403) {
            hint = "The server wants credentials: set OLLAMA_API_KEY (OllamaConfig.apiKey) or the proxy's headers.";
        } else if (status == 429) {
            retryable = true;
            hint = "Rate limited.";
        } else if (status >= 500) {
            retryable = true;
            hint = "Server error.";
        } else {
            hint = "The request was rejected; it will not be retried.";
        }
        return new DecodedError(text + ". " + hint, retryable);
    }

    /** @return the error message of an Ollama error body, or null if the body is not one */
    static String message(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = JsonHttpClient.MAPPER.readTree(body);
        } catch (Exception notJson) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode error = root.get("error");
        if (error == null || error.isNull()) {
            return null;
        }
        if (error.isTextual()) {
            return error.asText();
        }
        if (error.isObject() && error.hasNonNull("message")) {
            return error.get("message").asText();
        }
        return error.toString();
    }
}

package dev.memlayer.llm.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.llm.http.DecodedError;
import dev.memlayer.llm.http.ErrorDecoder;
import dev.memlayer.llm.http.JsonHttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Explains OpenAI-style error answers: the documented {@code {"error": {"message", "type", "param",
 * "code"}}}, and the variants compatible servers send (vLLM's flat {@code {"object": "error",
 * "message", "type", "code"}}, {@code {"error": "text"}}, or plain text).
 */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    /**
     * What the decoder needs to say what to fix.
     *
     * @param model        the model the call named
     * @param modelSetting where the model is configured (builder method and environment variable)
     * @param baseUrl      the configured base URL, as text
     * @param hasApiKey    whether an API key was sent
     */
    public record Context(String model, String modelSetting, String baseUrl, boolean hasApiKey) {
    }

    /** The parts of an error body. Any may be null. */
    record ErrorBody(String message, String type, String code) {
    }

    /** @return the error decoder for calls made in this context */
    public static ErrorDecoder decoder(Context context) {
        return (status, body) -> decode(status, body, context);
    }

    static DecodedError decode(int status, String body, Context context) {
        ErrorBody error = parse(body);
        StringBuilder message = new StringBuilder(error.message() != null ? error.message() : JsonHttpClient.snippet(body));
        List<String> details = new ArrayList<>(2);
        if (error.type() != null) {
            details.add("type " + error.type());
        }
        if (error.code() != null) {
            details.add("code " + error.code());
        }
        if (!details.isEmpty()) {
            message.append(" (").append(String.join(", ", details)).append(')');
        }
        boolean retryable = false;
        String hint;
        if (isUnknownModel(status, error)) {
            hint = "The model '" + context.model() + "' does not exist on " + context.baseUrl()
                    + " or this API key has no access to it: check the model name (" + context.modelSetting() + ").";
        } else if (status == 401) {
            hint = context.hasApiKey()
                    ? "The API key was rejected: check OPENAI_API_KEY (OpenAiConfig.apiKey)."
                    : "The server wants an API key and none is configured: set OPENAI_API_KEY (OpenAiConfig.apiKey).";
        } else if (status == 403) {
            hint = "The API key may not do this: check its permissions and the organization/project headers"
                    + " (OPENAI_ORG_ID, OPENAI_PROJECT_ID).";
        } else if (status == 404 || status == 405) {
            hint = "No such API endpoint: check the base URL (OPENAI_BASE_URL, now " + context.baseUrl()
                    + "); OpenAI-compatible servers usually serve the API under /v1, e.g. http://localhost:8000/v1.";
        } else if (status == 429) {
            if ("insufficient_quota".equals(error.code())) {
                hint = "The account's quota is used up: check the plan and billing; retrying will not help.";
            } else {
                retryable = true;
                hint = "Rate limited.";
            }
        } else if (status >= 500) {
            retryable = true;
            hint = "Server error.";
        } else {
            hint = "The request was rejected; it will not be retried.";
        }
        return new DecodedError(message.append(". ").append(hint).toString(), retryable);
    }

    private static boolean isUnknownModel(int status, ErrorBody error) {
        if (status != 400 && status != 404) {
            return false;
        }
        String code = error.code() == null ? "" : error.code().toLowerCase(Locale.ROOT);
        if (code.equals("model_not_found") || code.equals("deploymentnotfound")) {
            return true;
        }
        String text = error.message() == null ? "" : error.message().toLowerCase(Locale.ROOT);
        return (text.contains("model") || text.contains("deployment"))
                && (text.contains("not found") || text.contains("does not exist") || text.contains("not exist"));
    }

    static ErrorBody parse(String body) {
        if (body == null || body.isBlank()) {
            return new ErrorBody(null, null, null);
        }
        JsonNode root;
        try {
            root = JsonHttpClient.MAPPER.readTree(body);
        } catch (Exception notJson) {
            return new ErrorBody(null, null, null);
        }
        if (root == null || !root.isObject()) {
            return new ErrorBody(null, null, null);
        }
        JsonNode error = root.get("error");
        if (error != null && error.isTextual()) {
            return new ErrorBody(error.asText(), null, null);
        }
        JsonNode source = error != null && error.isObject() ? error : root;
        return new ErrorBody(text(source.get("message")), text(source.get("type")), text(source.get("code")));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}

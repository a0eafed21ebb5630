package dev.memlayer.llm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;

/**
 * The JSON pieces of a chat request and answer that OpenAI's Chat Completions API and Ollama's chat
 * API write alike: caller-supplied JSON schemas, function tools, and tool-call arguments. Stateless;
 * uses {@link JsonHttpClient#MAPPER}.
 */
public final class ChatJson {

    private ChatJson() {
    }

    /**
     * Parses JSON text supplied by the caller (a response schema, a tool's parameter schema).
     *
     * @param text the JSON text
     * @param what what the text is, for messages, e.g. {@code "the JSON schema 'facts'"}
     * @return the parsed object
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) "{@code <what> is not valid
     *                             JSON: ...}" when it does not parse, or "{@code <what> must be a
     *                             JSON object, got: ...}" when it is empty or not an object
     */
    public static ObjectNode object(String text, String what) {
        try {
            JsonNode node = JsonHttpClient.MAPPER.readTree(text);
            if (node == null || !node.isObject()) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, what + " must be a JSON object, got: "
                        + JsonHttpClient.snippet(text));
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Adds {@code {"type": "function", "function": {"name", "description", "parameters"}}} to a
     * {@code tools} array; {@code description} is left out when null, and null parameters become
     * {@code {"type": "object"}} (a function without arguments).
     *
     * @param tools       the request's {@code tools} array
     * @param name        the function's name
     * @param description what the function does, or null
     * @param parameters  the JSON schema of its arguments as text, or null
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) when the parameters are not a
     *                             JSON object (see {@link #object})
     */
    public static void addFunctionTool(ArrayNode tools, String name, String description, String parameters) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", name);
        if (description != null) {
            function.put("description", description);
        }
        function.set("parameters", parameters == null
                ? JsonHttpClient.MAPPER.createObjectNode().put("type", "object")
                : object(parameters, "the parameters of tool '" + name + "'"));
    }

    /**
     * Reads a tool call's {@code function.arguments}: OpenAI sends a string of JSON, which is passed
     * through exactly (possibly invalid: the caller decides); Ollama sends an object, which is
     * written as JSON text.
     *
     * @param arguments the {@code arguments} member, may be null
     * @return the arguments as text; null when absent or JSON null
     */
    public static String argumentsText(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return null;
        }
        return arguments.isTextual() ? arguments.asText() : arguments.toString();
    }
}

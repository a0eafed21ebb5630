package dev.memlayer.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Message;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ChatResponse;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.TokenUsage;
import dev.memlayer.api.spi.ToolCall;
import dev.memlayer.api.spi.ToolDefinition;
import dev.memlayer.llm.http.ChatJson;
import dev.memlayer.llm.http.JsonHttpClient;
import dev.memlayer.llm.openai.internal.OpenAiApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LanguageModel} over OpenAI's Chat Completions API ({@code POST {baseUrl}/chat/completions},
 * non-streaming), for OpenAI and any OpenAI-compatible server.
 *
 * <p>Request: {@code model}, {@code messages} ({@code role}, {@code content}, and {@code name}
 * reduced to {@code [a-zA-Z0-9_-]{1,64}}), {@code response_format} ({@code json_object}, or
 * {@code json_schema} with {@code name}, {@code schema}, {@code strict}), {@code tools} (type
 * {@code function}), {@code temperature}/{@code top_p} (never for reasoning models),
 * {@code max_tokens} (or {@code max_completion_tokens} for reasoning models) and
 * {@code reasoning_effort}. Answer: the first choice's {@code message.content}, its
 * {@code tool_calls} with {@code function.arguments} passed through exactly as the server sent them
 * (possibly invalid JSON: the caller decides), {@code finish_reason}, and {@code usage}.
 *
 * <p>Model answers are passed through untouched: code fences or {@code <think>} blocks around JSON
 * are the caller's to strip (memory-core's tolerant parser does). Failures, after bounded retries
 * (see {@link OpenAiConfig}), are {@link LlmException}s with the server's message and HTTP status;
 * a refusal (structured outputs' {@code message.refusal}) is an {@link LlmException} too.
 *
 * <p>Thread-safe. Creating one opens no connection; {@link #close()} releases the HTTP client.
 */
public final class OpenAiLanguageModel implements LanguageModel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiLanguageModel.class);

    private final OpenAiConfig config;
    private final OpenAiApi api;

    /**
     * @param config the settings
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) when the public OpenAI
     *                             endpoint is configured without an API key (the message names
     *                             {@code OPENAI_API_KEY})
     */
    public OpenAiLanguageModel(OpenAiConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.api = new OpenAiApi(config);
    }

    /** @return the settings this model uses */
    public OpenAiConfig config() {
        return config;
    }

    /**
     * @return {@link OpenAiConfig#supportsJsonSchema()}: true for OpenAI and Azure OpenAI, and for
     *         compatible servers declared to enforce JSON schemas
     */
    @Override
    public boolean supportsJsonSchema() {
        return config.supportsJsonSchema();
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) when a JSON schema or tool
     *                             parameter schema is not valid JSON
     * @throws LlmException        when the server fails after bounded retries, answers with
     *                             something that is not a chat completion, or refuses
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.messages().isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_MESSAGES, "A chat request needs at least one message");
        }
        ObjectNode body = requestBody(request);
        long start = System.nanoTime();
        JsonNode answer = api.post("OpenAI chat completion (model " + config.chatModel() + ")", "/chat/completions",
                body, config.chatModel(), "OpenAiConfig.chatModel / MEMLAYER_OPENAI_MODEL");
        ChatResponse response = parse(answer);
        if (LOG.isDebugEnabled()) {
            LOG.debug("chat completion: model {}, {} prompt + {} completion tokens, finish {}, {} ms", config.chatModel(),
                    response.usage().promptTokens(), response.usage().completionTokens(), response.finishReason(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return response;
    }

    ObjectNode requestBody(ChatRequest request) {
        ObjectNode body = JsonHttpClient.MAPPER.createObjectNode();
        body.put("model", config.chatModel());
        ArrayNode messages = body.putArray("messages");
        for (Message message : request.messages()) {
            ObjectNode m = messages.addObject();
            m.put("role", message.role().wireName());
            m.put("content", message.content());
            String name = wireName(message.name());
            if (name != null) {
                m.put("name", name);
            }
        }
        switch (request.responseFormat()) {
            case ResponseFormat.Text text -> {
                // the default; nothing to send
            }
            case ResponseFormat.JsonObject json -> body.putObject("response_format").put("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                ObjectNode format = body.putObject("response_format");
                format.put("type", "json_schema");
                ObjectNode jsonSchema = format.putObject("json_schema");
                jsonSchema.put("name", schema.name());
                jsonSchema.set("schema", ChatJson.object(schema.schema(), "the JSON schema '" + schema.name() + "'"));
                jsonSchema.put("strict", schema.strict());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ChatJson.addFunctionTool(tools, tool.name(), tool.description(), tool.parameters());
            }
        }
        boolean reasoning = config.isReasoningModel();
        Double temperature = request.temperature() != null ? request.temperature() : config.temperature();
        if (!reasoning) {
            if (temperature != null) {
                body.put("temperature", temperature);
            }
            if (config.topP() != null) {
                body.put("top_p", config.topP());
            }
        }
        Integer maxTokens = request.maxTokens() != null ? request.maxTokens() : config.maxTokens();
        if (maxTokens != null) {
            body.put(reasoning ? "max_completion_tokens" : "max_tokens", maxTokens);
        }
        if (reasoning && config.reasoningEffort() != null) {
            body.put("reasoning_effort", config.reasoningEffort());
        }
        return body;
    }

    private ChatResponse parse(JsonNode answer) {
        JsonNode choices = answer.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw malformed("no choices", answer);
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.get("message");
        if (message == null || !message.isObject()) {
            throw malformed("no choices[0].message", answer);
        }
        String content = content(message.get("content"));
        JsonNode refusal = message.get("refusal");
        if (content == null && refusal != null && refusal.isTextual() && !refusal.asText().isBlank()) {
            throw new LlmException("OpenAI chat completion (model " + config.chatModel() + ") was refused by the model: "
                    + refusal.asText());
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        JsonNode calls = message.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                JsonNode function = call.get("function");
                if (function == null || !function.isObject()) {
                    throw malformed("a tool call without a function", answer);
                }
                String args = ChatJson.argumentsText(function.get("arguments"));
                toolCalls.add(new ToolCall(textOrNull(call.get("id")), textOrNull(function.get("name")), args));
            }
        }
        TokenUsage usage = TokenUsage.NONE;
        JsonNode u = answer.get("usage");
        if (u != null && u.isObject()) {
            usage = new TokenUsage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
        }
        return new ChatResponse(content, toolCalls, textOrNull(choice.get("finish_reason")), usage);
    }

    /** Text content, or the joined text parts of a content array (some compatible servers send one). */
    private static String content(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : node) {
                if (part.hasNonNull("text")) {
                    sb.append(part.get("text").asText());
                }
            }
            return sb.toString();
        }
        return node.toString();
    }

    private LlmException malformed(String what, JsonNode answer) {
        return new LlmException("OpenAI chat completion (model " + config.chatModel() + ") failed: the answer from "
                + api.uri("/chat/completions") + " is not a chat completion (" + what + "): "
                + JsonHttpClient.snippet(answer.toString()));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** OpenAI accepts participant names matching {@code [a-zA-Z0-9_-]{1,64}}; others are reduced to that. */
    static String wireName(String name) {
        if (name == null) {
            return null;
        }
        String cleaned = name.replaceAll("[^a-zA-Z0-9_-]", "_");
        if (cleaned.replace("_", "").isEmpty()) {
            return null;
        }
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        api.close();
    }

    @Override
    public String toString() {
        return "OpenAiLanguageModel[" + config.chatModel() + " at " + config.baseUrl() + "]";
    }
}

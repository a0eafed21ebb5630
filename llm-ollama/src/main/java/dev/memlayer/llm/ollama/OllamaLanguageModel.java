package dev.memlayer.llm.ollama;

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
import dev.memlayer.llm.ollama.internal.OllamaApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LanguageModel} over Ollama's native chat API ({@code POST {baseUrl}/api/chat} with
 * {@code "stream": false}).
 *
 * <p>Request: {@code model}, {@code messages} ({@code role}, {@code content}), {@code format}
 * ({@code "json"} for {@link ResponseFormat.JsonObject}, the schema object for
 * {@link ResponseFormat.JsonSchema}), {@code tools} (type {@code function}), {@code options}
 * ({@code temperature}, {@code num_ctx}, {@code num_predict} and any configured extra),
 * {@code keep_alive} and {@code think}. Answer: {@code message.content}; {@code message.tool_calls},
 * whose {@code function.arguments} object is handed over as JSON text (a string, from a
 * non-conforming proxy, is handed over raw); {@code done_reason} as the finish reason;
 * {@code prompt_eval_count} and {@code eval_count} as token usage. A thinking model's separate
 * {@code message.thinking} is dropped; {@code <think>} blocks inside the content are passed through
 * for the caller's tolerant parser.
 *
 * <p>Failures, after bounded retries (see {@link OllamaConfig}), are {@link LlmException}s with
 * Ollama's {@code error} message and the HTTP status; an unknown model says to {@code ollama pull}
 * it. Thread-safe. Creating one opens no connection; {@link #close()} releases the HTTP client.
 */
public final class OllamaLanguageModel implements LanguageModel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OllamaLanguageModel.class);

    private final OllamaConfig config;
    private final OllamaApi api;

    /** @param config the settings */
    public OllamaLanguageModel(OllamaConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.api = new OllamaApi(config);
    }

    /** @return the settings this model uses */
    public OllamaConfig config() {
        return config;
    }

    /** @return {@link OllamaConfig#jsonSchemaSupported()} (Ollama 0.5 and later enforce {@code format} schemas) */
    @Override
    public boolean supportsJsonSchema() {
        return config.jsonSchemaSupported();
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) when a JSON schema or tool
     *                             parameter schema is not valid JSON
     * @throws LlmException        when Ollama fails after bounded retries or answers with something
     *                             that is not a chat response
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.messages().isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_MESSAGES, "A chat request needs at least one message");
        }
        ObjectNode body = requestBody(request);
        long start = System.nanoTime();
        JsonNode answer = api.post("Ollama chat (model " + config.chatModel() + ")", "/api/chat", body,
                config.chatModel(), "OllamaConfig.chatModel / MEMLAYER_OLLAMA_MODEL");
        ChatResponse response = parse(answer);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Ollama chat: model {}, {} prompt + {} completion tokens, done_reason {}, {} ms", config.chatModel(),
                    response.usage().promptTokens(), response.usage().completionTokens(), response.finishReason(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return response;
    }

    private ObjectNode requestBody(ChatRequest request) {
        ObjectNode body = JsonHttpClient.MAPPER.createObjectNode();
        body.put("model", config.chatModel());
        ArrayNode messages = body.putArray("messages");
        for (Message message : request.messages()) {
            messages.addObject().put("role", message.role().wireName()).put("content", message.content());
        }
        body.put("stream", false);
        switch (request.responseFormat()) {
            case ResponseFormat.Text text -> {
                // the default; nothing to send
            }
            case ResponseFormat.JsonObject json -> body.put("format", "json");
            case ResponseFormat.JsonSchema schema ->
                    body.set("format", ChatJson.object(schema.schema(), "the JSON schema '" + schema.name() + "'"));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ChatJson.addFunctionTool(tools, tool.name(), tool.description(), tool.parameters());
            }
        }
        ObjectNode options = JsonHttpClient.MAPPER.createObjectNode();
        config.options().forEach((name, value) -> options.set(name, JsonHttpClient.MAPPER.valueToTree(value)));
        Double temperature = request.temperature() != null ? request.temperature() : config.temperature();
        if (temperature != null) {
            options.put("temperature", temperature);
        }
        if (config.numCtx() != null) {
            options.put("num_ctx", config.numCtx());
        }
        Integer maxTokens = request.maxTokens() != null ? request.maxTokens() : config.maxTokens();
        if (maxTokens != null) {
            options.put("num_predict", maxTokens);
        }
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        if (config.keepAlive() != null) {
            body.put("keep_alive", config.keepAlive());
        }
        if (config.think() != null) {
            body.put("think", config.think());
        }
        return body;
    }

    private ChatResponse parse(JsonNode answer) {
        JsonNode message = answer.get("message");
        if (message == null || !message.isObject()) {
            throw new LlmException("Ollama chat (model " + config.chatModel() + ") failed: the answer from "
                    + api.uri("/api/chat") + " is not a chat response (no message): " + JsonHttpClient.snippet(answer.toString()));
        }
        JsonNode contentNode = message.get("content");
        String content = contentNode == null || contentNode.isNull() ? null : contentNode.asText();
        List<ToolCall> toolCalls = new ArrayList<>();
        JsonNode calls = message.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                JsonNode function = call.path("function");
                String args = ChatJson.argumentsText(function.get("arguments"));
                String id = call.hasNonNull("id") ? call.get("id").asText() : null;
                toolCalls.add(new ToolCall(id, function.hasNonNull("name") ? function.get("name").asText() : null, args));
            }
        }
        TokenUsage usage = answer.has("prompt_eval_count") || answer.has("eval_count")
                ? new TokenUsage(answer.path("prompt_eval_count").asLong(0), answer.path("eval_count").asLong(0))
                : TokenUsage.NONE;
        String finish = answer.hasNonNull("done_reason") ? answer.get("done_reason").asText() : null;
        if (finish == null && !toolCalls.isEmpty()) {
            finish = "tool_calls";
        }
        return new ChatResponse(content, toolCalls, finish, usage);
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        api.close();
    }

    @Override
    public String toString() {
        return "OllamaLanguageModel[" + config.chatModel() + " at " + config.baseUrl() + "]";
    }
}

package dev.memlayer.llm.ollama.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.Message;
import dev.memlayer.api.Role;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.ToolDefinition;
import dev.memlayer.llm.ollama.OllamaConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A local server speaking Ollama's documented wire format ({@code POST /api/chat} with
 * {@code "stream": false}, {@code POST /api/embed}, errors as {@code {"error": "..."}}) whose
 * answers come from Java functions: each chat call is decoded back into the {@link ChatRequest} the
 * client built, so tests can delegate to a scripted model with the whole HTTP path in between.
 *
 * <p>Ollama's {@code format} carries a bare JSON schema without a name; to let the scripted model
 * recognise the call kind, a schema whose properties hold {@code facts}, {@code memory} or
 * {@code summary} is decoded as the protocol's {@code memlayer_facts},
 * {@code memlayer_memory_actions} or {@code memlayer_procedure} schema; any other schema and
 * {@code "json"} decode as {@link ResponseFormat#JSON_OBJECT}.
 */
final class OllamaScriptServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown by a handler to answer with this status and {@code {"error": message}}. */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** A decoded chat call: the request as the client built it, and the raw body. */
    record ChatCall(ChatRequest request, JsonNode body) {
        String schemaName() {
            return request.responseFormat() instanceof ResponseFormat.JsonSchema s ? s.name() : null;
        }

        String lastUserMessage() {
            return request.messages().get(request.messages().size() - 1).content();
        }
    }

    private final MockWebServer server = new MockWebServer();

    /**
     * @param chat       answers a chat call with the assistant's content
     * @param embeddings answers an embed call (model, inputs) with one vector per input
     */
    OllamaScriptServer(Function<ChatCall, String> chat, BiFunction<String, List<String>, List<float[]>> embeddings) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    JsonNode body = JSON.readTree(request.getBody().utf8());
                    return switch (request.getUrl().encodedPath()) {
                        case "/api/chat" -> onVirtualThread(() -> chat(body, chat));
                        case "/api/embed" -> embed(body, embeddings);
                        default -> respond(404, "404 page not found");
                    };
                } catch (Failure f) {
                    return respond(f.status, JSON.createObjectNode().put("error", f.getMessage()).toString());
                } catch (IOException | RuntimeException e) {
                    return respond(500, JSON.createObjectNode().put("error", String.valueOf(e.getMessage())).toString());
                }
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a handler on a virtual thread, as {@code OpenAiCompatibleTestServer} (virtual thread per
     * request) does. A handler behind HTTP runs on the server's thread, never the caller's;
     * MemoryContract's async test asks the scripted model whether it runs on a virtual thread, which
     * over HTTP says something about the server only.
     */
    private static MockResponse onVirtualThread(Callable<MockResponse> task) throws IOException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            return executor.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
    }

    /** @return a configuration pointing at this server, with short retry waits */
    OllamaConfig.Builder config() {
        return OllamaConfig.builder()
                .baseUrl(server.url("/").uri())
                .chatModel("llama3.1")
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5));
    }

    int requestCount() {
        return server.getRequestCount();
    }

    private static MockResponse chat(JsonNode body, Function<ChatCall, String> chat) throws IOException {
        ChatCall call = new ChatCall(decode(body), body);
        String content = chat.apply(call);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("model", body.path("model").asText());
        answer.put("created_at", "2024-12-06T00:46:58.265747Z");
        answer.putObject("message").put("role", "assistant").put("content", content);
        answer.put("done_reason", "stop");
        answer.put("done", true);
        answer.put("total_duration", 2254970291L);
        answer.put("load_duration", 574751416);
        answer.put("prompt_eval_count", 34);
        answer.put("prompt_eval_duration", 1502000000);
        answer.put("eval_count", 12);
        answer.put("eval_duration", 175000000);
        return respond(200, answer.toString());
    }

    private static MockResponse embed(JsonNode body, BiFunction<String, List<String>, List<float[]>> embeddings) {
        List<String> inputs = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else {
            input.forEach(i -> inputs.add(i.asText()));
        }
        List<float[]> vectors = embeddings.apply(body.path("model").asText(), inputs);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("model", body.path("model").asText());
        ArrayNode array = answer.putArray("embeddings");
        for (float[] v : vectors) {
            ArrayNode a = array.addArray();
            for (float x : v) {
                a.add(x);
            }
        }
        answer.put("total_duration", 14143917);
        answer.put("load_duration", 1019500);
        answer.put("prompt_eval_count", 8);
        return respond(200, answer.toString());
    }

    static ChatRequest decode(JsonNode body) throws IOException {
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            messages.add(new Message(Role.fromWireName(m.path("role").asText()), m.path("content").asText(""), null));
        }
        JsonNode format = body.get("format");
        ResponseFormat responseFormat = ResponseFormat.TEXT;
        if (format != null && format.isTextual() && format.asText().equals("json")) {
            responseFormat = ResponseFormat.JSON_OBJECT;
        } else if (format != null && format.isObject()) {
            JsonNode properties = format.path("properties");
            String name = properties.has("facts") ? "memlayer_facts"
                    : properties.has("memory") ? "memlayer_memory_actions"
                    : properties.has("summary") ? "memlayer_procedure" : null;
            responseFormat = name == null ? ResponseFormat.JSON_OBJECT
                    : new ResponseFormat.JsonSchema(name, JSON.writeValueAsString(format), true);
        }
        List<ToolDefinition> tools = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            JsonNode f = tool.path("function");
            tools.add(new ToolDefinition(f.path("name").asText(), f.hasNonNull("description") ? f.get("description").asText() : null,
                    JSON.writeValueAsString(f.path("parameters"))));
        }
        JsonNode options = body.path("options");
        Double temperature = options.hasNonNull("temperature") ? options.get("temperature").asDouble() : null;
        Integer maxTokens = options.hasNonNull("num_predict") ? options.get("num_predict").asInt() : null;
        return new ChatRequest(messages, responseFormat, tools, temperature, maxTokens);
    }

    private static MockResponse respond(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json; charset=utf-8")
                .body(body).build();
    }

    @Override
    public void close() {
        server.close();
    }
}

package dev.memlayer.llm.openai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.memlayer.api.Message;
import dev.memlayer.api.Role;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.ToolDefinition;
import dev.memlayer.llm.http.JsonHttpClient;
import dev.memlayer.llm.openai.OpenAiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A zero-latency, in-process OpenAI-compatible server for tests and benchmarks: it answers
 * {@code POST /v1/chat/completions} with whatever a {@link ChatHandler} returns, in the documented
 * chat-completion shape ({@code id}, {@code object}, {@code created}, {@code model},
 * {@code choices[].message}, {@code finish_reason}, {@code usage}), and {@code POST /v1/embeddings}
 * with the vectors of an {@link EmbeddingHandler} (by default {@link #embedding deterministic unit
 * vectors}: a hashed bag of words, so texts sharing words are similar). Built on the JDK's
 * {@code com.sun.net.httpserver}; listens on 127.0.0.1 on a free port.
 *
 * <p>Each chat call reaches the handler decoded back into the {@link ChatRequest} the client sent
 * ({@link ChatCall#request()}), so a handler can delegate to any in-process {@link
 * dev.memlayer.api.spi.LanguageModel} (e.g. a scripted test model) and the whole HTTP path is
 * exercised in between.
 *
 * <pre>{@code
 * try (var server = OpenAiCompatibleTestServer.start(call ->
 *          call.schemaName() != null && call.schemaName().equals("memlayer_facts")
 *              ? "{\"facts\": [{\"text\": \"Likes tea\", \"categories\": []}]}"
 *              : "{\"memory\": []}", 384);
 *      var llm = new OpenAiLanguageModel(server.config().build());
 *      var embedder = new OpenAiEmbedder(server.config().build())) {
 *     ...
 * }
 * }</pre>
 *
 * <p>A handler that throws {@link Failure} makes the server answer with that status and an OpenAI
 * error body; any other exception is answered with HTTP 500 (which clients retry). Thread-safe.
 * This class is a test fixture: it is not meant for production traffic.
 */
public final class OpenAiCompatibleTestServer implements AutoCloseable {

    /** Produces the assistant's content for one chat call. Must be thread-safe. */
    @FunctionalInterface
    public interface ChatHandler {
        /**
         * @param call the request, decoded
         * @return the assistant message's content
         */
        String answer(ChatCall call);
    }

    /** Produces the vectors for one embeddings call. Must be thread-safe. */
    @FunctionalInterface
    public interface EmbeddingHandler {
        /**
         * @param texts      the inputs, in order
         * @param dimensions the requested length ({@code dimensions} if the client sent it, else the
         *                   server's)
         * @return one vector per input, in order
         */
        List<float[]> embed(List<String> texts, int dimensions);
    }

    /** Thrown by a handler to make the server answer with this HTTP status and message. */
    public static final class Failure extends RuntimeException {
        private final int status;

        /**
         * @param status  the HTTP status to answer with, 400 to 599
         * @param message the error message put in the OpenAI error body
         */
        public Failure(int status, String message) {
            super(message);
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be 400..599, got " + status);
            }
            this.status = status;
        }

        /** @return the HTTP status */
        public int status() {
            return status;
        }
    }

    /**
     * One chat-completions request, decoded.
     *
     * @param model       the {@code model} field
     * @param request     the request as the client built it: messages (system, user, assistant),
     *                    {@code response_format} (text, JSON object, or JSON schema with its name,
     *                    schema text and strictness), tools, temperature, and {@code max_tokens} or
     *                    {@code max_completion_tokens}
     * @param requestJson the raw request body
     */
    public record ChatCall(String model, ChatRequest request, String requestJson) {

        /** @return the messages */
        public List<Message> messages() {
            return request.messages();
        }

        /** @return the JSON schema's name, or null when the call asked for no schema */
        public String schemaName() {
            return request.responseFormat() instanceof ResponseFormat.JsonSchema schema ? schema.name() : null;
        }

        /** @return the content of the last user message, or null if there is none */
        public String lastUserMessage() {
            List<Message> messages = request.messages();
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (messages.get(i).role() == Role.USER) {
                    return messages.get(i).content();
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ChatHandler handler;
    private final EmbeddingHandler embeddingHandler;
    private final int dimensions;
    private final AtomicLong chatCalls = new AtomicLong();
    private final AtomicLong embeddingCalls = new AtomicLong();

    private OpenAiCompatibleTestServer(ChatHandler handler, EmbeddingHandler embeddingHandler, int dimensions)
            throws IOException {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.embeddingHandler = Objects.requireNonNull(embeddingHandler, "embeddingHandler");
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be at least 1, got " + dimensions);
        }
        this.dimensions = dimensions;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/embeddings", this::embeddings);
        server.createContext("/", exchange -> send(exchange, 404, error("Unknown path " + exchange.getRequestURI().getPath(),
                "invalid_request_error", "unknown_url")));
        server.start();
    }

    /**
     * Starts a server.
     *
     * @param handler    answers chat calls
     * @param dimensions the length of the embeddings it returns
     * @return the running server; close it when done
     * @throws IllegalStateException if no local port can be bound
     */
    public static OpenAiCompatibleTestServer start(ChatHandler handler, int dimensions) {
        return start(handler, (texts, dims) -> texts.stream().map(t -> embedding(t, dims)).toList(), dimensions);
    }

    /**
     * Starts a server with its own embeddings.
     *
     * @param handler          answers chat calls
     * @param embeddingHandler answers embeddings calls
     * @param dimensions       the embedding length the server announces in {@link #config()}
     * @return the running server; close it when done
     * @throws IllegalStateException if no local port can be bound
     */
    public static OpenAiCompatibleTestServer start(ChatHandler handler, EmbeddingHandler embeddingHandler, int dimensions) {
        try {
            return new OpenAiCompatibleTestServer(handler, embeddingHandler, dimensions);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the OpenAI-compatible test server: " + e.getMessage(), e);
        }
    }

    /** @return the API root, {@code http://127.0.0.1:<port>/v1} */
    public URI baseUrl() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/v1");
    }

    /**
     * @return a configuration builder pointing at this server: a dummy API key, chat model
     *         {@code test-chat}, embedding model {@code test-embedding} with this server's
     *         dimensions, JSON schemas enabled, and short retry waits
     */
    public OpenAiConfig.Builder config() {
        return OpenAiConfig.builder()
                .baseUrl(baseUrl())
                .apiKey("test-key")
                .chatModel("test-chat")
                .embeddingModel("test-embedding")
                .embeddingDimensions(dimensions)
                .jsonSchemaSupported(true)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50));
    }

    /** @return how many chat-completion requests were answered */
    public long chatRequestCount() {
        return chatCalls.get();
    }

    /** @return how many embeddings requests were answered */
    public long embeddingRequestCount() {
        return embeddingCalls.get();
    }

    /**
     * The embedding this server returns for a text: lower-cased words (letters and digits) hashed
     * into {@code dimensions} buckets with a hashed sign, then L2-normalised; a text without words
     * maps to the first unit vector.
     *
     * @return a unit vector of length {@code dimensions}
     */
    public static float[] embedding(String text, int dimensions) {
        float[] v = new float[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int h = word.hashCode() * 0x9E3779B9;
            int bucket = Math.floorMod(h, dimensions);
            v[bucket] += ((h >>> 16) & 1) == 0 ? 1f : -1f;
        }
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            v[0] = 1f;
            return v;
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("Use POST", "invalid_request_error", null));
                return;
            }
            String raw = read(exchange.getRequestBody());
            JsonNode request;
            try {
                request = JsonHttpClient.MAPPER.readTree(raw);
            } catch (IOException e) {
                send(exchange, 400, error("The request body is not valid JSON", "invalid_request_error", null));
                return;
            }
            String model = request.path("model").asText();
            ChatRequest chatRequest;
            try {
                chatRequest = decode(request);
            } catch (IOException | RuntimeException e) {
                send(exchange, 400, error("Invalid request: " + e.getMessage(), "invalid_request_error", null));
                return;
            }
            String content;
            try {
                content = handler.answer(new ChatCall(model, chatRequest, raw));
            } catch (Failure e) {
                send(exchange, e.status(), error(e.getMessage(), e.status() >= 500 ? "server_error" : "invalid_request_error", null));
                return;
            } catch (RuntimeException e) {
                send(exchange, 500, error("Test handler failed: " + e.getMessage(), "server_error", null));
                return;
            }
            chatCalls.incrementAndGet();
            ObjectNode body = JsonHttpClient.MAPPER.createObjectNode();
            body.put("id", "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));
            body.put("object", "chat.completion");
            body.put("created", System.currentTimeMillis() / 1000);
            body.put("model", model);
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
            message.putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", "stop");
            int promptTokens = Math.max(1, raw.length() / 4);
            int completionTokens = content == null ? 0 : Math.max(1, content.length() / 4);
            ObjectNode usage = body.putObject("usage");
            usage.put("prompt_tokens", promptTokens);
            usage.put("completion_tokens", completionTokens);
            usage.put("total_tokens", promptTokens + completionTokens);
            send(exchange, 200, body);
        }
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request;
            try {
                request = JsonHttpClient.MAPPER.readTree(read(exchange.getRequestBody()));
            } catch (IOException e) {
                send(exchange, 400, error("The request body is not valid JSON", "invalid_request_error", null));
                return;
            }
            JsonNode input = request.path("input");
            List<String> texts = new ArrayList<>();
            if (input.isTextual()) {
                texts.add(input.asText());
            } else if (input.isArray()) {
                input.forEach(t -> texts.add(t.asText()));
            } else {
                send(exchange, 400, error("'input' must be a string or an array of strings", "invalid_request_error", null));
                return;
            }
            int dims = request.hasNonNull("dimensions") ? request.get("dimensions").asInt() : dimensions;
            List<float[]> vectors;
            try {
                vectors = embeddingHandler.embed(List.copyOf(texts), dims);
            } catch (Failure e) {
                send(exchange, e.status(), error(e.getMessage(), e.status() >= 500 ? "server_error" : "invalid_request_error", null));
                return;
            } catch (RuntimeException e) {
                send(exchange, 500, error("Test embedding handler failed: " + e.getMessage(), "server_error", null));
                return;
            }
            if (vectors == null || vectors.size() != texts.size()) {
                send(exchange, 500, error("Test embedding handler returned " + (vectors == null ? "null" : vectors.size())
                        + " vectors for " + texts.size() + " inputs", "server_error", null));
                return;
            }
            embeddingCalls.incrementAndGet();
            ObjectNode body = JsonHttpClient.MAPPER.createObjectNode();
            body.put("object", "list");
            ArrayNode data = body.putArray("data");
            int tokens = 0;
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                ArrayNode vector = item.putArray("embedding");
                for (float x : vectors.get(i)) {
                    vector.add(x);
                }
                item.put("index", i);
                tokens += Math.max(1, texts.get(i).length() / 4);
            }
            body.put("model", request.path("model").asText());
            body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
            send(exchange, 200, body);
        }
    }

    /** Rebuilds the {@link ChatRequest} a client sent from its Chat Completions body. */
    static ChatRequest decode(JsonNode body) throws IOException {
        List<Message> messages = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            Role role = switch (m.path("role").asText()) {
                case "system", "developer" -> Role.SYSTEM;
                case "assistant" -> Role.ASSISTANT;
                case "user" -> Role.USER;
                default -> throw new IllegalArgumentException("unsupported role '" + m.path("role").asText() + "'");
            };
            String name = m.hasNonNull("name") ? m.get("name").asText() : null;
            messages.add(new Message(role, m.path("content").asText(""), name));
        }
        JsonNode format = body.path("response_format");
        ResponseFormat responseFormat = switch (format.path("type").asText("text")) {
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema");
                yield new ResponseFormat.JsonSchema(schema.path("name").asText(),
                        JsonHttpClient.MAPPER.writeValueAsString(schema.path("schema")), schema.path("strict").asBoolean(false));
            }
            default -> ResponseFormat.TEXT;
        };
        List<ToolDefinition> tools = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            JsonNode function = tool.path("function");
            tools.add(new ToolDefinition(function.path("name").asText(),
                    function.hasNonNull("description") ? function.get("description").asText() : null,
                    function.has("parameters") ? JsonHttpClient.MAPPER.writeValueAsString(function.get("parameters")) : null));
        }
        Double temperature = body.hasNonNull("temperature") ? body.get("temperature").asDouble() : null;
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        Integer maxTokens = max == null || max.isNull() ? null : max.asInt();
        return new ChatRequest(messages, responseFormat, tools, temperature, maxTokens);
    }

    private static ObjectNode error(String message, String type, String code) {
        ObjectNode body = JsonHttpClient.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return body;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JsonHttpClient.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}

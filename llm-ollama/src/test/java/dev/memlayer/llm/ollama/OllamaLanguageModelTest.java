package dev.memlayer.llm.ollama;

import static dev.memlayer.llm.http.fixtures.WireJson.body;
import static dev.memlayer.llm.ollama.OllamaWire.chat;
import static dev.memlayer.llm.ollama.OllamaWire.error;
import static dev.memlayer.llm.ollama.OllamaWire.ok;
import static dev.memlayer.llm.ollama.OllamaWire.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Message;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ChatResponse;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.TokenUsage;
import dev.memlayer.api.spi.ToolCall;
import dev.memlayer.api.spi.ToolDefinition;
import dev.memlayer.llm.http.fixtures.WireJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaLanguageModelTest {

    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OllamaConfig.Builder config() {
        return OllamaConfig.builder()
                .baseUrl(server.url("/").uri())
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20))
                .requestTimeout(Duration.ofSeconds(5));
    }

    private static ChatRequest userSays(String text) {
        return ChatRequest.of(List.of(Message.system("You extract facts."), Message.user(text)));
    }

    private ChatResponse chatWith(OllamaConfig config, ChatRequest request) {
        try (OllamaLanguageModel model = new OllamaLanguageModel(config)) {
            return model.chat(request);
        }
    }

    @Test
    void chat_posts_a_non_streaming_request_and_reads_the_documented_answer() throws Exception {
        server.enqueue(ok(chat("Hello! How are you today?")));

        ChatResponse response = chatWith(config().chatModel("llama3.2").build(), userSays("why is the sky blue?"));

        assertThat(response.content()).isEqualTo("Hello! How are you today?");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage()).isEqualTo(new TokenUsage(26, 298));
        assertThat(response.toolCalls()).isEmpty();
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/api/chat");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        JsonNode body = body(request);
        assertThat(body.get("model").asText()).isEqualTo("llama3.2");
        assertThat(body.get("stream").asBoolean(true)).isFalse();
        assertThat(body.get("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"You extract facts.\"},{\"role\":\"user\",\"content\":\"why is the sky blue?\"}]");
        assertThat(body.get("options").get("temperature").asDouble()).isEqualTo(OllamaConfig.DEFAULT_TEMPERATURE);
        assertThat(body.has("format")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("keep_alive")).isFalse();
    }

    @Test
    void options_keep_alive_and_think_are_sent_as_configured() throws Exception {
        server.enqueue(ok(chat("ok")));

        chatWith(config().numCtx(8192).maxTokens(512).option("seed", 101).option("top_p", 0.9).keepAlive("30m")
                .think(false).apiKey("secret").build(), new ChatRequest(List.of(Message.user("hi")), ResponseFormat.TEXT,
                List.of(), 0.0, null));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer secret");
        JsonNode body = body(request);
        assertThat(body.get("options").toString())
                .isEqualTo("{\"seed\":101,\"top_p\":0.9,\"temperature\":0.0,\"num_ctx\":8192,\"num_predict\":512}");
        assertThat(body.get("keep_alive").asText()).isEqualTo("30m");
        assertThat(body.get("think").asBoolean(true)).isFalse();
    }

    @Test
    void json_object_format_is_sent_as_format_json() throws Exception {
        server.enqueue(ok(chat("{\"facts\": []}")));

        chatWith(config().build(), userSays("x").withResponseFormat(ResponseFormat.JSON_OBJECT));

        assertThat(body(server.takeRequest()).get("format").asText()).isEqualTo("json");
    }

    @Test
    void json_schema_format_is_sent_as_the_schema_object() throws Exception {
        server.enqueue(ok(chat("{\"age\": 22, \"available\": false}")));
        String schema = """
                {"type": "object", "properties": {"age": {"type": "integer"}, "available": {"type": "boolean"}},
                 "required": ["age", "available"]}""";

        ChatResponse response = chatWith(config().build(),
                userSays("Ollama is 22 years old").withResponseFormat(new ResponseFormat.JsonSchema("memlayer_facts", schema, true)));

        assertThat(response.content()).isEqualTo("{\"age\": 22, \"available\": false}");
        assertThat(body(server.takeRequest()).get("format")).isEqualTo(WireJson.parse(schema));
    }

    @Test
    void json_schema_support_defaults_to_true_and_can_be_switched_off() {
        try (OllamaLanguageModel on = new OllamaLanguageModel(config().build());
             OllamaLanguageModel off = new OllamaLanguageModel(config().jsonSchemaSupported(false).build())) {
            assertThat(on.supportsJsonSchema()).isTrue();
            assertThat(off.supportsJsonSchema()).isFalse();
        }
    }

    @Test
    void an_invalid_schema_is_a_validation_error_and_nothing_is_sent() {
        assertThatThrownBy(() -> chatWith(config().build(),
                userSays("x").withResponseFormat(new ResponseFormat.JsonSchema("s", "[1, 2", true))))
                .isInstanceOf(ValidationException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void tools_are_sent_and_tool_call_argument_objects_come_back_as_json_text() throws Exception {
        ObjectNode arguments = OllamaWire.JSON.createObjectNode().put("format", "celsius").put("location", "Paris, FR");
        server.enqueue(ok(OllamaWire.toolCall("get_current_weather", arguments)));
        String parameters = """
                {"type": "object", "properties": {"location": {"type": "string"}, "format": {"type": "string",
                 "enum": ["celsius", "fahrenheit"]}}, "required": ["location", "format"]}""";

        ChatResponse response = chatWith(config().build(), new ChatRequest(List.of(Message.user("Weather in Paris?")),
                ResponseFormat.TEXT, List.of(new ToolDefinition("get_current_weather", "Get the current weather", parameters)),
                null, null));

        assertThat(response.toolCalls()).containsExactly(
                new ToolCall(null, "get_current_weather", "{\"format\":\"celsius\",\"location\":\"Paris, FR\"}"));
        JsonNode tools = body(server.takeRequest()).get("tools");
        assertThat(tools.get(0).get("type").asText()).isEqualTo("function");
        assertThat(tools.get(0).get("function").get("name").asText()).isEqualTo("get_current_weather");
        assertThat(tools.get(0).get("function").get("parameters")).isEqualTo(WireJson.parse(parameters));
    }

    /**
     * Ollama itself sends arguments as an object, so they are valid JSON by construction; a proxy
     * or older server that sends a string gets it handed over raw, even when it is not JSON.
     */
    @Test
    void a_tool_call_with_invalid_json_string_arguments_is_surfaced_raw() {
        server.enqueue(ok(OllamaWire.toolCall("add_memory", OllamaWire.JSON.getNodeFactory().textNode("{\"text\": oops"))));

        ChatResponse response = chatWith(config().build(), userSays("remember"));

        assertThat(response.toolCalls()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).isEqualTo("{\"text\": oops"));
    }

    @Test
    void model_answers_with_code_fences_or_think_blocks_are_passed_through_verbatim() {
        String fenced = "```json\n{\"facts\": [\"Likes tea\"]}\n```";
        String thinking = "<think>\nThe user likes tea.\n</think>\n\n{\"facts\": [\"Likes tea\"]}";
        server.enqueue(ok(chat(fenced)));
        server.enqueue(ok(chat(thinking)));

        try (OllamaLanguageModel model = new OllamaLanguageModel(config().build())) {
            assertThat(model.chat(userSays("I like tea")).content()).isEqualTo(fenced);
            assertThat(model.chat(userSays("I like tea")).content()).isEqualTo(thinking);
        }
    }

    @Test
    void separate_thinking_is_dropped_and_the_content_kept() {
        ObjectNode answer = OllamaWire.chatNode("qwen3", "{\"facts\": []}");
        ((ObjectNode) answer.get("message")).put("thinking", "Let me think about the facts...");
        server.enqueue(ok(answer.toString()));

        assertThat(chatWith(config().think(true).build(), userSays("hi")).content()).isEqualTo("{\"facts\": []}");
    }

    @Test
    void rate_limit_429_with_retry_after_is_waited_out_then_succeeds() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                .body(error("too many requests")).build());
        server.enqueue(ok(chat("finally")));

        long start = System.nanoTime();
        ChatResponse response = chatWith(config().build(), userSays("hi"));

        assertThat(response.content()).isEqualTo("finally");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void server_errors_are_retried_and_after_three_attempts_surface_ollamas_message_and_status() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(status(500, error("llama runner process has terminated: signal: killed")));
        }

        assertThatThrownBy(() -> chatWith(config().maxRetries(2).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(500);
                    assertThat(e.getMessage()).contains("llama runner process has terminated").contains("gave up after 3 attempts");
                });
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void a_busy_server_503_is_retried() {
        server.enqueue(status(503, error("server busy, please try again.  maximum pending requests exceeded")));
        server.enqueue(ok(chat("ok")));

        assertThat(chatWith(config().build(), userSays("hi")).content()).isEqualTo("ok");
    }

    @Test
    void a_bad_request_is_not_retried() {
        server.enqueue(status(400, error("registry.ollama.ai/library/gemma:2b does not support tools")));

        assertThatThrownBy(() -> chatWith(config().chatModel("gemma:2b").build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(400);
                    assertThat(e.getMessage()).contains("does not support tools").contains("not be retried");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_unknown_model_says_to_pull_it() {
        server.enqueue(status(404, error("model \"llama9\" not found, try pulling it first")));

        assertThatThrownBy(() -> chatWith(config().chatModel("llama9").build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(404);
                    assertThat(e.getMessage())
                            .contains("model \"llama9\" not found, try pulling it first")
                            .contains("ollama pull llama9")
                            .contains("MEMLAYER_OLLAMA_MODEL");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_404_without_an_ollama_error_says_to_check_the_base_url() {
        server.enqueue(new MockResponse.Builder().code(404).addHeader("Content-Type", "text/plain")
                .body("404 page not found").build());

        assertThatThrownBy(() -> chatWith(config().build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(404);
                    assertThat(e.getMessage()).contains("404 page not found").contains("check the base URL (OLLAMA_HOST");
                });
    }

    @Test
    void connection_refused_asks_whether_ollama_is_running() throws Exception {
        MockWebServer dead = new MockWebServer();
        dead.start();
        var url = dead.url("/").uri();
        dead.close();

        assertThatThrownBy(() -> chatWith(config().baseUrl(url).maxRetries(1).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("could not connect").contains("ollama serve").contains("OLLAMA_HOST");
                });
    }

    @Test
    void a_timeout_is_retried_and_then_reported_as_a_timeout() {
        MockResponse slow = new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body(chat("late")).build();
        server.enqueue(slow);
        server.enqueue(slow);

        assertThatThrownBy(() -> chatWith(config().requestTimeout(Duration.ofMillis(300)).maxRetries(1).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e ->
                        assertThat(e.getMessage()).contains("request timeout").contains("gave up after 2 attempts"));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_json_answer_without_a_message_is_an_llm_exception() {
        server.enqueue(ok("{\"model\": \"llama3.1\", \"response\": \"generate, not chat\", \"done\": true}"));

        assertThatThrownBy(() -> chatWith(config().build(), userSays("hi")))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("not a chat response (no message)");
    }
}

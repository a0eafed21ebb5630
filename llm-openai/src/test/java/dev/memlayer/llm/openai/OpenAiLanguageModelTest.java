package dev.memlayer.llm.openai;

import static dev.memlayer.llm.http.fixtures.WireJson.body;
import static dev.memlayer.llm.http.fixtures.WireJson.ok;
import static dev.memlayer.llm.http.fixtures.WireJson.status;
import static dev.memlayer.llm.openai.OpenAiWire.completion;
import static dev.memlayer.llm.openai.OpenAiWire.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.api.ErrorCode;
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

class OpenAiLanguageModelTest {

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

    private OpenAiConfig.Builder config() {
        return OpenAiConfig.builder()
                .baseUrl(server.url("/v1").toString())
                .apiKey("sk-test")
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20))
                .requestTimeout(Duration.ofSeconds(5));
    }

    private static ChatRequest userSays(String text) {
        return ChatRequest.of(List.of(Message.system("You extract facts."), Message.user(text)));
    }

    private ChatResponse chat(OpenAiConfig config, ChatRequest request) {
        try (OpenAiLanguageModel model = new OpenAiLanguageModel(config)) {
            return model.chat(request);
        }
    }

    @Test
    void chat_sends_model_messages_and_headers_and_reads_the_documented_answer() throws Exception {
        server.enqueue(ok(completion("Hello! How can I help?")));

        ChatResponse response = chat(config().chatModel("gpt-4.1-mini").organization("org-123").project("proj_456")
                .maxTokens(300).build(), userSays("Hi, I'm Alex"));

        assertThat(response.content()).isEqualTo("Hello! How can I help?");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.usage()).isEqualTo(new TokenUsage(19, 10));

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(request.getHeaders().get("OpenAI-Organization")).isEqualTo("org-123");
        assertThat(request.getHeaders().get("OpenAI-Project")).isEqualTo("proj_456");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = body(request);
        assertThat(body.get("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(body.get("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"You extract facts.\"},{\"role\":\"user\",\"content\":\"Hi, I'm Alex\"}]");
        assertThat(body.get("temperature").asDouble()).isEqualTo(OpenAiConfig.DEFAULT_TEMPERATURE);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void request_temperature_and_max_tokens_override_the_configured_ones() throws Exception {
        server.enqueue(ok(completion("ok")));

        chat(config().temperature(0.7).maxTokens(100).build(),
                new ChatRequest(List.of(Message.user("hi")), ResponseFormat.TEXT, List.of(), 0.0, 42));

        JsonNode body = body(server.takeRequest());
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.0);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(42);
    }

    @Test
    void speaker_names_are_sent_in_the_characters_openai_accepts() throws Exception {
        server.enqueue(ok(completion("ok")));

        chat(config().build(), ChatRequest.of(List.of(Message.user("hi").withName("Alex Smith"), Message.user("yo").withName("<|>"))));

        JsonNode messages = body(server.takeRequest()).get("messages");
        assertThat(messages.get(0).get("name").asText()).isEqualTo("Alex_Smith");
        assertThat(messages.get(1).has("name")).isFalse();
    }

    @Test
    void json_object_format_is_sent_as_response_format_json_object() throws Exception {
        server.enqueue(ok(completion("{\"facts\": []}")));

        ChatResponse response = chat(config().build(), userSays("Return JSON").withResponseFormat(ResponseFormat.JSON_OBJECT));

        assertThat(response.content()).isEqualTo("{\"facts\": []}");
        assertThat(body(server.takeRequest()).get("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
    }

    @Test
    void json_schema_format_is_sent_as_strict_structured_output_with_the_schema_as_an_object() throws Exception {
        server.enqueue(ok(completion("{\"facts\": [{\"text\": \"Is vegetarian\", \"categories\": [\"food\"]}]}")));
        String schema = """
                {"type": "object", "properties": {"facts": {"type": "array", "items": {"type": "string"}}},
                 "required": ["facts"], "additionalProperties": false}""";

        chat(config().build(), userSays("I am vegetarian").withResponseFormat(new ResponseFormat.JsonSchema("memlayer_facts", schema, true)));

        JsonNode format = body(server.takeRequest()).get("response_format");
        assertThat(format.get("type").asText()).isEqualTo("json_schema");
        assertThat(format.get("json_schema").get("name").asText()).isEqualTo("memlayer_facts");
        assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
        assertThat(format.get("json_schema").get("schema")).isEqualTo(WireJson.parse(schema));
    }

    @Test
    void an_invalid_json_schema_is_a_validation_error_and_nothing_is_sent() {
        assertThatThrownBy(() -> chat(config().build(),
                userSays("x").withResponseFormat(new ResponseFormat.JsonSchema("broken", "{not json", true))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("broken")
                .satisfies(e -> assertThat(((ValidationException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void json_schema_support_is_on_for_openai_and_azure_and_configurable_for_compatible_servers() {
        assertThat(OpenAiConfig.builder().apiKey("k").build().supportsJsonSchema()).isTrue();
        assertThat(OpenAiConfig.builder().baseUrl("https://res.openai.azure.com/openai/v1").build().supportsJsonSchema()).isTrue();
        assertThat(config().build().supportsJsonSchema()).isFalse();
        try (OpenAiLanguageModel model = new OpenAiLanguageModel(config().jsonSchemaSupported(true).build())) {
            assertThat(model.supportsJsonSchema()).isTrue();
        }
    }

    @Test
    void tools_are_sent_as_functions_and_tool_calls_come_back_with_raw_arguments() throws Exception {
        server.enqueue(ok(OpenAiWire.toolCallCompletion("get_current_weather", "{\n\"location\": \"Boston, MA\"\n}")));
        String parameters = """
                {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}""";
        ChatRequest request = new ChatRequest(List.of(Message.user("Weather in Boston?")), ResponseFormat.TEXT,
                List.of(new ToolDefinition("get_current_weather", "Get the current weather", parameters)), null, null);

        ChatResponse response = chat(config().build(), request);

        assertThat(response.content()).isNull();
        assertThat(response.finishReason()).isEqualTo("tool_calls");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("call_abc123", "get_current_weather", "{\n\"location\": \"Boston, MA\"\n}"));
        JsonNode tools = body(server.takeRequest()).get("tools");
        assertThat(tools).hasSize(1);
        assertThat(tools.get(0).get("type").asText()).isEqualTo("function");
        assertThat(tools.get(0).get("function").get("name").asText()).isEqualTo("get_current_weather");
        assertThat(tools.get(0).get("function").get("description").asText()).isEqualTo("Get the current weather");
        assertThat(tools.get(0).get("function").get("parameters")).isEqualTo(WireJson.parse(parameters));
    }

    /**
     * Models sometimes emit tool arguments that are not JSON. The adapter does not judge them: it
     * hands the raw text over (ToolCall.arguments is documented "possibly invalid"), so the caller
     * can report it or ask the model again.
     */
    @Test
    void a_tool_call_with_invalid_json_arguments_is_surfaced_raw() {
        server.enqueue(ok(OpenAiWire.toolCallCompletion("add_memory", "{\"text\": \"likes tea\",")));

        ChatResponse response = chat(config().build(), userSays("remember I like tea"));

        assertThat(response.toolCalls()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).isEqualTo("{\"text\": \"likes tea\","));
    }

    @Test
    void model_answers_with_code_fences_or_think_blocks_are_passed_through_verbatim() {
        String fenced = "```json\n{\"facts\": [\"Likes tea\"]}\n```";
        String thinking = "<think>The user likes tea.</think>\n{\"facts\": [\"Likes tea\"]}";
        server.enqueue(ok(completion(fenced)));
        server.enqueue(ok(completion(thinking)));

        try (OpenAiLanguageModel model = new OpenAiLanguageModel(config().build())) {
            assertThat(model.chat(userSays("I like tea")).content()).isEqualTo(fenced);
            assertThat(model.chat(userSays("I like tea")).content()).isEqualTo(thinking);
        }
    }

    @Test
    void reasoning_models_get_no_temperature_or_top_p_and_use_max_completion_tokens() throws Exception {
        for (String model : List.of("o1", "o3-mini", "o4-mini-2025-04-16", "gpt-5", "gpt-5-mini", "openai/o3")) {
            server.enqueue(ok(completion("ok")));
            chat(config().chatModel(model).temperature(0.3).topP(0.9).maxTokens(500).reasoningEffort("low").build(),
                    new ChatRequest(List.of(Message.user("hi")), ResponseFormat.TEXT, List.of(), 0.5, null));

            JsonNode body = body(server.takeRequest());
            assertThat(body.has("temperature")).as(model).isFalse();
            assertThat(body.has("top_p")).as(model).isFalse();
            assertThat(body.has("max_tokens")).as(model).isFalse();
            assertThat(body.get("max_completion_tokens").asInt()).as(model).isEqualTo(500);
            assertThat(body.get("reasoning_effort").asText()).as(model).isEqualTo("low");
        }
    }

    @Test
    void chat_models_keep_temperature_and_top_p_and_get_no_reasoning_effort() throws Exception {
        for (String model : List.of("gpt-4.1-nano", "gpt-4o-mini", "gpt-5-chat-latest", "llama-3.3-70b-versatile")) {
            server.enqueue(ok(completion("ok")));
            chat(config().chatModel(model).temperature(0.3).topP(0.9).reasoningEffort("low").build(), userSays("hi"));

            JsonNode body = body(server.takeRequest());
            assertThat(body.get("temperature").asDouble()).as(model).isEqualTo(0.3);
            assertThat(body.get("top_p").asDouble()).as(model).isEqualTo(0.9);
            assertThat(body.has("reasoning_effort")).as(model).isFalse();
        }
    }

    @Test
    void reasoning_can_be_declared_for_models_with_other_names() throws Exception {
        server.enqueue(ok(completion("ok")));

        chat(config().chatModel("deepseek-reasoner").reasoningModel(true).build(), userSays("hi"));

        assertThat(body(server.takeRequest()).has("temperature")).isFalse();
    }

    @Test
    void rate_limit_429_with_retry_after_seconds_is_waited_out_then_succeeds() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                .body(error("Rate limit reached for gpt-4.1-nano on requests per min (RPM): Limit 3, Used 3, Requested 1.",
                        "requests", "rate_limit_exceeded")).build());
        server.enqueue(ok(completion("finally")));

        long start = System.nanoTime();
        ChatResponse response = chat(config().build(), userSays("hi"));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.content()).isEqualTo("finally");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(elapsedMs).as("waited for Retry-After").isGreaterThanOrEqualTo(950);
    }

    @Test
    void server_errors_are_retried_and_after_three_attempts_surface_the_provider_message_and_status() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(status(500, error("The server had an error while processing your request. Sorry about that!",
                    "server_error", null)));
        }

        assertThatThrownBy(() -> chat(config().maxRetries(2).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(500);
                    assertThat(e.getMessage())
                            .contains("HTTP 500")
                            .contains("The server had an error while processing your request")
                            .contains("server_error")
                            .contains("gave up after 3 attempts");
                });
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void a_bad_request_is_not_retried() {
        server.enqueue(status(400, error("Invalid schema for response_format 'memlayer_facts': 'additionalProperties' is required",
                "invalid_request_error", null)));
        server.enqueue(ok(completion("never")));

        assertThatThrownBy(() -> chat(config().build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(400);
                    assertThat(e.getMessage()).contains("Invalid schema for response_format").contains("not be retried");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_exhausted_quota_429_is_not_retried() {
        server.enqueue(status(429, error("You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota", "insufficient_quota")));

        assertThatThrownBy(() -> chat(config().build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(429);
                    assertThat(e.getMessage()).contains("exceeded your current quota").contains("retrying will not help");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_retry_after_longer_than_the_total_timeout_fails_at_once_saying_so() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120")
                .body(error("Rate limit reached", "requests", "rate_limit_exceeded")).build());

        long start = System.nanoTime();
        assertThatThrownBy(() -> chat(config().totalTimeout(Duration.ofSeconds(5)).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(429);
                    assertThat(e.getMessage()).contains("Rate limit reached").contains("total timeout");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_timeout_is_retried_and_then_reported_as_a_timeout() {
        MockResponse slow = new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS)
                .body(completion("too late")).build();
        server.enqueue(slow);
        server.enqueue(slow);

        long start = System.nanoTime();
        assertThatThrownBy(() -> chat(config().requestTimeout(Duration.ofMillis(300)).maxRetries(1).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("request timeout").contains("gave up after 2 attempts");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_json_answer_that_is_not_a_chat_completion_is_an_llm_exception() {
        server.enqueue(ok("{\"object\": \"list\", \"data\": []}"));

        assertThatThrownBy(() -> chat(config().build(), userSays("hi")))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("not a chat completion (no choices)");
    }

    @Test
    void a_refusal_is_an_llm_exception_with_the_refusal_text() {
        JsonNode body = WireJson.parse(completion("x"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("choices").get(0).get("message"))
                .putNull("content").put("refusal", "I'm sorry, I cannot help with that request.");
        server.enqueue(ok(body.toString()));

        assertThatThrownBy(() -> chat(config().build(), userSays("hi")))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining("I cannot help with that request");
    }

    @Test
    void no_api_key_for_the_openai_endpoint_says_to_set_openai_api_key() {
        assertThatThrownBy(() -> new OpenAiLanguageModel(OpenAiConfig.builder().build()))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains("OPENAI_API_KEY").contains("OPENAI_BASE_URL");
                });
    }

    @Test
    void a_compatible_server_needs_no_api_key_and_gets_no_authorization_header() throws Exception {
        server.enqueue(ok(completion("ok")));

        chat(config().apiKey(null).build(), userSays("hi"));

        assertThat(server.takeRequest().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void a_rejected_api_key_says_to_check_openai_api_key() {
        server.enqueue(status(401, error("Incorrect API key provided: sk-test. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key")));

        assertThatThrownBy(() -> chat(config().build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(401);
                    assertThat(e.getMessage()).contains("Incorrect API key provided").contains("check OPENAI_API_KEY");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_unknown_model_says_the_model_does_not_exist_and_where_it_is_configured() {
        server.enqueue(status(404, error("The model `gpt-4.2-turbo` does not exist or you do not have access to it.",
                "invalid_request_error", "model_not_found")));

        assertThatThrownBy(() -> chat(config().chatModel("gpt-4.2-turbo").build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(404);
                    assertThat(e.getMessage())
                            .contains("The model `gpt-4.2-turbo` does not exist")
                            .contains("The model 'gpt-4.2-turbo' does not exist on")
                            .contains("MEMLAYER_OPENAI_MODEL");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_unknown_model_on_vllm_with_its_flat_error_shape_is_recognised() {
        server.enqueue(status(404, "{\"object\": \"error\", \"message\": \"The model `llama-9` does not exist.\","
                + " \"type\": \"NotFoundError\", \"param\": null, \"code\": 404}"));

        assertThatThrownBy(() -> chat(config().chatModel("llama-9").build(), userSays("hi")))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("The model 'llama-9' does not exist on");
    }

    @Test
    void a_404_at_a_wrong_path_says_to_check_the_base_url() {
        server.enqueue(status(404, "{\"error\": {\"code\": 404, \"message\": \"File Not Found\", \"type\": \"not_found_error\"}}"));

        assertThatThrownBy(() -> chat(config().baseUrl(server.url("/").toString()).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(404);
                    assertThat(e.getMessage()).contains("File Not Found").contains("check the base URL").contains("/v1");
                });
    }

    @Test
    void connection_refused_says_to_check_the_base_url() throws Exception {
        MockWebServer dead = new MockWebServer();
        dead.start();
        String url = dead.url("/v1").toString();
        dead.close();

        assertThatThrownBy(() -> chat(config().baseUrl(url).maxRetries(1).build(), userSays("hi")))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("could not connect").contains("Check the base URL (OPENAI_BASE_URL");
                });
    }

    @Test
    void azure_style_deployments_get_the_api_key_header_and_api_version_query() throws Exception {
        server.enqueue(ok(completion("hi from azure")));
        String deployment = server.url("/openai/deployments/gpt-4o-mini").toString() + "?api-version=2024-10-21";

        chat(config().baseUrl(deployment).apiKeyHeader("api-key").apiKey("azure-key").build(), userSays("hi"));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21");
        assertThat(request.getHeaders().get("api-key")).isEqualTo("azure-key");
        assertThat(request.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void extra_headers_are_sent_with_every_request() throws Exception {
        server.enqueue(ok(completion("ok")));

        chat(config().header("HTTP-Referer", "https://example.org/app").header("X-Title", "memlayer").build(), userSays("hi"));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("HTTP-Referer")).isEqualTo("https://example.org/app");
        assertThat(request.getHeaders().get("X-Title")).isEqualTo("memlayer");
    }
}

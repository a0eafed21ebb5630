package dev.memlayer.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.LlmException;
import dev.memlayer.api.Message;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ChatResponse;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.ToolDefinition;
import dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleTestServerTest {

    @Test
    void the_test_server_answers_chat_calls_through_the_handler_in_the_openai_shape() {
        List<OpenAiCompatibleTestServer.ChatCall> calls = new CopyOnWriteArrayList<>();
        try (OpenAiCompatibleTestServer server = OpenAiCompatibleTestServer.start(call -> {
            calls.add(call);
            return "{\"facts\": [\"" + call.lastUserMessage() + "\"]}";
        }, 16);
             OpenAiLanguageModel model = new OpenAiLanguageModel(server.config().build())) {

            ChatResponse response = model.chat(ChatRequest.of(List.of(Message.system("s"), Message.user("Likes tea")))
                    .withResponseFormat(new ResponseFormat.JsonSchema("memlayer_facts", "{\"type\": \"object\"}", true)));

            assertThat(response.content()).isEqualTo("{\"facts\": [\"Likes tea\"]}");
            assertThat(response.finishReason()).isEqualTo("stop");
            assertThat(response.usage().totalTokens()).isPositive();
            assertThat(calls).singleElement().satisfies(call -> {
                assertThat(call.model()).isEqualTo("test-chat");
                assertThat(call.schemaName()).isEqualTo("memlayer_facts");
                assertThat(call.messages()).hasSize(2);
            });
            assertThat(server.chatRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void the_test_server_embeds_deterministically_with_word_overlap_similarity() {
        try (OpenAiCompatibleTestServer server = OpenAiCompatibleTestServer.start(call -> "", 64);
             OpenAiEmbedder embedder = new OpenAiEmbedder(server.config().build())) {

            List<float[]> v = embedder.embedAll(List.of("likes green tea", "likes green tea", "likes black tea",
                    "drives a truck"), EmbeddingPurpose.ADD);

            assertThat(v.get(0)).containsExactly(v.get(1));
            assertThat(v.get(0)).containsExactly(OpenAiCompatibleTestServer.embedding("likes green tea", 64));
            assertThat(dot(v.get(0), v.get(2))).isGreaterThan(dot(v.get(0), v.get(3)));
            assertThat(dot(v.get(0), v.get(0))).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
            assertThat(server.embeddingRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void a_failing_handler_becomes_an_http_500_and_then_an_llm_exception() {
        try (OpenAiCompatibleTestServer server = OpenAiCompatibleTestServer.start(call -> {
            throw new IllegalStateException("scripted failure");
        }, 8);
             OpenAiLanguageModel model = new OpenAiLanguageModel(server.config().maxRetries(1).build())) {

            assertThatThrownBy(() -> model.chat(ChatRequest.of(List.of(Message.user("hi")))))
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.status()).hasValue(500);
                        assertThat(e.getMessage()).contains("scripted failure");
                    });
        }
    }

    @Test
    void the_handler_sees_the_chat_request_exactly_as_the_client_built_it() {
        List<ChatRequest> seen = new CopyOnWriteArrayList<>();
        ChatRequest sent = new ChatRequest(List.of(Message.system("Extract facts."), Message.user("I like tea"),
                Message.assistant("Noted")),
                new ResponseFormat.JsonSchema("memlayer_facts", "{\"type\":\"object\",\"required\":[\"facts\"]}", true),
                List.of(new ToolDefinition("add_memory", "Stores a memory", "{\"type\":\"object\"}")), 0.0, 256);
        try (OpenAiCompatibleTestServer server = OpenAiCompatibleTestServer.start(call -> {
            seen.add(call.request());
            return "{}";
        }, 8);
             OpenAiLanguageModel model = new OpenAiLanguageModel(server.config().build())) {
            model.chat(sent);
        }

        assertThat(seen).containsExactly(sent);
    }

    @Test
    void an_embedding_handler_replaces_the_default_vectors_and_failures_keep_their_status() {
        try (OpenAiCompatibleTestServer server = OpenAiCompatibleTestServer.start(call -> {
            throw new OpenAiCompatibleTestServer.Failure(404, "The model `x` does not exist");
        }, (texts, dims) -> texts.stream().map(t -> {
            float[] v = new float[dims];
            v[t.length() % dims] = 1f;
            return v;
        }).toList(), 4);
             OpenAiEmbedder embedder = new OpenAiEmbedder(server.config().build());
             OpenAiLanguageModel model = new OpenAiLanguageModel(server.config().build())) {

            assertThat(embedder.embed("abc", EmbeddingPurpose.ADD)).containsExactly(0f, 0f, 0f, 1f);
            assertThatThrownBy(() -> model.chat(ChatRequest.of(List.of(Message.user("hi")))))
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.status()).hasValue(404);
                        assertThat(e.getMessage()).contains("The model 'test-chat' does not exist");
                    });
            assertThat(server.chatRequestCount()).isZero();
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}

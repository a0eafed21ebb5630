package dev.memlayer.llm.openai;

import static dev.memlayer.llm.http.fixtures.WireJson.body;
import static dev.memlayer.llm.http.fixtures.WireJson.ok;
import static dev.memlayer.llm.http.fixtures.WireJson.status;
import static dev.memlayer.llm.openai.OpenAiWire.embeddings;
import static dev.memlayer.llm.openai.OpenAiWire.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {

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
                .maxBackoff(Duration.ofMillis(20));
    }

    /** Answers every embeddings request with one unit vector per input: e_(i mod dims). */
    private void answerWithUnitVectors(int dims) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                JsonNode input = body(request).get("input");
                float[][] vectors = new float[input.size()][dims];
                for (int i = 0; i < input.size(); i++) {
                    vectors[i][i % dims] = 1f;
                }
                return ok(embeddings(vectors));
            }
        });
    }

    @Test
    void embeds_a_batch_in_one_request_and_returns_vectors_in_input_order() throws Exception {
        float[][] vectors = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        server.enqueue(ok(embeddings(vectors, 2, 0, 1)));

        List<float[]> out;
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("text-embedding-3-small")
                .embeddingDimensions(3).sendEmbeddingDimensions(false).build())) {
            out = embedder.embedAll(List.of("a", "b", "c"), EmbeddingPurpose.ADD);
        }

        assertThat(out).containsExactly(vectors);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/v1/embeddings");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode body = body(request);
        assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(body.get("input").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(body.has("dimensions")).isFalse();
    }

    @Test
    void batches_never_exceed_the_configured_size() throws Exception {
        answerWithUnitVectors(4);

        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            texts.add("text " + i);
        }
        List<float[]> out;
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("e5").embeddingDimensions(4)
                .embeddingBatchSize(2).build())) {
            out = embedder.embedAll(texts, EmbeddingPurpose.ADD);
        }

        assertThat(out).hasSize(5);
        assertThat(server.getRequestCount()).isEqualTo(3);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sizes.add(body(server.takeRequest()).get("input").size());
        }
        assertThat(sizes).containsExactly(2, 2, 1);
    }

    @Test
    void the_default_batch_is_the_apis_limit_of_2048_inputs() throws Exception {
        answerWithUnitVectors(2);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2049; i++) {
            texts.add("t" + i);
        }

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("x").embeddingDimensions(2).build())) {
            assertThat(embedder.embedAll(texts, EmbeddingPurpose.ADD)).hasSize(2049);
        }

        assertThat(body(server.takeRequest()).get("input").size()).isEqualTo(2048);
        assertThat(body(server.takeRequest()).get("input").size()).isEqualTo(1);
    }

    @Test
    void configured_dimensions_are_sent_to_text_embedding_3_models() throws Exception {
        answerWithUnitVectors(256);

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("text-embedding-3-large")
                .embeddingDimensions(256).build())) {
            assertThat(embedder.dimensions()).isEqualTo(256);
            assertThat(embedder.embed("hello", EmbeddingPurpose.SEARCH)).hasSize(256);
        }

        assertThat(body(server.takeRequest()).get("dimensions").asInt()).isEqualTo(256);
    }

    @Test
    void known_models_have_their_native_dimensions_without_a_request() {
        try (OpenAiEmbedder small = new OpenAiEmbedder(config().build());
             OpenAiEmbedder large = new OpenAiEmbedder(config().embeddingModel("text-embedding-3-large").build())) {
            assertThat(small.dimensions()).isEqualTo(1536);
            assertThat(large.dimensions()).isEqualTo(3072);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void an_unknown_model_learns_its_dimensions_from_one_probe() throws Exception {
        answerWithUnitVectors(7);

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("nomic-embed-text").build())) {
            assertThat(embedder.dimensions()).isEqualTo(7);
            assertThat(embedder.dimensions()).isEqualTo(7);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_embedding_of_the_wrong_dimension_is_a_clear_llm_exception() {
        server.enqueue(ok(embeddings(new float[][]{{0.6f, 0.8f, 0f, 0f}})));

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().build())) {
            assertThatThrownBy(() -> embedder.embed("hello", EmbeddingPurpose.ADD))
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("returned 4-dimensional vectors, but 1536 dimensions are expected")
                    .hasMessageContaining("text-embedding-3-small")
                    .hasMessageContaining("MEMLAYER_OPENAI_EMBEDDING_DIMENSIONS");
        }
    }

    @Test
    void a_missing_embedding_in_the_answer_is_an_llm_exception() {
        server.enqueue(ok(embeddings(new float[][]{{1f, 0f}})));

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("m").embeddingDimensions(2).build())) {
            assertThatThrownBy(() -> embedder.embedAll(List.of("a", "b"), EmbeddingPurpose.ADD))
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("returned 1 embeddings for 2 inputs");
        }
    }

    @Test
    void vectors_are_returned_unit_length() {
        server.enqueue(ok(embeddings(new float[][]{{3f, 4f}})));

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("m").embeddingDimensions(2).build())) {
            float[] v = embedder.embed("a", EmbeddingPurpose.ADD);
            assertThat(v[0]).isCloseTo(0.6f, within(1e-6f));
            assertThat(v[1]).isCloseTo(0.8f, within(1e-6f));
        }
    }

    @Test
    void query_and_document_prefixes_follow_the_purpose() throws Exception {
        answerWithUnitVectors(2);

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("e5-large").embeddingDimensions(2)
                .embeddingQueryPrefix("query: ").embeddingDocumentPrefix("passage: ").build())) {
            embedder.embed("where do I live", EmbeddingPurpose.SEARCH);
            embedder.embed("Lives in Berlin", EmbeddingPurpose.ADD);
            embedder.embed("Lives in Paris", EmbeddingPurpose.UPDATE);
        }

        assertThat(body(server.takeRequest()).get("input").get(0).asText()).isEqualTo("query: where do I live");
        assertThat(body(server.takeRequest()).get("input").get(0).asText()).isEqualTo("passage: Lives in Berlin");
        assertThat(body(server.takeRequest()).get("input").get(0).asText()).isEqualTo("passage: Lives in Paris");
    }

    @Test
    void blank_texts_are_rejected_before_any_request() {
        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().build())) {
            assertThatThrownBy(() -> embedder.embedAll(List.of("ok", " "), EmbeddingPurpose.ADD))
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThat(embedder.embedAll(List.of(), EmbeddingPurpose.ADD)).isEmpty();
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void embedding_server_errors_are_retried_then_succeed() {
        server.enqueue(status(503, error("The engine is currently overloaded, please try again later.", "server_error", null)));
        server.enqueue(ok(embeddings(new float[][]{{1f, 0f}})));

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("m").embeddingDimensions(2).build())) {
            assertThat(embedder.embed("a", EmbeddingPurpose.ADD)).containsExactly(1f, 0f);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void an_unknown_embedding_model_names_the_embedding_model_setting() {
        server.enqueue(status(404, error("The model `text-embedding-4` does not exist or you do not have access to it.",
                "invalid_request_error", "model_not_found")));

        try (OpenAiEmbedder embedder = new OpenAiEmbedder(config().embeddingModel("text-embedding-4").embeddingDimensions(8).build())) {
            assertThatThrownBy(() -> embedder.embed("a", EmbeddingPurpose.ADD))
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("The model 'text-embedding-4' does not exist")
                    .hasMessageContaining("MEMLAYER_OPENAI_EMBEDDING_MODEL");
        }
    }

    @Test
    void no_api_key_for_the_openai_endpoint_is_refused_up_front() {
        assertThatThrownBy(() -> new OpenAiEmbedder(OpenAiConfig.builder().build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("OPENAI_API_KEY");
    }
}

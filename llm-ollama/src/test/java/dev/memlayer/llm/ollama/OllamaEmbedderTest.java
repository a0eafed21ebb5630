package dev.memlayer.llm.ollama;

import static dev.memlayer.llm.http.fixtures.WireJson.body;
import static dev.memlayer.llm.ollama.OllamaWire.embed;
import static dev.memlayer.llm.ollama.OllamaWire.error;
import static dev.memlayer.llm.ollama.OllamaWire.ok;
import static dev.memlayer.llm.ollama.OllamaWire.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
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

class OllamaEmbedderTest {

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
                .maxBackoff(Duration.ofMillis(20));
    }

    private void answerWithUnitVectors(int dims) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                JsonNode input = body(request).get("input");
                float[][] vectors = new float[input.size()][dims];
                for (int i = 0; i < input.size(); i++) {
                    vectors[i][i % dims] = 1f;
                }
                return ok(embed(vectors));
            }
        });
    }

    @Test
    void embeds_a_batch_with_one_api_embed_request_in_input_order() throws Exception {
        float[][] vectors = {{1, 0, 0}, {0, 1, 0}};
        server.enqueue(ok(embed(vectors)));

        List<float[]> out;
        try (OllamaEmbedder embedder = new OllamaEmbedder(config().embeddingModel("all-minilm").embeddingDimensions(3)
                .keepAlive("10m").build())) {
            out = embedder.embedAll(List.of("Why is the sky blue?", "Why is the grass green?"), EmbeddingPurpose.ADD);
        }

        assertThat(out).containsExactly(vectors);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/api/embed");
        JsonNode body = body(request);
        assertThat(body.get("model").asText()).isEqualTo("all-minilm");
        assertThat(body.get("input").toString()).isEqualTo("[\"Why is the sky blue?\",\"Why is the grass green?\"]");
        assertThat(body.get("keep_alive").asText()).isEqualTo("10m");
        assertThat(body.has("dimensions")).isFalse();
    }

    @Test
    void batches_never_exceed_the_configured_size() throws Exception {
        answerWithUnitVectors(4);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            texts.add("t" + i);
        }

        try (OllamaEmbedder embedder = new OllamaEmbedder(config().embeddingModel("m").embeddingDimensions(4)
                .embeddingBatchSize(3).build())) {
            assertThat(embedder.embedAll(texts, EmbeddingPurpose.ADD)).hasSize(7);
        }

        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(body(server.takeRequest()).get("input").size()).isEqualTo(3);
        assertThat(body(server.takeRequest()).get("input").size()).isEqualTo(3);
        assertThat(body(server.takeRequest()).get("input").size()).isEqualTo(1);
    }

    @Test
    void dimensions_are_sent_when_asked() throws Exception {
        answerWithUnitVectors(256);

        try (OllamaEmbedder embedder = new OllamaEmbedder(config().embeddingModel("embeddinggemma").embeddingDimensions(256)
                .sendEmbeddingDimensions(true).build())) {
            assertThat(embedder.embed("x", EmbeddingPurpose.ADD)).hasSize(256);
        }

        assertThat(body(server.takeRequest()).get("dimensions").asInt()).isEqualTo(256);
    }

    @Test
    void known_models_have_their_size_and_unknown_ones_learn_it_from_one_probe() {
        try (OllamaEmbedder nomic = new OllamaEmbedder(config().build());
             OllamaEmbedder mxbai = new OllamaEmbedder(config().embeddingModel("mxbai-embed-large:latest").build())) {
            assertThat(nomic.dimensions()).isEqualTo(768);
            assertThat(mxbai.dimensions()).isEqualTo(1024);
        }
        assertThat(server.getRequestCount()).isZero();

        answerWithUnitVectors(5);
        try (OllamaEmbedder custom = new OllamaEmbedder(config().embeddingModel("my-embedder:q8").build())) {
            assertThat(custom.dimensions()).isEqualTo(5);
            assertThat(custom.dimensions()).isEqualTo(5);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_embedding_of_the_wrong_dimension_is_a_clear_llm_exception() {
        server.enqueue(ok(embed(new float[][]{{1f, 0f, 0f}})));

        try (OllamaEmbedder embedder = new OllamaEmbedder(config().build())) {
            assertThatThrownBy(() -> embedder.embed("hello", EmbeddingPurpose.ADD))
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("returned 3-dimensional vectors, but 768 dimensions are expected")
                    .hasMessageContaining("nomic-embed-text")
                    .hasMessageContaining("MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS");
        }
    }

    @Test
    void a_short_embeddings_list_is_an_llm_exception() {
        server.enqueue(ok(embed(new float[][]{{1f, 0f}})));

        try (OllamaEmbedder embedder = new OllamaEmbedder(config().embeddingModel("m").embeddingDimensions(2).build())) {
            assertThatThrownBy(() -> embedder.embedAll(List.of("a", "b"), EmbeddingPurpose.ADD))
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("returned 1 embeddings for 2 inputs");
        }
    }

    @Test
    void vectors_are_returned_unit_length() {
        server.enqueue(ok(embed(new float[][]{{3f, 4f}})));

        try (OllamaEmbedder embedder = new OllamaEmbedder(config().embeddingModel("m").embeddingDimensions(2).build())) {
            float[] v = embedder.embed("a", EmbeddingPurpose.ADD);
            assertThat(v[0]).isCloseTo(0.6f, within(1e-6f));
            assertThat(v[1]).isCloseTo(0.8f, within(1e-6f));
        }
    }

    @Test
    void nomic_style_prefixes_follow_the_purpose() throws Exception {
        answerWithUnitVectors(2);

        try (OllamaEmbedder embedder = new OllamaEmbedder(config().embeddingModel("m").embeddingDimensions(2)
                .embeddingQueryPrefix("search_query: ").embeddingDocumentPrefix("search_document: ").build())) {
            embedder.embed("where does Alex live", EmbeddingPurpose.SEARCH);
            embedder.embed("Lives in Berlin", EmbeddingPurpose.ADD);
        }

        assertThat(body(server.takeRequest()).get("input").get(0).asText()).isEqualTo("search_query: where does Alex live");
        assertThat(body(server.takeRequest()).get("input").get(0).asText()).isEqualTo("search_document: Lives in Berlin");
    }

    @Test
    void an_unknown_embedding_model_says_to_pull_it() {
        server.enqueue(status(404, error("model \"nomic-embed-text\" not found, try pulling it first")));

        try (OllamaEmbedder embedder = new OllamaEmbedder(config().build())) {
            assertThatThrownBy(() -> embedder.embed("a", EmbeddingPurpose.ADD))
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("ollama pull nomic-embed-text")
                    .hasMessageContaining("MEMLAYER_OLLAMA_EMBEDDING_MODEL");
        }
    }

    @Test
    void blank_texts_are_rejected_before_any_request() {
        try (OllamaEmbedder embedder = new OllamaEmbedder(config().build())) {
            assertThatThrownBy(() -> embedder.embed("", EmbeddingPurpose.ADD)).isInstanceOf(ValidationException.class);
        }
        assertThat(server.getRequestCount()).isZero();
    }
}

package dev.memlayer.embedder.onnx;

import static dev.memlayer.embedder.onnx.VectorMath.cosine;
import static dev.memlayer.embedder.onnx.VectorMath.maxAbsDifference;
import static dev.memlayer.embedder.onnx.VectorMath.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.spi.EmbeddingPurpose;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The alternative model, all-MiniLM-L6-v2 int8 with mean pooling, run for real. */
class AllMiniLmOnnxEmbedderTest {

    static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.create(OnnxEmbedderConfig.builder().model(OnnxModel.ALL_MINILM_L6_V2_Q).build());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void loads_with_384_dimensions_and_unit_norm() {
        float[] vector = embedder.embed("hello", EmbeddingPurpose.ADD);

        assertThat(embedder.dimensions()).isEqualTo(384);
        assertThat(vector).hasSize(384);
        assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void mean_pooled_output_is_close_to_sentence_transformers() {
        // sentence-transformers (Python, fp32) values for this sentence, as quoted by LangChain4j's
        // tests; our pipeline with the fp32 model reproduces them within 1e-6, the int8 model
        // within 0.006.
        float[] vector = embedder.embed("I love sentence transformers.", EmbeddingPurpose.ADD);

        assertThat(vector[0]).isCloseTo(-0.0803190097f, within(0.01f));
        assertThat(vector[1]).isCloseTo(-0.0171345081f, within(0.01f));
        assertThat(vector[382]).isCloseTo(0.0478825271f, within(0.01f));
        assertThat(vector[383]).isCloseTo(-0.0561899580f, within(0.01f));
    }

    @Test
    void related_sentences_are_more_similar_than_unrelated_ones() {
        float[] vegetarian = embedder.embed("I am a vegetarian", EmbeddingPurpose.ADD);
        float[] meat = embedder.embed("I don't eat meat", EmbeddingPurpose.ADD);
        float[] stocks = embedder.embed("The stock market fell today", EmbeddingPurpose.ADD);

        // Measured: 0.65 and 0.12.
        assertThat(cosine(vegetarian, meat)).isGreaterThan(cosine(vegetarian, stocks) + 0.3);
    }

    @Test
    void queries_and_passages_are_embedded_alike() {
        String text = "Where does Caroline live?";
        assertThat(embedder.embed(text, EmbeddingPurpose.SEARCH)).isEqualTo(embedder.embed(text, EmbeddingPurpose.ADD));
    }

    @Test
    void over_long_input_is_truncated_to_256_tokens() {
        String head = IntStream.range(0, 400).mapToObj(i -> "word" + (i % 89)).collect(Collectors.joining(" "));

        float[] a = embedder.embed(head + " apples and pears", EmbeddingPurpose.ADD);
        float[] b = embedder.embed(head + " rockets and satellites", EmbeddingPurpose.ADD);

        assertThat(a).isEqualTo(b);
    }

    @Test
    void embedAll_of_one_text_equals_embed() {
        String text = "Melanie is planning a camping trip with her kids next month.";

        List<float[]> all = embedder.embedAll(List.of(text), EmbeddingPurpose.ADD);

        assertThat(maxAbsDifference(all.get(0), embedder.embed(text, EmbeddingPurpose.ADD))).isLessThanOrEqualTo(1e-5);
    }
}

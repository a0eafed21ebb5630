package dev.memlayer.conformance.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashingEmbedderTest {

    private final HashingEmbedder embedder = new HashingEmbedder();

    private double cosine(String a, String b) {
        return TestVectors.dot(embedder.embed(a, EmbeddingPurpose.ADD), embedder.embed(b, EmbeddingPurpose.SEARCH));
    }

    @Test
    void vectors_have_the_configured_dimension_and_unit_length() {
        for (String text : List.of("I love tea", "a", "!!!", "日本語のテキスト", "x ".repeat(500))) {
            float[] v = embedder.embed(text, EmbeddingPurpose.ADD);
            assertThat(v).hasSize(HashingEmbedder.DEFAULT_DIMENSIONS);
            assertThat(TestVectors.dot(v, v)).as(text).isCloseTo(1.0, within(1e-5));
        }
        assertThat(new HashingEmbedder(384).embed("hello", EmbeddingPurpose.ADD)).hasSize(384);
    }

    @Test
    void the_same_text_always_gives_the_same_vector_whatever_the_purpose_case_or_punctuation() {
        float[] a = embedder.embed("I love vegan food", EmbeddingPurpose.ADD);

        assertThat(new HashingEmbedder().embed("I love vegan food", EmbeddingPurpose.SEARCH)).containsExactly(a);
        assertThat(embedder.embed("i LOVE vegan, food!", EmbeddingPurpose.UPDATE)).containsExactly(a);
        // pinned: the hash must not change between versions or machines
        assertThat(embedder.embed("hello world", EmbeddingPurpose.ADD)).containsExactly(
                new HashingEmbedder().embed("Hello, World.", EmbeddingPurpose.ADD));
    }

    @Test
    void texts_sharing_words_are_more_similar_than_unrelated_texts() {
        double related = cosine("I love vegan food in Berlin", "vegan food is what I love");
        double unrelated = cosine("I love vegan food in Berlin", "the quarterly tax report is due");

        assertThat(related).isGreaterThan(0.4);
        assertThat(related).isGreaterThan(unrelated + 0.3);
        assertThat(cosine("tea", "tea")).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void word_order_matters_through_bigrams() {
        assertThat(cosine("dog bites man", "man bites dog")).isLessThan(0.99).isGreaterThan(0.5);
    }

    @Test
    void blank_texts_are_rejected_and_texts_are_counted() {
        assertThatThrownBy(() -> embedder.embed(" ", EmbeddingPurpose.ADD)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> embedder.embed(null, EmbeddingPurpose.ADD)).isInstanceOf(ValidationException.class);
        long before = embedder.textsEmbedded();
        embedder.embedAll(List.of("a", "b", "c"), EmbeddingPurpose.ADD);
        assertThat(embedder.textsEmbedded()).isEqualTo(before + 3);
        assertThatThrownBy(() -> new HashingEmbedder(1)).isInstanceOf(IllegalArgumentException.class);
    }
}

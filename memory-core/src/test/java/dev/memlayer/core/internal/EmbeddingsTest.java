package dev.memlayer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.LlmException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {

    /** An embedder returning a fixed-length vector built from the text's length. */
    private static Embedder embedder(int dims) {
        return new Embedder() {
            @Override
            public int dimensions() {
                return dims;
            }

            @Override
            public float[] embed(String text, EmbeddingPurpose purpose) {
                float[] v = new float[dims];
                v[0] = 3;
                v[dims - 1] = 4 * text.length();
                return v;
            }
        };
    }

    @Test
    void vectors_are_l2_normalised() {
        float[] v = new Embeddings(embedder(2), 2).embed("a", EmbeddingPurpose.ADD);
        assertThat(v[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(v[1]).isCloseTo(0.8f, within(1e-6f));
    }

    @Test
    void a_vector_of_the_wrong_dimension_is_an_llm_exception_naming_both_dimensions() {
        assertThatThrownBy(() -> new Embeddings(embedder(3), 4).embed("a", EmbeddingPurpose.ADD))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("3 dimensions").hasMessageContaining("holds 4");
        assertThatThrownBy(() -> new Embeddings(embedder(3), 4).embedAll(List.of("a", "b"), EmbeddingPurpose.ADD))
                .isInstanceOf(LlmException.class);
    }

    @Test
    void nan_vectors_are_rejected_and_zero_vectors_kept() {
        assertThatThrownBy(() -> Embeddings.normalise(new float[] {Float.NaN, 1})).isInstanceOf(LlmException.class);
        assertThat(Embeddings.normalise(new float[] {0, 0})).containsExactly(0, 0);
    }

    @Test
    void a_failing_embedder_becomes_an_llm_exception() {
        Embedder broken = new Embedder() {
            @Override
            public int dimensions() {
                return 2;
            }

            @Override
            public float[] embed(String text, EmbeddingPurpose purpose) {
                throw new IllegalStateException("model not loaded");
            }
        };
        assertThatThrownBy(() -> new Embeddings(broken, 2).embed("a", EmbeddingPurpose.SEARCH))
                .isInstanceOf(LlmException.class).hasMessageContaining("model not loaded");
    }

    @Test
    void md5_hash_is_hex_of_utf8() {
        assertThat(Hashing.md5Hex("")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(Hashing.md5Hex("Is vegetarian")).hasSize(32).matches("[0-9a-f]+");
        assertThat(Hashing.md5Hex("café")).isNotEqualTo(Hashing.md5Hex("cafe"));
    }
}

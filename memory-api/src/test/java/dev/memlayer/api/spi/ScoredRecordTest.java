package dev.memlayer.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoredRecordTest {

    @Test
    void the_score_is_the_clamped_cosine_whatever_the_vectors_lengths() {
        assertThat(ScoredRecord.similarity(new float[] {3, 0}, new float[] {0.5f, 0})).isEqualTo(1.0);
        assertThat(ScoredRecord.similarity(new float[] {1, 1}, new float[] {5, 0})).isCloseTo(Math.sqrt(0.5),
                within(1e-12));
        assertThat(ScoredRecord.similarity(new float[] {1, 0}, new float[] {0, 2})).isZero();
        // negative cosines clamp to 0, like similarity(double)
        assertThat(ScoredRecord.similarity(new float[] {1, 0}, new float[] {-1, 0.1f})).isZero();
    }

    @Test
    void a_zero_vector_scores_zero_and_different_lengths_are_rejected() {
        assertThat(ScoredRecord.similarity(new float[] {0, 0}, new float[] {1, 2})).isZero();
        assertThat(ScoredRecord.similarity(new float[] {1, 2}, new float[] {0, 0})).isZero();
        assertThatThrownBy(() -> ScoredRecord.similarity(new float[] {1}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nan_cosines_score_zero_and_rounding_outside_the_range_is_clamped() {
        assertThat(ScoredRecord.similarity(Double.NaN)).isZero();
        assertThat(ScoredRecord.similarity(1.0000001)).isEqualTo(1.0);
        assertThat(ScoredRecord.similarity(-0.3)).isZero();
    }
}

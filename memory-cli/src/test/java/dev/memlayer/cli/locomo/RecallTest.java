package dev.memlayer.cli.locomo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecallTest {

    private static final List<String> RANKED = List.of("D1:1", "D2:5", "D3:3", "D4:4", "D5:5", "D6:6", "D7:7");

    @Test
    void recall_at_k_is_the_fraction_of_evidence_in_the_first_k_results() {
        Set<String> evidence = Set.of("D2:5", "D6:6");
        assertThat(Recall.atK(RANKED, evidence, 1)).isEqualTo(0.0);
        assertThat(Recall.atK(RANKED, evidence, 2)).isEqualTo(0.5);
        assertThat(Recall.atK(RANKED, evidence, 5)).isEqualTo(0.5);
        assertThat(Recall.atK(RANKED, evidence, 10)).isEqualTo(1.0);
    }

    @Test
    void evidence_that_was_never_retrieved_stays_in_the_denominator() {
        assertThat(Recall.atK(RANKED, Set.of("D1:1", "D9:9", "D9:10"), 10)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void fewer_results_than_k_are_fine_and_duplicates_count_once() {
        assertThat(Recall.atK(List.of("D1:1", "D1:1"), Set.of("D1:1", "D1:2"), 10)).isEqualTo(0.5);
        assertThat(Recall.atK(List.of(), Set.of("D1:1"), 10)).isEqualTo(0.0);
    }

    @Test
    void recall_needs_evidence_and_a_positive_k() {
        assertThatThrownBy(() -> Recall.atK(RANKED, Set.of(), 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Recall.atK(RANKED, Set.of("D1:1"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_mean_is_unweighted_over_questions() {
        Recall r = Recall.mean(List.of(new double[] {1, 1, 1}, new double[] {0, 0.5, 1}, new double[] {0, 0, 0}));
        assertThat(r.questions()).isEqualTo(3);
        assertThat(r.at1()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.at5()).isCloseTo(0.5, within(1e-12));
        assertThat(r.at10()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(Recall.mean(List.of())).isEqualTo(new Recall(0, 0, 0, 0));
    }

    @Test
    void latency_percentiles_use_the_nearest_rank() {
        long[] nanos = new long[20];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (20 - i) * 1_000_000L; // 20 ms down to 1 ms
        }
        LatencyStats stats = new LatencyStats(nanos);
        assertThat(stats.percentileMillis(50)).isEqualTo(10.0);
        assertThat(stats.percentileMillis(95)).isEqualTo(19.0);
        assertThat(stats.percentileMillis(100)).isEqualTo(20.0);
        assertThat(new LatencyStats(new long[0]).percentileMillis(95)).isEqualTo(0.0);
        assertThatThrownBy(() -> stats.percentileMillis(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

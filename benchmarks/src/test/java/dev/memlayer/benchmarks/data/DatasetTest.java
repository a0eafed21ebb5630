package dev.memlayer.benchmarks.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.spi.MemoryRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {

    @Test
    void records_are_a_pure_function_of_their_index() {
        Dataset d = Dataset.of(2_000, 500, 100, Distribution.CLUSTERED);
        assertThat(d.record(123)).isEqualTo(d.record(123));
        assertThat(d.materialize().get(1_999)).isEqualTo(d.record(1_999));
    }

    @Test
    void users_hold_the_scope_sizes_of_the_layout() {
        Dataset d = Dataset.of(2_000, 500, 100, Distribution.CLUSTERED);
        Map<String, Integer> perUser = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (MemoryRecord r : d.materialize()) {
            perUser.merge(r.userId(), 1, Integer::sum);
            ids.add(r.id());
        }
        assertThat(ids).hasSize(2_000);
        assertThat(perUser).containsEntry(Dataset.LARGE_USER, 500).containsEntry(d.smallUser(), 100).hasSize(16);
        assertThat(d.collectionName("w")).matches("[a-z0-9_]{1,40}");
    }

    @Test
    void vectors_are_unit_length_and_clustered_ones_are_more_similar_within_a_topic() {
        Dataset d = Dataset.of(2_000, 0, 100, Distribution.CLUSTERED);
        List<MemoryRecord> records = d.materialize();
        double same = 0;
        double other = 0;
        int nSame = 0;
        int nOther = 0;
        for (int i = 0; i < 300; i++) {
            MemoryRecord a = records.get(i);
            assertThat(norm(a.embedding())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            for (int j = i + 1; j < 300; j++) {
                MemoryRecord b = records.get(j);
                double dot = dot(a.embedding(), b.embedding());
                if (a.metadata().get("topic").equals(b.metadata().get("topic"))) {
                    same += dot;
                    nSame++;
                } else {
                    other += dot;
                    nOther++;
                }
            }
        }
        assertThat(same / nSame).isGreaterThan(other / nOther + 0.05);
    }

    @Test
    void about_one_in_eight_memories_matches_the_metadata_filter() {
        Dataset d = Dataset.of(8_000, 0, 1_000, Distribution.UNIFORM);
        long travel = d.materialize().stream().filter(r -> "travel".equals(r.metadata().get("topic"))).count();
        assertThat(travel).isBetween(800L, 1_200L);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}

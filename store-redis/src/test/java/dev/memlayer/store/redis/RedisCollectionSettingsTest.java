package dev.memlayer.store.redis;

import static dev.memlayer.api.filter.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.conformance.support.TestVectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A collection remembers its dimensions and quantisation; Q8 works with approximate scores. */
class RedisCollectionSettingsTest {

    @Test
    void a_store_with_other_dimensions_or_quantisation_on_the_same_prefix_is_refused() {
        String prefix = RedisTestSupport.uniquePrefix(RedisCollectionSettingsTest.class);
        try (RedisVectorStore first = RedisVectorStore.create(RedisTestSupport.config(prefix, 8));
             RedisVectorStore otherDims = RedisVectorStore.create(RedisTestSupport.config(prefix, 4));
             RedisVectorStore otherQuant = RedisVectorStore.create(RedisTestSupport.config(prefix, 8).toBuilder()
                     .quantization(RedisConfig.Quantization.Q8).build())) {
            first.reset();
            first.upsert(List.of(TestVectors.record("a", new Random(1), 8).build()));

            assertThatThrownBy(() -> otherDims.upsert(List.of(TestVectors.record("b", new Random(2), 4).build())))
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
            assertThatThrownBy(() -> otherQuant.upsert(List.of(TestVectors.record("c", new Random(3), 8).build())))
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.getMessage()).contains("8 NOQUANT"));
            assertThat(first.count(null)).isEqualTo(1);

            first.reset(); // a reset collection may be reused with other settings
            otherDims.upsert(List.of(TestVectors.record("b", new Random(2), 4).build()));
            assertThat(otherDims.count(null)).isEqualTo(1);
            otherDims.reset();
        }
    }

    @Test
    void q8_quantisation_finds_the_nearest_neighbours_with_approximate_scores() {
        int dims = 64;
        RedisConfig config = RedisTestSupport.config(RedisTestSupport.uniquePrefix(RedisCollectionSettingsTest.class), dims)
                .toBuilder().quantization(RedisConfig.Quantization.Q8).build();
        try (RedisVectorStore store = RedisVectorStore.create(config)) {
            store.reset();
            Random rnd = new Random(5);
            List<MemoryRecord> records = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                records.add(TestVectors.record("q8-" + i, rnd, dims).build());
            }
            store.upsert(records);
            float[] q = TestVectors.randomUnit(rnd, dims);

            List<ScoredRecord> hits = store.search(new VectorQuery(q, eq("user_id", "alex"), 10));

            List<MemoryRecord> exact = records.stream()
                    .sorted(Comparator.comparingDouble((MemoryRecord r) -> -TestVectors.dot(q, r.embedding()))).limit(10).toList();
            Set<String> truth = new HashSet<>(exact.stream().map(MemoryRecord::id).toList());
            assertThat(hits.stream().filter(h -> truth.contains(h.record().id())).count()).isGreaterThanOrEqualTo(9);
            for (ScoredRecord h : hits) {
                double expected = ScoredRecord.similarity(TestVectors.dot(q, h.record().embedding() == null
                        ? store.get(h.record().id()).orElseThrow().embedding() : h.record().embedding()));
                assertThat(h.score()).isCloseTo(expected, within(0.02));
            }
            // the stored embedding itself is exact: it is kept in the memory's hash
            assertThat(store.get(records.get(0).id()).orElseThrow().embedding()).containsExactly(records.get(0).embedding());
            store.reset();
        }
    }
}

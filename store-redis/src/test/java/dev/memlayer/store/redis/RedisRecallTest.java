package dev.memlayer.store.redis;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.conformance.support.TestVectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small scope among many others, all of them closer to the query, still gets the exact top-k
 * (recall@10 = 1.0), however the scope is named; a selective filter inside a large HNSW-searched
 * set falls back to an exact scan instead of coming back short.
 */
class RedisRecallTest {

    private static final int DIMS = 32;
    private static final int CROWD = 20_000;
    private static final int NEEDLES = 50;
    private static final String PREFIX = RedisTestSupport.uniquePrefix(RedisRecallTest.class);

    private static RedisVectorStore store;
    private static final List<MemoryRecord> records = new ArrayList<>();
    private static float[] query;

    @BeforeAll
    static void fill() {
        RedisConfig config = RedisTestSupport.config(PREFIX, DIMS).toBuilder().efConstruction(64).build();
        store = RedisVectorStore.create(config);
        store.reset();
        Random rnd = new Random(42);
        query = TestVectors.randomUnit(rnd, DIMS);
        for (int i = 0; i < CROWD; i++) {
            // a quarter of the crowd shares an agent with the needles: a set of 5,050, searched through HNSW
            records.add(TestVectors.record("crowd-" + i, TestVectors.near(query, 0.15, rnd)).userId("crowd-" + (i % 200))
                    .agentId(i % 4 == 0 ? "shared" : "other-" + (i % 50)).metadata(Map.of("kind", "crowd")).build());
        }
        for (int i = 0; i < NEEDLES; i++) {
            records.add(TestVectors.record("needle-" + i, rnd, DIMS).userId("needle").agentId("shared")
                    .metadata(Map.of("kind", "needle")).build());
        }
        for (int from = 0; from < records.size(); from += 1000) {
            store.upsert(records.subList(from, Math.min(records.size(), from + 1000)));
        }
        store.indexPending(); // every vector in its HNSW set: these tests are about the graph
        assertThat(store.pendingVectors()).isZero();
    }

    @AfterAll
    static void clean() {
        store.reset();
        store.close();
    }

    @Test
    void a_scope_of_50_among_20000_closer_records_returns_the_exact_top_10() {
        for (Filter scope : List.of(eq("user_id", "needle"), and(eq("agent_id", "shared"), eq("user_id", "needle")))) {
            List<ScoredRecord> hits = store.search(new VectorQuery(query, scope, 10));

            assertThat(ids(hits)).as("top 10 in %s", scope).containsExactlyElementsOf(exact(scope, 10));
            assertThat(store.search(new VectorQuery(query, scope, 100))).hasSize(NEEDLES);
        }
    }

    @Test
    void a_selective_filter_in_a_large_set_falls_back_to_an_exact_scan() {
        Filter filter = and(eq("agent_id", "shared"), eq("kind", "needle"));

        List<ScoredRecord> hits = store.search(new VectorQuery(query, filter, 10));

        assertThat(ids(hits)).containsExactlyElementsOf(exact(filter, 10));
    }

    @Test
    void an_unfiltered_search_of_a_large_set_uses_hnsw_with_high_recall() {
        Filter filter = eq("agent_id", "shared");

        List<ScoredRecord> hits = store.search(new VectorQuery(query, filter, 10));

        Set<String> truth = new HashSet<>(exact(filter, 10));
        long found = ids(hits).stream().filter(truth::contains).count();
        assertThat(found).as("recall@10 of HNSW over %d vectors", CROWD / 4 + NEEDLES).isGreaterThanOrEqualTo(8);
    }

    private static List<String> exact(Filter filter, int k) {
        record Scored(String id, double score) {
        }
        return records.stream().filter(r -> FilterEvaluator.matches(filter, r))
                .map(r -> new Scored(r.id(), ScoredRecord.similarity(TestVectors.dot(query, r.embedding()))))
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id))
                .limit(k).map(Scored::id).toList();
    }

    private static List<String> ids(List<ScoredRecord> hits) {
        return hits.stream().map(h -> h.record().id()).toList();
    }
}

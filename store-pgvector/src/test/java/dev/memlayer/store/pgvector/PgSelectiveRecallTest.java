package dev.memlayer.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recall@10 against exact search on 20,000 clustered vectors: one user's 50 memories (scattered
 * over the table), a 10% scope, and the whole collection, through the exact-scope path and the
 * HNSW path, with rows both inside the index and still pending.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgSelectiveRecallTest {

    private static final int N = 20_000;
    private static final int DIMS = 32;
    private static final Instant T = Instant.parse("2024-07-20T10:00:00Z");

    private final Random random = new Random(11);
    private final float[][] centres = new float[200][];
    private final List<float[]> queries = new ArrayList<>();
    private PgVectorConfig config;
    private PgVectorStore store;
    private PgVectorStore annOnly;

    @BeforeAll
    void load() {
        for (int i = 0; i < centres.length; i++) {
            centres[i] = gaussian(1.0, null);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(5));
        String[] users = new String[N];
        for (int k = 0; k < N; k++) {
            int i = order.get(k);
            users[i] = k < 50 ? "needle" : k < 2050 ? "wide" : "u" + (k % 200);
        }
        config = PgTestSupport.config("recall", DIMS).build();
        store = PgVectorStore.create(config);
        List<MemoryRecord> rows = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            rows.add(record("r" + i, users[i]));
        }
        store.bulkLoad(rows.iterator());
        // a few more written the ordinary way: they wait for the background indexer
        List<MemoryRecord> late = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            late.add(record("late" + i, i % 10 == 0 ? "needle" : i % 2 == 0 ? "wide" : "u1"));
        }
        store.upsert(late);
        annOnly = PgVectorStore.create(config.toBuilder().exactSearchThreshold(0).build());
        for (int i = 0; i < 25; i++) {
            queries.add(gaussian(1.0 / Math.sqrt(DIMS), centres[random.nextInt(centres.length)]));
        }
    }

    @AfterAll
    void drop() {
        annOnly.close();
        store.close();
        PgTestSupport.drop(config);
    }

    @Test
    void one_users_fifty_memories_among_twenty_thousand_have_recall_one() {
        assertThat(recall(store, Filters.eq("user_id", "needle"))).isEqualTo(1.0);
    }

    @Test
    void a_ten_percent_scope_has_recall_one_on_the_exact_scope_path() {
        assertThat(recall(store, Filters.eq("user_id", "wide"))).isEqualTo(1.0);
        assertThat(recall(store, Filters.and(Filters.eq("user_id", "wide"), Filters.exists("hash")))).isEqualTo(1.0);
    }

    @Test
    void the_hnsw_path_keeps_recall_high_and_never_returns_a_short_or_foreign_page() {
        assertThat(recall(annOnly, Filters.eq("user_id", "wide"))).isGreaterThanOrEqualTo(0.95);
        assertThat(recall(annOnly, null)).isGreaterThanOrEqualTo(0.95);
        assertThat(recall(annOnly, Filters.eq("user_id", "needle"))).isGreaterThanOrEqualTo(0.9);
    }

    /** Mean recall@10 over the queries; also checks every page is full and matches the filter. */
    private double recall(PgVectorStore s, Filter filter) {
        double total = 0;
        for (float[] q : queries) {
            VectorQuery query = new VectorQuery(q, filter, 10);
            List<ScoredRecord> got = s.search(query);
            List<ScoredRecord> exact = s.searchExact(query);
            assertThat(got).hasSize(10);
            Set<String> truth = new HashSet<>();
            exact.forEach(e -> truth.add(e.record().id()));
            long hits = got.stream().filter(g -> truth.contains(g.record().id())).count();
            total += hits / 10.0;
            if (filter != null) {
                String user = (String) Filters.equalityConstraints(filter).get("user_id");
                assertThat(got).allSatisfy(g -> assertThat(g.record().userId()).isEqualTo(user));
            }
        }
        return total / queries.size();
    }

    private MemoryRecord record(String id, String user) {
        float[] v = gaussian(1.0 / Math.sqrt(DIMS), centres[random.nextInt(centres.length)]);
        return MemoryRecord.builder().id(id).memory("memory " + id).hash("h").embedding(v).createdAt(T).updatedAt(T)
                .userId(user).build();
    }

    private float[] gaussian(double sigma, float[] around) {
        float[] v = new float[DIMS];
        double n = 0;
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) ((around == null ? 0 : around[i]) + random.nextGaussian() * sigma);
            n += v[i] * v[i];
        }
        for (int i = 0; i < DIMS; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}

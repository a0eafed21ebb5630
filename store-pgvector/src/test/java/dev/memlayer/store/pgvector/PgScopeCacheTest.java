package dev.memlayer.store.pgvector;

import static dev.memlayer.store.pgvector.PgTestSupport.ids;
import static dev.memlayer.store.pgvector.PgTestSupport.idsAndScores;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The JVM-side scope cache: exact user-scoped searches served from cached half-precision vectors
 * give exactly the SQL path's results, see every write of any process at once, stay within their
 * memory bound, and can be turned off.
 */
class PgScopeCacheTest {

    private static final int DIMS = 24;
    private static final Instant T = Instant.parse("2024-05-01T00:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    private static PgVectorConfig.Builder cached(String prefix) {
        return PgTestSupport.config(prefix, DIMS).scopeCacheMinScope(100).scopeCacheMaxVectors(100_000);
    }

    private static PgVectorStore open(PgVectorConfig config) {
        PgVectorStore store = PgVectorStore.create(config);
        store.loadScopesAtOnce = true;
        return store;
    }

    private static Filter notExpired() {
        return Filters.or(Filters.not(Filters.exists(FilterFields.EXPIRATION_DATE)),
                Filters.gt(FilterFields.EXPIRATION_DATE, TODAY.toString()));
    }

    @Test
    void cached_searches_equal_the_sql_exact_path_for_random_queries_limits_and_near_duplicates() {
        PgVectorConfig config = cached("scache").build();
        Random random = new Random(31);
        List<MemoryRecord> rows = new ArrayList<>();
        float[] base = vector(random);
        for (int i = 0; i < 1_500; i++) {
            String user = i % 3 == 0 ? "other" : "big";
            float[] v;
            if (i % 10 == 1) {
                v = base.clone(); // exact duplicates: tied scores, ranked by id
            } else if (i % 10 == 2) {
                v = base.clone();
                v[random.nextInt(DIMS)] += (float) (random.nextGaussian() * 1e-4); // near-duplicates
            } else {
                v = vector(random);
            }
            rows.add(record("r" + i, user, v, i % 4 == 0 ? TODAY.minusDays(i % 3) : i % 4 == 1 ? TODAY.plusDays(1) : null));
        }
        try (PgVectorStore store = open(config)) {
            store.upsert(rows);
            for (int q = 0; q < 60; q++) {
                float[] v = q % 5 == 0 ? base.clone() : vector(random);
                if (q % 5 == 1) {
                    v = base.clone();
                    v[0] += 1e-3f;
                }
                int limit = 1 + random.nextInt(q % 2 == 0 ? 12 : 300);
                Filter f = q % 2 == 0 ? Filters.eq(FilterFields.USER_ID, "big")
                        : Filters.allOf(Filters.eq(FilterFields.USER_ID, "big"), notExpired());
                VectorQuery query = new VectorQuery(v, f, limit);
                assertThat(idsAndScores(store.search(query))).as("query %d", q).isEqualTo(idsAndScores(store.searchExact(query)));
            }
            assertThat(store.cachedVectors()).isEqualTo(1_000);
            assertThat(store.cacheServed.get()).isGreaterThan(45);
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void a_write_through_another_store_instance_is_seen_by_the_very_next_search() {
        PgVectorConfig config = cached("scache2").build();
        Random random = new Random(32);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(record("r" + i, "alex", vector(random), null));
        }
        try (PgVectorStore first = open(config); PgVectorStore second = open(config)) {
            first.upsert(rows);
            long servedBefore = 0;
            float[] q = vector(random);
            VectorQuery query = new VectorQuery(q, Filters.eq(FilterFields.USER_ID, "alex"), 5);
            first.search(query);
            first.search(query);
            assertThat(first.cachedVectors()).isEqualTo(400);

            // a new best match
            second.upsert(List.of(record("new", "alex", q.clone(), null)));
            assertThat(first.search(query).get(0).record().id()).isEqualTo("new");
            assertThat(first.search(query).get(0).score()).isGreaterThan(0.9999);

            // deleted
            second.delete(List.of("new"));
            assertThat(ids(first.search(query))).doesNotContain("new").isEqualTo(ids(first.searchExact(query)));

            // a record moved to another user, and one moved in
            String top = first.search(query).get(0).record().id();
            MemoryRecord moved = second.get(top).orElseThrow();
            second.upsert(List.of(record(top, "sam", moved.embedding(), null), record("in", "alex", q.clone(), null)));
            assertThat(ids(first.search(query))).doesNotContain(top).startsWith("in");

            // deleteWhere, reset
            second.deleteWhere(Filters.eq(FilterFields.ID, "in"));
            assertThat(ids(first.search(query))).doesNotContain("in").isEqualTo(ids(first.searchExact(query)));
            assertThat(first.cacheServed.get()).isGreaterThan(servedBefore);
            second.reset();
            assertThat(first.search(query)).isEmpty();
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void concurrent_writers_and_searchers_never_see_deleted_records_or_stale_scores() throws Exception {
        PgVectorConfig config = cached("scache3").build();
        Random seed = new Random(33);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            MemoryRecord r = record("r" + i, "alex", vector(seed), null);
            rows.add(r);
        }
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        Map<String, float[]> versions = new ConcurrentHashMap<>(); // "id@gen" -> vector
        for (MemoryRecord r : rows) {
            versions.put(r.id() + "@" + r.memory(), r.embedding());
        }
        List<String> failures = new CopyOnWriteArrayList<>();
        try (PgVectorStore searcher = open(config); PgVectorStore writer = open(config)) {
            writer.upsert(rows);
            AtomicBoolean stop = new AtomicBoolean();
            Thread w = Thread.ofPlatform().start(() -> {
                Random random = new Random(34);
                for (int n = 0; n < 150; n++) {
                    String id = "r" + random.nextInt(600);
                    if (deleted.contains(id)) {
                        continue;
                    }
                    if (n % 3 == 0) {
                        writer.delete(List.of(id));
                        deleted.add(id); // after the commit
                    } else {
                        float[] v = vector(random);
                        MemoryRecord r = MemoryRecord.builder().id(id).memory("gen" + n).hash("h").embedding(v)
                                .createdAt(T).updatedAt(T).userId("alex").build();
                        versions.put(id + "@gen" + n, v);
                        writer.upsert(List.of(r));
                    }
                }
                stop.set(true);
            });
            List<Thread> searchers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int s = t;
                searchers.add(Thread.ofPlatform().start(() -> {
                    Random random = new Random(40 + s);
                    while (!stop.get()) {
                        Set<String> goneBefore = Set.copyOf(deleted);
                        float[] q = vector(random);
                        for (ScoredRecord h : searcher.search(new VectorQuery(q, Filters.eq(FilterFields.USER_ID, "alex"), 10))) {
                            if (goneBefore.contains(h.record().id())) {
                                failures.add("deleted record returned: " + h.record().id());
                            }
                            float[] v = versions.get(h.record().id() + "@" + h.record().memory());
                            if (v == null || Math.abs(ScoredRecord.similarity(q, v) - h.score()) > 1e-5) {
                                failures.add("stale score for " + h.record().id() + "@" + h.record().memory());
                            }
                        }
                    }
                }));
            }
            w.join();
            for (Thread t : searchers) {
                t.join();
            }
            assertThat(failures).isEmpty();
            for (int q = 0; q < 10; q++) {
                VectorQuery query = new VectorQuery(vector(seed), Filters.eq(FilterFields.USER_ID, "alex"), 10);
                assertThat(idsAndScores(searcher.search(query))).isEqualTo(idsAndScores(searcher.searchExact(query)));
            }
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void the_cache_holds_at_most_its_bound_and_can_be_disabled() {
        PgVectorConfig config = cached("scache4").scopeCacheMaxVectors(1_000).build();
        Random random = new Random(35);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            rows.add(record("r" + i, "u" + (i % 3), vector(random), null));
        }
        try (PgVectorStore store = open(config);
             PgVectorStore disabled = open(config.toBuilder().scopeCacheMaxVectors(0).build())) {
            store.upsert(rows);
            for (int round = 0; round < 2; round++) {
                for (int u = 0; u < 3; u++) {
                    VectorQuery query = new VectorQuery(vector(random), Filters.eq(FilterFields.USER_ID, "u" + u), 10);
                    List<String> expected = idsAndScores(store.searchExact(query));
                    assertThat(idsAndScores(store.search(query))).isEqualTo(expected);
                    assertThat(idsAndScores(disabled.search(query))).isEqualTo(expected);
                    assertThat(store.cachedVectors()).isBetween(400L, 1_000L);
                }
            }
            assertThat(disabled.cachedVectors()).isZero();
            assertThat(disabled.cacheServed.get()).isZero();
            assertThat(store.cacheServed.get()).isPositive();
        } finally {
            PgTestSupport.drop(config);
        }
    }

    private static MemoryRecord record(String id, String user, float[] v, LocalDate expires) {
        return MemoryRecord.builder().id(id).memory("gen-init").hash("h").embedding(v)
                .createdAt(T).updatedAt(T).userId(user).expirationDate(expires).build();
    }

    private static float[] vector(Random random) {
        return PgTestSupport.gaussian(random, DIMS);
    }
}

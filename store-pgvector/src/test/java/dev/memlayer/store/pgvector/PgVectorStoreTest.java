package dev.memlayer.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** PostgreSQL-specific behaviour of {@link PgVectorStore} beyond the shared contract. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgVectorStoreTest {

    private static final int DIMS = 8;
    private static final Instant T0 = Instant.parse("2024-07-20T10:15:30.123456789Z");

    private PgVectorConfig config;
    private PgVectorStore store;

    @BeforeAll
    void open() {
        config = PgTestSupport.config("store", DIMS).build();
        store = PgVectorStore.create(config);
    }

    @AfterAll
    void close() {
        store.close();
        PgTestSupport.drop(config);
    }

    @BeforeEach
    void reset() {
        store.reset();
    }

    @Test
    void every_field_round_trips_exactly_including_nanoseconds_and_number_kinds() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("long", 42L);
        metadata.put("double", 1.0);
        metadata.put("big_double", 1.2345678E7);
        metadata.put("tiny", 1e-7);
        metadata.put("max", Long.MAX_VALUE);
        metadata.put("text", "ΟΔΟΣ 😀 'quoted' \"double\" \\ back");
        metadata.put("flag", false);
        metadata.put("nothing", null);
        metadata.put("list", java.util.Arrays.asList(1L, "two", null, List.of(3.5)));
        metadata.put("nested", Map.of("deep", Map.of("x", "y")));
        MemoryRecord r = MemoryRecord.builder().id("id-1").memory("Tea, not coffee").hash("0123abcd")
                .embedding(unit(1, 2, 3, 4, 5, 6, 7, 8)).metadata(metadata).categories(List.of("food", "ΣΟΦΙΑ"))
                .createdAt(T0).updatedAt(T0.plusNanos(1)).userId("alex").agentId("travel").runId("run-1")
                .actorId("Alex").role(Role.ASSISTANT).memoryType(MemoryType.PROCEDURAL).immutable(true)
                .expirationDate(LocalDate.of(2030, 1, 31)).build();

        store.upsert(List.of(r));

        assertThat(store.get("id-1")).contains(r);
        assertThat(store.get(List.of("id-1"))).containsExactly(r);
        assertThat(store.list(null, 0, 10)).singleElement()
                .satisfies(listed -> assertThat(listed.toBuilder().embedding(r.embedding()).build()).isEqualTo(r));
    }

    @Test
    void a_later_record_with_the_same_id_in_one_batch_wins() {
        MemoryRecord first = record("dup", "first", "alex", T0, 1, 0);
        MemoryRecord second = record("dup", "second", "alex", T0, 0, 1);

        store.upsert(List.of(first, second));

        assertThat(store.get("dup")).contains(second);
    }

    @Test
    void upsert_replaces_existing_records_through_both_write_paths() {
        List<MemoryRecord> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(record("m" + i, "text " + i, "alex", T0.plusSeconds(i), 1, i));
        }
        store.upsert(many); // COPY path
        store.upsert(List.of(record("m5", "changed", "bob", T0, 0, 1))); // INSERT path
        List<MemoryRecord> changed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            changed.add(record("m" + i, "again " + i, "carol", T0, 1, 1));
        }
        store.upsert(changed);

        assertThat(store.count(null)).isEqualTo(100);
        assertThat(store.count(Filters.eq("user_id", "carol"))).isEqualTo(100);
        assertThat(store.get("m5").orElseThrow().memory()).isEqualTo("again 5");
    }

    @Test
    void a_batch_failing_inside_the_database_writes_nothing_on_either_write_path() throws Exception {
        store.upsert(List.of(record("keep", "kept", "alex", T0, 1, 0)));
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE \"" + config.schema() + "\".\"" + config.table()
                    + "\" ADD CONSTRAINT no_poison CHECK (memory <> 'poison')");
        }
        try {
            for (int size : new int[] {10, 200}) {
                List<MemoryRecord> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(record("b" + size + "-" + i, i == size / 2 ? "poison" : "fine", "alex", T0, 1, i));
                }
                assertThatThrownBy(() -> store.write(batch, List.of("keep")))
                        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse());
                assertThat(store.count(null)).as("batch of %d", size).isEqualTo(1);
                assertThat(store.get("keep")).isPresent();
            }
        } finally {
            try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE \"" + config.schema() + "\".\"" + config.table() + "\" DROP CONSTRAINT no_poison");
            }
        }
    }

    @Test
    void records_postgresql_cannot_hold_are_rejected_before_anything_is_written() {
        MemoryRecord good = record("good", "fine", "alex", T0, 1, 0);
        List<MemoryRecord> wrongDimension = List.of(good, record("bad", "x", "alex", T0, 1, 0).withEmbedding(new float[] {1, 0}));
        List<MemoryRecord> nul = List.of(good, record("bad", "nul \u0000 byte", "alex", T0, 1, 0));
        List<MemoryRecord> nulKey = List.of(good, record("bad", "x", "alex", T0, 1, 0).toBuilder()
                .metadata(Map.of("k\u0000", 1L)).build());
        List<MemoryRecord> nan = List.of(good, record("bad", "x", "alex", T0, 1, 0).toBuilder()
                .metadata(Map.of("k", Double.NaN)).build());

        assertThatThrownBy(() -> store.upsert(wrongDimension)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));
        for (List<MemoryRecord> batch : List.of(nul, nulKey, nan)) {
            assertThatThrownBy(() -> store.upsert(batch)).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThat(store.count(null)).isZero();
    }

    @Test
    void ids_that_cannot_exist_are_simply_absent() {
        store.upsert(List.of(record("a", "x", "alex", T0, 1, 0)));

        assertThat(store.get("a\u0000")).isEmpty();
        assertThat(store.get(List.of("a", "\uD800", "zzz"))).extracting(MemoryRecord::id).containsExactly("a");
        assertThat(store.delete(List.of("a\u0000", "zzz"))).isZero();
        assertThat(store.delete(List.of("a", "a"))).isEqualTo(1);
    }

    @Test
    void list_orders_by_created_at_descending_to_the_nanosecond_then_by_id() {
        store.upsert(List.of(
                record("c", "x", "alex", T0, 1, 0),
                record("b", "x", "alex", T0.plusNanos(1), 1, 0),
                record("a", "x", "alex", T0, 1, 0),
                record("d", "x", "alex", T0.minusNanos(1), 1, 0)));

        assertThat(store.list(Filters.eq("user_id", "alex"), 0, 10)).extracting(MemoryRecord::id)
                .containsExactly("b", "a", "c", "d");
        assertThat(store.list(Filters.eq("user_id", "alex"), 1, 2)).extracting(MemoryRecord::id).containsExactly("a", "c");
        assertThat(store.list(Filters.gt("created_at", T0.toString()), 0, 10)).extracting(MemoryRecord::id).containsExactly("b");
        assertThat(store.list(Filters.eq("created_at", T0.toString()), 0, 10)).extracting(MemoryRecord::id)
                .containsExactly("a", "c");
    }

    @Test
    void scores_are_clamped_cosine_similarities_ordered_descending_with_ties_by_id() {
        store.upsert(List.of(
                record("z-same", "x", "alex", T0, 1, 0),
                record("a-same", "x", "alex", T0, 1, 0),
                record("m-close", "x", "alex", T0, 1, 0.5f),
                record("opposite", "x", "alex", T0, -1, 0),
                record("other-user", "x", "bob", T0, 1, 0)));
        float[] q = unit(1, 0, 0, 0, 0, 0, 0, 0);

        List<ScoredRecord> hits = store.search(new VectorQuery(q, Filters.eq("user_id", "alex"), 10));

        assertThat(hits).extracting(h -> h.record().id()).containsExactly("a-same", "z-same", "m-close", "opposite");
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-6));
        assertThat(hits.get(2).score()).isCloseTo(1 / Math.sqrt(1.25), within(1e-6));
        assertThat(hits.get(3).score()).isZero();
        assertThat(hits).allSatisfy(h -> assertThat(h.record().embedding()).isNull());
    }

    @Test
    void search_through_the_hnsw_index_finds_pending_and_indexed_rows_alike() {
        try (PgVectorStore ann = PgVectorStore.create(config.toBuilder().exactSearchThreshold(0).build())) {
            List<MemoryRecord> rows = new ArrayList<>();
            Random random = new Random(3);
            for (int i = 0; i < 300; i++) {
                rows.add(record(String.format("r%03d", i), "x", i % 3 == 0 ? "alex" : "bob", T0, random.nextFloat(),
                        random.nextFloat()));
            }
            ann.upsert(rows);
            float[] q = unit(1, 0.3f, 0, 0, 0, 0, 0, 0);
            VectorQuery query = new VectorQuery(q, Filters.eq("user_id", "alex"), 7);
            List<String> exact = ann.searchExact(query).stream().map(h -> h.record().id()).toList();

            List<String> beforeIndexing = ann.search(query).stream().map(h -> h.record().id()).toList();
            ann.indexPending();
            List<String> afterIndexing = ann.search(query).stream().map(h -> h.record().id()).toList();

            assertThat(ann.pendingCount()).isZero();
            assertThat(beforeIndexing).isEqualTo(exact);
            assertThat(afterIndexing).hasSize(7).allSatisfy(id -> assertThat(Integer.parseInt(id.substring(1)) % 3).isZero());
            assertThat(afterIndexing).isEqualTo(exact);
        }
    }

    @Test
    void a_selective_filter_still_fills_the_page_when_the_index_runs_dry() {
        try (PgVectorStore ann = PgVectorStore.create(config.toBuilder().exactSearchThreshold(0).maxScanTuples(50).build())) {
            List<MemoryRecord> rows = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                rows.add(record("s" + i, "x", "u" + (i % 40), T0, 1, i));
            }
            ann.upsert(rows);
            ann.indexPending();

            List<ScoredRecord> hits = ann.search(new VectorQuery(unit(1, 0, 0, 0, 0, 0, 0, 0),
                    Filters.and(Filters.eq("user_id", "u7"), Filters.exists("hash")), 10));

            assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.record().userId()).isEqualTo("u7"));
        }
    }

    @Test
    void entities_counts_users_agents_and_runs_with_their_time_range() {
        store.upsert(List.of(
                record("1", "x", "alex", T0, 1, 0).toBuilder().agentId("travel").build(),
                record("2", "x", "alex", T0.plusSeconds(5), 1, 0).toBuilder().runId("r1").build(),
                record("3", "x", "bob", T0.minusNanos(7), 1, 0)));

        assertThat(store.entities()).containsExactly(
                new EntitySummary(EntityType.USER, "alex", 2, T0, T0.plusSeconds(5)),
                new EntitySummary(EntityType.USER, "bob", 1, T0.minusNanos(7), T0.minusNanos(7)),
                new EntitySummary(EntityType.AGENT, "travel", 1, T0, T0),
                new EntitySummary(EntityType.RUN, "r1", 1, T0.plusSeconds(5), T0.plusSeconds(5)));
    }

    @Test
    void delete_where_deletes_every_match_in_one_statement_and_returns_them() {
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(record("d" + i, "x", i % 2 == 0 ? "alex" : "bob", T0, 1, 0));
        }
        store.upsert(rows);

        List<MemoryRecord> deleted = store.deleteWhere(Filters.eq("user_id", "alex"));

        assertThat(deleted).hasSize(125).allSatisfy(r -> assertThat(r.userId()).isEqualTo("alex"));
        assertThat(store.count(null)).isEqualTo(125);
    }

    @Test
    void write_applies_upserts_and_deletions_in_one_transaction() {
        store.upsert(List.of(record("old", "x", "alex", T0, 1, 0)));

        store.write(List.of(record("new", "y", "alex", T0, 1, 0)), List.of("old"));

        assertThat(store.get(List.of("old", "new"))).extracting(MemoryRecord::id).containsExactly("new");
    }

    @Test
    void scope_locks_exclude_each_other_across_store_instances_but_not_other_scopes() throws Exception {
        try (PgVectorStore other = PgVectorStore.create(config)) {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    PgVectorStore s = i % 2 == 0 ? store : other;
                    Scope scope = i < 2 ? Scope.user("alex") : new Scope("alex", "travel", null);
                    futures.add(pool.submit(() -> s.withScopeLock(scope, () -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        sleep(150);
                        inside.decrementAndGet();
                        return null;
                    })));
                }
                for (Future<?> f : futures) {
                    f.get(20, TimeUnit.SECONDS);
                }
                assertThat(maxInside.get()).as("scopes sharing user alex never overlap").isEqualTo(1);

                CountDownLatch both = new CountDownLatch(2);
                Future<?> a = pool.submit(() -> store.withScopeLock(Scope.user("alex"), () -> awaitBoth(both)));
                Future<?> b = pool.submit(() -> other.withScopeLock(Scope.user("bob"), () -> awaitBoth(both)));
                assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo(true);
                assertThat(b.get(20, TimeUnit.SECONDS)).isEqualTo(true);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void a_scope_lock_is_reentrant_within_one_thread() {
        String result = store.withScopeLock(Scope.user("alex"),
                () -> store.withScopeLock(new Scope("alex", "travel", null), () -> "nested"));

        assertThat(result).isEqualTo("nested");
    }

    @Test
    void numbers_compare_numerically_in_metadata_filters() {
        store.upsert(List.of(
                record("one", "x", "alex", T0, 1, 0).toBuilder().metadata(Map.of("n", 1L)).build(),
                record("onepointoh", "x", "alex", T0, 1, 0).toBuilder().metadata(Map.of("n", 1.0)).build(),
                record("string", "x", "alex", T0, 1, 0).toBuilder().metadata(Map.of("n", "1")).build(),
                record("big", "x", "alex", T0, 1, 0).toBuilder().metadata(Map.of("n", new BigDecimal("2.50"))).build()));

        assertThat(ids(Filters.eq("n", 1))).containsExactlyInAnyOrder("one", "onepointoh");
        assertThat(ids(Filters.eq("n", "1"))).containsExactly("string");
        assertThat(ids(Filters.gt("n", 2.4))).containsExactly("big");
        assertThat(ids(Filters.ne("n", 1))).containsExactlyInAnyOrder("string", "big");
    }

    private List<String> ids(dev.memlayer.api.filter.Filter f) {
        return store.list(f, 0, 100).stream().map(MemoryRecord::id).toList();
    }

    private static boolean awaitBoth(CountDownLatch latch) {
        latch.countDown();
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static MemoryRecord record(String id, String text, String user, Instant t, float x, float y) {
        return MemoryRecord.builder().id(id).memory(text).hash("h-" + id).embedding(unit(x, y, 0, 0, 0, 0, 0, 0))
                .createdAt(t).updatedAt(t).userId(user).build();
    }

    static float[] unit(float... v) {
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = n == 0 ? 0 : (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }
}

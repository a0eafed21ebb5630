package dev.memlayer.store.inmemory;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.eq;
import static dev.memlayer.api.filter.Filters.gte;
import static dev.memlayer.api.filter.Filters.or;
import static dev.memlayer.conformance.support.TestVectors.id;
import static dev.memlayer.conformance.support.TestVectors.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.conformance.support.TestVectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour specific to the in-memory store: the scope index, copies, validation, exactness, atomicity. */
class InMemoryVectorStoreTest {

    private static final int DIMS = 8;

    private final InMemoryVectorStore store = new InMemoryVectorStore(DIMS);

    private static MemoryRecord rec(String name, Random rnd, String user, String agent) {
        return record(name, rnd, DIMS).userId(user).agentId(agent).build();
    }

    // ------------------------------------------------------------------ scope index

    @Test
    void scoped_search_scans_only_the_partitions_of_that_scope() {
        Random rnd = new Random(1);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(rec("big-" + i, rnd, "big", null));
        }
        for (int i = 0; i < 10; i++) {
            records.add(rec("small-" + i, rnd, "small", null));
        }
        for (int i = 0; i < 5; i++) {
            records.add(rec("small-a1-" + i, rnd, "small", "a1"));
        }
        store.upsert(records);
        float[] q = TestVectors.randomUnit(rnd, DIMS);

        assertThat(scanned(eq("user_id", "small"), q)).isEqualTo(15);
        assertThat(scanned(and(eq("user_id", "small"), eq("agent_id", "a1")), q)).isEqualTo(5);
        assertThat(scanned(eq("agent_id", "a1"), q)).isEqualTo(5);
        assertThat(scanned(and(eq("user_id", "big"), eq("agent_id", "a1")), q)).isZero();
        assertThat(scanned(eq("user_id", "nobody"), q)).isZero();
        assertThat(scanned(eq("user_id", 5L), q)).isZero();
        assertThat(scanned(and(eq("user_id", "small"), gte("created_at", "2024-01-01")), q)).isEqualTo(15);
        assertThat(scanned(null, q)).isEqualTo(1015);
        assertThat(scanned(or(eq("user_id", "small"), eq("user_id", "nobody")), q)).isEqualTo(1015);
    }

    private long scanned(Filter filter, float[] q) {
        long before = store.vectorsScanned();
        List<ScoredRecord> hits = store.search(new VectorQuery(q, filter, 2000));
        assertThat(hits).allSatisfy(h -> assertThat(FilterEvaluator.matches(filter, h.record())).isTrue());
        return store.vectorsScanned() - before;
    }

    @Test
    void a_scope_inside_or_or_not_does_not_prune_the_search() {
        Random rnd = new Random(2);
        store.upsert(List.of(rec("a", rnd, "alex", null), rec("s", rnd, "sam", null), rec("n", rnd, null, "bot")));
        float[] q = TestVectors.randomUnit(rnd, DIMS);

        assertThat(ids(store.search(new VectorQuery(q, or(eq("user_id", "alex"), eq("user_id", "sam")), 10))))
                .containsExactlyInAnyOrder(id("a"), id("s"));
        assertThat(ids(store.search(new VectorQuery(q, dev.memlayer.api.filter.Filters.not(eq("user_id", "alex")), 10))))
                .containsExactlyInAnyOrder(id("s"), id("n"));
        assertThat(store.count(and(eq("user_id", "alex"), eq("user_id", "sam")))).isZero();
    }

    @Test
    void moving_a_record_to_another_scope_moves_it_between_partitions() {
        Random rnd = new Random(3);
        MemoryRecord r = rec("r", rnd, "alex", null);
        store.upsert(List.of(r));

        store.upsert(List.of(r.toBuilder().userId("sam").build()));

        assertThat(store.partitionCount()).isEqualTo(1);
        assertThat(store.count(eq("user_id", "alex"))).isZero();
        assertThat(store.count(eq("user_id", "sam"))).isEqualTo(1);
        assertThat(store.entities()).extracting(e -> e.id()).containsExactly("sam");
    }

    @Test
    void empty_partitions_are_dropped() {
        Random rnd = new Random(4);
        store.upsert(List.of(rec("a", rnd, "alex", null), rec("b", rnd, "sam", null), rec("c", rnd, "sam", "x")));
        assertThat(store.partitionCount()).isEqualTo(3);

        store.delete(List.of(id("b")));
        store.deleteWhere(eq("agent_id", "x"));

        assertThat(store.partitionCount()).isEqualTo(1);
        assertThat(scanned(eq("user_id", "sam"), TestVectors.randomUnit(rnd, DIMS))).isZero();
    }

    @Test
    void removing_from_the_middle_of_a_partition_keeps_the_other_vectors_intact() {
        Random rnd = new Random(5);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(rec("m" + i, rnd, "alex", null));
        }
        store.upsert(records);

        List<String> gone = new ArrayList<>();
        for (int i = 0; i < 40; i += 3) {
            gone.add(records.get(i).id());
        }
        assertThat(store.delete(gone)).isEqualTo(gone.size());

        for (MemoryRecord r : records) {
            if (gone.contains(r.id())) {
                assertThat(store.get(r.id())).isEmpty();
            } else {
                assertThat(store.get(r.id()).orElseThrow().embedding()).containsExactly(r.embedding());
                List<ScoredRecord> top = store.search(new VectorQuery(r.embedding(), eq("user_id", "alex"), 1));
                assertThat(top.get(0).record().id()).isEqualTo(r.id());
            }
        }
    }

    // ------------------------------------------------------------------ exactness

    @Test
    void search_is_exact_top_k_for_random_scopes_and_filters() {
        Random rnd = new Random(6);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(record("x" + i, rnd, DIMS)
                    .userId("u" + rnd.nextInt(20))
                    .agentId(rnd.nextBoolean() ? null : "a" + rnd.nextInt(3))
                    .metadata(Map.of("n", (long) rnd.nextInt(10)))
                    .build());
        }
        store.upsert(records);

        for (int t = 0; t < 200; t++) {
            float[] q = TestVectors.randomUnit(rnd, DIMS);
            Filter filter = switch (t % 4) {
                case 0 -> null;
                case 1 -> eq("user_id", "u" + rnd.nextInt(20));
                case 2 -> and(eq("user_id", "u" + rnd.nextInt(20)), eq("agent_id", "a" + rnd.nextInt(3)));
                default -> and(eq("agent_id", "a" + rnd.nextInt(3)), gte("n", (long) rnd.nextInt(10)));
            };
            int k = 1 + rnd.nextInt(30);
            List<Double> reference = records.stream()
                    .filter(r -> FilterEvaluator.matches(filter, r))
                    .map(r -> ScoredRecord.similarity(TestVectors.dot(q, r.embedding())))
                    .sorted((a, b) -> Double.compare(b, a))
                    .toList();
            Map<String, MemoryRecord> byId = new HashMap<>();
            records.forEach(r -> byId.put(r.id(), r));

            List<ScoredRecord> hits = store.search(new VectorQuery(q, filter, k));

            assertThat(hits).hasSize(Math.min(k, reference.size()));
            for (int i = 0; i < hits.size(); i++) {
                ScoredRecord h = hits.get(i);
                double exact = ScoredRecord.similarity(TestVectors.dot(q, byId.get(h.record().id()).embedding()));
                assertThat(h.score()).isCloseTo(exact, within(1e-5));
                // the i-th hit has the i-th best exact score (up to float rounding)
                assertThat(exact).as("rank %d of query %d", i, t).isCloseTo(reference.get(i), within(1e-5));
                assertThat(FilterEvaluator.matches(filter, h.record())).isTrue();
            }
        }
    }

    @Test
    void scores_are_cosines_even_for_vectors_that_are_not_unit_length() {
        InMemoryVectorStore s = new InMemoryVectorStore(3);
        s.upsert(List.of(record("long", new float[] {2f, 0f, 0f}).build(),
                record("diag", new float[] {3f, 3f, 0f}).build(),
                record("zero", new float[] {0f, 0f, 0f}).build()));

        List<ScoredRecord> hits = s.search(new VectorQuery(new float[] {0.5f, 0f, 0f}, null, 10));

        assertThat(ids(hits)).containsExactly(id("long"), id("diag"), id("zero"));
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-6));
        assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-6));
        assertThat(hits.get(2).score()).isZero();
    }

    @Test
    void a_huge_limit_does_not_allocate_for_the_limit() {
        Random rnd = new Random(7);
        store.upsert(List.of(rec("a", rnd, "alex", null), rec("b", rnd, "alex", null)));

        assertThat(store.search(new VectorQuery(TestVectors.randomUnit(rnd, DIMS), null, Integer.MAX_VALUE))).hasSize(2);
        assertThat(store.list(null, 0, Integer.MAX_VALUE)).hasSize(2);
    }

    @Test
    void list_selects_a_small_page_from_many_matches_in_the_same_order_as_a_full_sort() {
        Random rnd = new Random(8);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Instant t = TestVectors.BASE_TIME.plusSeconds(rnd.nextInt(50));
            records.add(record("p" + i, rnd, DIMS).createdAt(t).updatedAt(t).build());
        }
        store.upsert(records);
        List<String> all = TestVectors.ids(store.list(null, 0, 1000));

        assertThat(TestVectors.ids(store.list(null, 0, 10))).containsExactlyElementsOf(all.subList(0, 10));
        assertThat(TestVectors.ids(store.list(null, 37, 20))).containsExactlyElementsOf(all.subList(37, 57));
        assertThat(all).containsExactlyElementsOf(records.stream().sorted(InMemoryVectorStore.LIST_ORDER)
                .map(MemoryRecord::id).toList());
    }

    // ------------------------------------------------------------------ copies and validation

    @Test
    void stored_metadata_is_a_deep_immutable_copy_with_json_number_types() {
        Map<String, Object> nested = new HashMap<>();
        nested.put("k", "v");
        List<Object> list = new ArrayList<>(List.of("a"));
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("nested", nested);
        metadata.put("list", list);
        metadata.put("int", 5);
        metadata.put("float", 1.5f);
        metadata.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        store.upsert(List.of(record("m", new Random(9), DIMS).metadata(metadata).build()));

        nested.put("k", "changed");
        list.add("b");

        Map<String, Object> got = store.get(id("m")).orElseThrow().metadata();
        assertThat(got.get("nested")).isEqualTo(Map.of("k", "v"));
        assertThat(got.get("list")).isEqualTo(List.of("a"));
        assertThat(got.get("int")).isEqualTo(5L);
        assertThat(got.get("float")).isEqualTo(1.5);
        assertThat(got.get("big")).isEqualTo(new java.math.BigDecimal("123456789012345678901234567890"));
        @SuppressWarnings("unchecked")
        Map<String, Object> gotNested = (Map<String, Object>) got.get("nested");
        assertThatThrownBy(() -> gotNested.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(store.count(eq("int", 5))).isEqualTo(1);
    }

    @Test
    void metadata_that_json_cannot_hold_is_rejected_and_nothing_is_written() {
        Random rnd = new Random(10);
        MemoryRecord good = rec("good", rnd, "alex", null);
        MemoryRecord instant = record("instant", rnd, DIMS).metadata(Map.of("when", Instant.now())).build();
        MemoryRecord nan = record("nan", rnd, DIMS).metadata(Map.of("x", Double.NaN)).build();

        assertThatThrownBy(() -> store.upsert(List.of(good, instant))).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> store.upsert(List.of(good, nan))).isInstanceOf(ValidationException.class);
        assertThat(store.count(null)).isZero();
    }

    @Test
    void embeddings_must_be_present_and_finite() {
        Random rnd = new Random(11);
        float[] withNaN = TestVectors.randomUnit(rnd, DIMS);
        withNaN[3] = Float.NaN;

        assertThatThrownBy(() -> store.upsert(List.of(record("none", null).build())))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> store.upsert(List.of(record("nan", withNaN).build())))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(store.count(null)).isZero();
    }

    @Test
    void bad_arguments_are_rejected_with_typed_errors() {
        assertThatThrownBy(() -> new InMemoryVectorStore(0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.list(null, -1, 10)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAGE));
        assertThatThrownBy(() -> store.list(null, 0, 0)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAGE));
        assertThatThrownBy(() -> store.deleteWhere(null)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER));
    }

    @Test
    void records_returned_by_search_and_list_carry_no_embedding_but_get_does() {
        Random rnd = new Random(12);
        MemoryRecord r = rec("r", rnd, "alex", null);
        store.upsert(List.of(r));

        assertThat(store.search(new VectorQuery(r.embedding(), null, 1)).get(0).record().embedding()).isNull();
        assertThat(store.list(null, 0, 1).get(0).embedding()).isNull();
        assertThat(store.get(r.id()).orElseThrow().embedding()).containsExactly(r.embedding());
    }

    // ------------------------------------------------------------------ atomicity

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readers_never_see_a_partial_upsert_or_write() throws Exception {
        int batch = 10;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            futures.add(pool.submit((Callable<Void>) () -> {
                Random rnd = new Random(13);
                start.await();
                for (int b = 0; b < 300; b++) {
                    List<MemoryRecord> records = new ArrayList<>();
                    for (int i = 0; i < batch; i++) {
                        records.add(rec("w" + b + "-" + i, rnd, "x", null));
                    }
                    store.upsert(records);
                    // move the batch to another scope in one write: the total stays a multiple of 10
                    List<MemoryRecord> moved = records.stream().map(r -> r.toBuilder().userId("y").build()).toList();
                    store.write(moved, List.of());
                }
                done.set(true);
                return null;
            }));
            for (int t = 0; t < 3; t++) {
                int seed = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    Random rnd = new Random(100 + seed);
                    start.await();
                    while (!done.get()) {
                        assertThat(store.count(eq("user_id", "x")) % batch).isZero();
                        assertThat(store.count(null) % batch).isZero();
                        assertThat(store.search(new VectorQuery(TestVectors.randomUnit(rnd, DIMS), eq("user_id", "x"), 1000))
                                .size() % batch).isZero();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.count(eq("user_id", "y"))).isEqualTo(300L * batch);
        assertThat(store.count(eq("user_id", "x"))).isZero();
    }

    private static List<String> ids(List<ScoredRecord> hits) {
        return hits.stream().map(h -> h.record().id()).toList();
    }
}

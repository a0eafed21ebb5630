package dev.memlayer.conformance;

import static dev.memlayer.conformance.support.RecordAssertions.assertSameRecord;
import static dev.memlayer.conformance.support.TestVectors.DIMENSIONS;
import static dev.memlayer.conformance.support.TestVectors.id;
import static dev.memlayer.conformance.support.TestVectors.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.support.TestVectors;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link VectorStore} must show (SPEC §3, §5; the {@link VectorStore} Javadoc):
 * writes and reads, field round trips, the similarity formula, ordering and ties, limits, scope
 * isolation, selective filters, paging, deletes, entities, dimension checks and concurrency.
 *
 * <p>A backend's test class extends this class and implements {@link #createStore(int)} only:
 *
 * <pre>{@code
 * class InMemoryVectorStoreConformanceTest extends VectorStoreContract {
 *     @Override
 *     protected VectorStore createStore(int dimensions) {
 *         return new InMemoryVectorStore(dimensions);
 *     }
 * }
 * }</pre>
 *
 * <p>The suite {@link VectorStore#reset() resets} every store it obtains before using it and resets
 * and {@link VectorStore#close() closes} it after each test, so stores may point at a shared server.
 * Most tests use {@link TestVectors#DIMENSIONS} dimensions; a few use 3. Stores of different
 * dimensions must not interfere with each other (e.g. name the collection after the dimension).
 *
 * <p>Every record id is a UUID ({@link TestVectors#id}), every instant has at most microsecond
 * precision, and every embedding has unit length.
 */
public abstract class VectorStoreContract {

    /** Tolerance for reported scores against the double-precision formula. */
    protected static final double SCORE_TOLERANCE = 1e-5;

    private final List<VectorStore> opened = new ArrayList<>();
    private VectorStore store;

    /**
     * Creates a store of the given dimension. Called at most a few times per test; the suite resets
     * the store before use and resets and closes it after the test.
     *
     * @param dimensions the embedding dimension (3 or {@link TestVectors#DIMENSIONS})
     * @return a new store instance (it may share a connection pool the test class owns)
     */
    protected abstract VectorStore createStore(int dimensions);

    /** @return a freshly reset store of the given dimension, closed after the test */
    protected final VectorStore newStore(int dimensions) {
        VectorStore s = createStore(dimensions);
        opened.add(s);
        s.reset();
        return s;
    }

    /** @return this test's store of {@link TestVectors#DIMENSIONS} dimensions, created on first use */
    protected final VectorStore store() {
        if (store == null) {
            store = newStore(DIMENSIONS);
        }
        return store;
    }

    @AfterEach
    void resetAndCloseStores() {
        RuntimeException failure = null;
        for (VectorStore s : opened) {
            try {
                try {
                    s.reset();
                } finally {
                    s.close();
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        opened.clear();
        store = null;
        if (failure != null) {
            throw failure;
        }
    }

    // ------------------------------------------------------------------ writes and reads

    @Test
    void dimensions_reports_the_configured_dimension() {
        assertThat(store().dimensions()).isEqualTo(DIMENSIONS);
        assertThat(newStore(3).dimensions()).isEqualTo(3);
    }

    @Test
    void upsert_then_get_returns_the_record_with_its_embedding() {
        Random rnd = new Random(1);
        MemoryRecord r = record("r1", rnd, DIMENSIONS).build();

        store().upsert(List.of(r));

        Optional<MemoryRecord> got = store().get(r.id());
        assertThat(got).isPresent();
        assertSameRecord(got.get(), r, true);
    }

    @Test
    void get_returns_empty_for_an_unknown_id() {
        store().upsert(List.of(record("r1", new Random(2), DIMENSIONS).build()));

        assertThat(store().get(id("unknown"))).isEmpty();
        assertThat(store().get(List.of(id("unknown")))).isEmpty();
    }

    @Test
    void get_many_returns_existing_records_in_the_order_of_the_ids() {
        Random rnd = new Random(3);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(record("r" + i, rnd, DIMENSIONS).build());
        }
        store().upsert(records);

        List<String> asked = List.of(id("r3"), id("missing"), id("r0"), id("r4"), id("r1"));
        List<MemoryRecord> got = store().get(asked);

        assertThat(got).extracting(MemoryRecord::id).containsExactly(id("r3"), id("r0"), id("r4"), id("r1"));
        for (MemoryRecord g : got) {
            assertSameRecord(g, records.stream().filter(r -> r.id().equals(g.id())).findFirst().orElseThrow(), true);
        }
        assertThat(store().get(List.of())).isEmpty();
    }

    @Test
    void upsert_replaces_a_record_with_the_same_id() {
        Random rnd = new Random(4);
        float[] oldVector = TestVectors.randomUnit(rnd, DIMENSIONS);
        float[] newVector = TestVectors.randomUnit(rnd, DIMENSIONS);
        MemoryRecord original = record("r1", oldVector).userId("alex").metadata(Map.of("v", 1L)).build();
        store().upsert(List.of(original, record("r2", rnd, DIMENSIONS).build()));

        MemoryRecord replaced = original.toBuilder().memory("changed text").hash(TestVectors.md5Hex("changed text"))
                .embedding(newVector).userId("sam").metadata(Map.of("v", 2L)).categories(List.of("new"))
                .updatedAt(TestVectors.BASE_TIME.plusSeconds(60)).build();
        store().upsert(List.of(replaced));

        assertSameRecord(store().get(original.id()).orElseThrow(), replaced, true);
        assertThat(store().count(null)).isEqualTo(2);
        assertThat(ids(store().search(new VectorQuery(oldVector, Filters.eq("user_id", "alex"), 10))))
                .doesNotContain(original.id());
        List<ScoredRecord> hits = store().search(new VectorQuery(newVector, Filters.eq("user_id", "sam"), 10));
        assertThat(ids(hits)).containsExactly(original.id());
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
        assertThat(store().list(Filters.eq("metadata.v", 1L), 0, 10)).isEmpty();
        assertThat(store().list(Filters.eq("metadata.v", 2L), 0, 10)).extracting(MemoryRecord::id)
                .containsExactly(original.id());
    }

    @Test
    void upserting_the_same_batch_twice_keeps_one_copy_of_each_record() {
        Random rnd = new Random(5);
        List<MemoryRecord> batch = List.of(record("a", rnd, DIMENSIONS).build(), record("b", rnd, DIMENSIONS).build());

        store().upsert(batch);
        store().upsert(batch);

        assertThat(store().count(null)).isEqualTo(2);
        assertThat(store().search(new VectorQuery(batch.get(0).embedding(), null, 10))).hasSize(2);
    }

    @Test
    void upsert_of_an_empty_list_does_nothing() {
        store().upsert(List.of());

        assertThat(store().count(null)).isZero();
    }

    @Test
    void a_single_upsert_of_5000_records_stores_them_all() {
        Random rnd = new Random(6);
        List<MemoryRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            batch.add(record("bulk-" + i, rnd, DIMENSIONS).userId("u" + (i % 7)).metadata(Map.of("i", (long) i)).build());
        }

        store().upsert(batch);

        assertThat(store().count(null)).isEqualTo(5000);
        assertThat(store().count(Filters.eq("user_id", "u3"))).isEqualTo(5000 / 7);
        assertSameRecord(store().get(id("bulk-4999")).orElseThrow(), batch.get(4999), true);
    }

    @Test
    void write_applies_upserts_and_deletes_together() {
        Random rnd = new Random(7);
        MemoryRecord a = record("a", rnd, DIMENSIONS).build();
        MemoryRecord b = record("b", rnd, DIMENSIONS).build();
        store().upsert(List.of(a));

        store().write(List.of(b), List.of(a.id()));

        assertThat(store().get(a.id())).isEmpty();
        assertSameRecord(store().get(b.id()).orElseThrow(), b, true);
    }

    @Test
    void mutating_vectors_after_upsert_or_get_does_not_change_the_store() {
        float[] vector = new float[DIMENSIONS];
        vector[0] = 1f;
        float[] expected = vector.clone();
        store().upsert(List.of(record("r1", vector).build()));

        vector[0] = -1f;
        vector[1] = 5f;
        float[] read = store().get(id("r1")).orElseThrow().embedding();
        read[0] = 7f;

        assertThat(store().get(id("r1")).orElseThrow().embedding()).containsExactly(expected, Offset.offset(1e-6f));
        List<ScoredRecord> hits = store().search(new VectorQuery(expected, null, 1));
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
    }

    // ------------------------------------------------------------------ round trips

    /** A record using every field, with metadata of every JSON kind. */
    protected static MemoryRecord fullRecord(float[] embedding) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("ok", true);
        inner.put("none", null);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("city", "Zürich");
        nested.put("days", 3L);
        nested.put("inner", inner);
        nested.put("list", List.of(1L, 2L));
        Map<String, Object> listMap = new LinkedHashMap<>();
        listMap.put("k", "v");
        List<Object> mixed = Arrays.asList("a", 1L, 2.5, true, null, listMap, List.of("x", "y"));

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("text", "plain");
        metadata.put("unicode", "日本語 😀 Ünïcödé ß İ ǅ");
        metadata.put("quotes", "it's \"quoted\" \\ back\\slash\nnew line\ttab % _");
        metadata.put("empty", "");
        metadata.put("long", 42L);
        metadata.put("negative", -7L);
        metadata.put("beyond_double", 9_007_199_254_740_993L);
        metadata.put("max_long", Long.MAX_VALUE);
        metadata.put("double", 2.5);
        metadata.put("whole_double", 3.0);
        metadata.put("negative_double", -0.125);
        metadata.put("true", true);
        metadata.put("false", false);
        metadata.put("json_null", null);
        metadata.put("list", mixed);
        metadata.put("empty_list", List.of());
        metadata.put("nested", nested);
        metadata.put("empty_map", Map.of());
        metadata.put("key with spaces", "v");
        metadata.put("dotted.key", "literal");
        metadata.put("ключ", "значение");
        metadata.put("it's", "o'clock");

        String text = "Mag vegane Küche in Zürich 😀 — \"quoted\" and it's fine";
        return MemoryRecord.builder()
                .id(id("full"))
                .memory(text)
                .hash(TestVectors.md5Hex(text))
                .embedding(embedding)
                .metadata(metadata)
                .categories(List.of("food", "Reisen", "日本", "food_preferences"))
                .createdAt(Instant.parse("2024-07-20T10:15:30.123456Z"))
                .updatedAt(Instant.parse("2024-07-21T00:00:00.000001Z"))
                .userId("alex")
                .agentId("travel-assistant")
                .runId("run-42")
                .actorId("bob")
                .role(Role.ASSISTANT)
                .memoryType(MemoryType.PROCEDURAL)
                .immutable(true)
                .expirationDate(LocalDate.of(2025, 12, 31))
                .build();
    }

    @Test
    void every_field_round_trips_unchanged_through_get_list_search_and_delete_where() {
        Random rnd = new Random(8);
        float[] vector = TestVectors.randomUnit(rnd, DIMENSIONS);
        MemoryRecord full = fullRecord(vector);
        store().upsert(List.of(full));

        assertSameRecord(store().get(full.id()).orElseThrow(), full, true);
        assertSameRecord(store().get(List.of(full.id())).get(0), full, true);
        List<MemoryRecord> listed = store().list(Filters.eq("user_id", "alex"), 0, 10);
        assertThat(listed).hasSize(1);
        assertSameRecord(listed.get(0), full, false);
        List<ScoredRecord> hits = store().search(new VectorQuery(vector, Filters.eq("user_id", "alex"), 10));
        assertThat(hits).hasSize(1);
        assertSameRecord(hits.get(0).record(), full, false);
        List<MemoryRecord> deleted = store().deleteWhere(Filters.eq("user_id", "alex"));
        assertThat(deleted).hasSize(1);
        assertSameRecord(deleted.get(0), full, false);
    }

    @Test
    void metadata_values_keep_their_json_types() {
        MemoryRecord full = fullRecord(TestVectors.randomUnit(new Random(9), DIMENSIONS));
        store().upsert(List.of(full));

        Map<String, Object> m = store().get(full.id()).orElseThrow().metadata();

        assertThat(m.get("long")).isInstanceOf(Long.class).isEqualTo(42L);
        assertThat(m.get("beyond_double")).isEqualTo(9_007_199_254_740_993L);
        assertThat(m.get("max_long")).isEqualTo(Long.MAX_VALUE);
        assertThat(m.get("double")).isInstanceOf(Double.class).isEqualTo(2.5);
        assertThat(m.get("whole_double")).isInstanceOf(Double.class).isEqualTo(3.0);
        assertThat(m.get("true")).isEqualTo(Boolean.TRUE);
        assertThat(m).containsKey("json_null");
        assertThat(m.get("json_null")).isNull();
        assertThat(m.get("nested")).isInstanceOf(Map.class);
        assertThat(m.get("list")).isInstanceOf(List.class);
        assertThat(m.get("list")).isEqualTo(Arrays.asList("a", 1L, 2.5, true, null, Map.of("k", "v"), List.of("x", "y")));
        assertThat(m.get("dotted.key")).isEqualTo("literal");
    }

    @Test
    void a_record_with_only_the_required_fields_round_trips_with_nulls() {
        float[] vector = TestVectors.randomUnit(new Random(10), DIMENSIONS);
        MemoryRecord minimal = MemoryRecord.builder()
                .id(id("minimal"))
                .memory("m")
                .embedding(vector)
                .userId("alex")
                .createdAt(Instant.parse("2024-01-02T03:04:05Z"))
                .updatedAt(Instant.parse("2024-01-02T03:04:05Z"))
                .build();

        store().upsert(List.of(minimal));

        MemoryRecord got = store().get(minimal.id()).orElseThrow();
        assertSameRecord(got, minimal, true);
        assertThat(got.metadata()).isEmpty();
        assertThat(got.categories()).isEmpty();
        assertSameRecord(store().list(null, 0, 10).get(0), minimal, false);
    }

    @Test
    void instants_keep_microsecond_precision() {
        Random rnd = new Random(11);
        Instant t = Instant.parse("2024-02-29T23:59:59.999999Z");
        MemoryRecord r = record("micro", rnd, DIMENSIONS).createdAt(t).updatedAt(t.plusNanos(1000)).build();

        store().upsert(List.of(r));

        MemoryRecord got = store().get(r.id()).orElseThrow();
        assertThat(got.createdAt()).isEqualTo(t);
        assertThat(got.updatedAt()).isEqualTo(Instant.parse("2024-03-01T00:00:00.000000Z"));
    }

    // ------------------------------------------------------------------ search

    @Test
    void similarity_is_one_for_the_same_vector_and_zero_for_orthogonal_or_opposite_vectors() {
        VectorStore s = newStore(3);
        s.upsert(List.of(
                record("same", TestVectors.unit(1, 0, 0)).build(),
                record("orthogonal", TestVectors.unit(0, 1, 0)).build(),
                record("opposite", TestVectors.unit(-1, 0, 0)).build()));

        Map<String, Double> scores = scores(s.search(new VectorQuery(TestVectors.unit(1, 0, 0), null, 10)));

        assertThat(scores).hasSize(3);
        assertThat(scores.get(id("same"))).isCloseTo(1.0, within(SCORE_TOLERANCE));
        assertThat(scores.get(id("orthogonal"))).isCloseTo(0.0, within(SCORE_TOLERANCE));
        assertThat(scores.get(id("opposite"))).isCloseTo(0.0, within(SCORE_TOLERANCE));
        assertThat(scores.values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    }

    @Test
    void similarity_matches_cosines_computed_by_hand() {
        // q = (1,2,2)/3. Hand-computed cosines: a=(2,1,2)/3 -> 8/9, b=(0,0,1) -> 2/3, c=(1,0,0) -> 1/3,
        // d=(2,-2,1)/3 -> 0 (orthogonal), e=-q -> -1, clamped to 0
        VectorStore s = newStore(3);
        s.upsert(List.of(
                record("q", TestVectors.unit(1, 2, 2)).build(),
                record("a", TestVectors.unit(2, 1, 2)).build(),
                record("b", TestVectors.unit(0, 0, 1)).build(),
                record("c", TestVectors.unit(1, 0, 0)).build(),
                record("d", TestVectors.unit(2, -2, 1)).build(),
                record("e", TestVectors.unit(-1, -2, -2)).build()));

        List<ScoredRecord> hits = s.search(new VectorQuery(TestVectors.unit(1, 2, 2), null, 10));

        assertThat(hits).hasSize(6);
        assertThat(ids(hits).subList(0, 4)).containsExactly(id("q"), id("a"), id("b"), id("c"));
        assertThat(ids(hits).subList(4, 6)).containsExactlyInAnyOrder(id("d"), id("e"));
        Map<String, Double> scores = scores(hits);
        assertThat(scores.get(id("q"))).isCloseTo(1.0, within(SCORE_TOLERANCE));
        assertThat(scores.get(id("a"))).isCloseTo(8.0 / 9.0, within(SCORE_TOLERANCE));
        assertThat(scores.get(id("b"))).isCloseTo(2.0 / 3.0, within(SCORE_TOLERANCE));
        assertThat(scores.get(id("c"))).isCloseTo(1.0 / 3.0, within(SCORE_TOLERANCE));
        assertThat(scores.get(id("d"))).isCloseTo(0.0, within(SCORE_TOLERANCE));
        assertThat(scores.get(id("e"))).isEqualTo(0.0);
    }

    @Test
    void search_orders_by_score_descending_and_reports_the_formula() {
        Random rnd = new Random(12);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(record("s" + i, rnd, DIMENSIONS).build());
        }
        store().upsert(records);
        float[] q = TestVectors.randomUnit(rnd, DIMENSIONS);

        List<ScoredRecord> hits = store().search(new VectorQuery(q, null, 200));

        assertThat(hits).hasSize(200);
        for (int i = 1; i < hits.size(); i++) {
            assertThat(hits.get(i).score()).as("score at rank %d", i).isLessThanOrEqualTo(hits.get(i - 1).score());
        }
        Map<String, MemoryRecord> byId = records.stream().collect(Collectors.toMap(MemoryRecord::id, r -> r));
        for (ScoredRecord h : hits) {
            double expected = ScoredRecord.similarity(TestVectors.dot(q, byId.get(h.record().id()).embedding()));
            assertThat(h.score()).as("score of %s", h.record().id()).isCloseTo(expected, within(SCORE_TOLERANCE))
                    .isBetween(0.0, 1.0);
        }
    }

    @Test
    void search_breaks_score_ties_by_id_ascending_even_at_the_limit() {
        Random rnd = new Random(13);
        float[] shared = TestVectors.randomUnit(rnd, DIMENSIONS);
        List<MemoryRecord> tied = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tied.add(record("tie-" + i, shared.clone()).build());
        }
        List<MemoryRecord> all = new ArrayList<>(tied);
        for (int i = 0; i < 20; i++) {
            all.add(record("other-" + i, TestVectors.near(shared, 1.0, rnd)).build());
        }
        java.util.Collections.shuffle(all, rnd);
        store().upsert(all);
        List<String> tiedIdsSorted = tied.stream().map(MemoryRecord::id).sorted().toList();

        List<ScoredRecord> top6 = store().search(new VectorQuery(shared, null, 6));
        List<ScoredRecord> top3 = store().search(new VectorQuery(shared, null, 3));

        assertThat(ids(top6)).containsExactlyElementsOf(tiedIdsSorted);
        assertThat(ids(top3)).containsExactlyElementsOf(tiedIdsSorted.subList(0, 3));
        assertThat(top6).allSatisfy(h -> assertThat(h.score()).isCloseTo(1.0, within(SCORE_TOLERANCE)));
    }

    @Test
    void search_returns_at_most_limit_results() {
        Random rnd = new Random(14);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(record("l" + i, rnd, DIMENSIONS).build());
        }
        store().upsert(records);
        float[] q = TestVectors.randomUnit(rnd, DIMENSIONS);

        assertThat(store().search(new VectorQuery(q, null, 1))).hasSize(1);
        assertThat(store().search(new VectorQuery(q, null, 7))).hasSize(7);
        assertThat(store().search(new VectorQuery(q, null, 30))).hasSize(30);
        assertThat(store().search(new VectorQuery(q, null, 1000))).hasSize(30);
        assertThat(ids(store().search(new VectorQuery(q, null, 7))))
                .containsExactlyElementsOf(exactTopK(records, q, null, 7));
    }

    @Test
    void search_on_an_empty_store_returns_nothing() {
        assertThat(store().search(new VectorQuery(TestVectors.randomUnit(new Random(15), DIMENSIONS), null, 10))).isEmpty();
        assertThat(store().search(new VectorQuery(TestVectors.randomUnit(new Random(15), DIMENSIONS),
                Filters.eq("user_id", "nobody"), 10))).isEmpty();
    }

    @Test
    void scoped_search_never_returns_another_scopes_records() {
        Random rnd = new Random(16);
        float[] q = TestVectors.randomUnit(rnd, DIMENSIONS);
        // the other scopes hold exact copies of the query, so a leak would rank first
        List<MemoryRecord> records = new ArrayList<>();
        String[][] scopes = {
                {"alex", null, null}, {"alex", "travel", null}, {"alex", null, "run-1"}, {"alex", "travel", "run-1"},
                {"sam", null, null}, {"sam", "travel", null}, {null, "travel", null}, {null, "support", "run-1"},
                {"alexander", null, null}, {"Alex", null, null}};
        int n = 0;
        for (String[] scope : scopes) {
            for (int i = 0; i < 4; i++) {
                float[] v = i == 0 ? q.clone() : TestVectors.near(q, 0.3, rnd);
                records.add(record("scoped-" + n++, v).userId(scope[0]).agentId(scope[1]).runId(scope[2]).build());
            }
        }
        store().upsert(records);

        List<Filter> queries = List.of(
                Filters.eq("user_id", "alex"),
                Filters.eq("agent_id", "travel"),
                Filters.eq("run_id", "run-1"),
                Filters.and(Filters.eq("user_id", "alex"), Filters.eq("agent_id", "travel")),
                Filters.and(Filters.eq("user_id", "alex"), Filters.eq("run_id", "run-1")),
                Filters.and(Filters.eq("user_id", "alex"), Filters.eq("agent_id", "travel"), Filters.eq("run_id", "run-1")),
                Filters.and(Filters.eq("user_id", "sam"), Filters.eq("agent_id", "travel")),
                Filters.and(Filters.eq("agent_id", "support"), Filters.eq("run_id", "run-1")),
                Filters.eq("user_id", "nobody"));
        for (Filter scope : queries) {
            List<ScoredRecord> hits = store().search(new VectorQuery(q, scope, 100));
            List<String> expected = exactTopK(records, q, scope, 100);
            assertThat(ids(hits)).as("search in %s", scope).containsExactlyElementsOf(expected);
            assertThat(hits).allSatisfy(h -> assertThat(FilterEvaluator.matches(scope, h.record()))
                    .as("hit %s in %s", h.record(), scope).isTrue());
            List<ScoredRecord> top2 = store().search(new VectorQuery(q, scope, 2));
            assertThat(ids(top2)).as("top 2 in %s", scope).containsExactlyElementsOf(exactTopK(records, q, scope, 2));
        }
    }

    @Test
    void a_selective_scope_still_returns_limit_results_equal_to_the_exact_top_k() {
        // 50 records of one user among 2,000 of others that are all closer to the query
        Random rnd = new Random(17);
        float[] q = TestVectors.randomUnit(rnd, DIMENSIONS);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(record("crowd-" + i, TestVectors.near(q, 0.15, rnd)).userId("crowd-" + (i % 20)).build());
        }
        for (int i = 0; i < 50; i++) {
            records.add(record("needle-" + i, rnd, DIMENSIONS).userId("needle").build());
        }
        store().upsert(records);
        Filter scope = Filters.eq("user_id", "needle");

        List<ScoredRecord> hits = store().search(new VectorQuery(q, scope, 10));

        assertThat(ids(hits)).containsExactlyElementsOf(exactTopK(records, q, scope, 10));
        assertThat(store().search(new VectorQuery(q, scope, 100))).hasSize(50);
    }

    @Test
    void a_selective_metadata_filter_still_returns_limit_results() {
        // 30 tagged records among 2,000 records of the same user that are closer to the query
        Random rnd = new Random(18);
        float[] q = TestVectors.randomUnit(rnd, DIMENSIONS);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(record("common-" + i, TestVectors.near(q, 0.15, rnd)).metadata(Map.of("tag", "common")).build());
        }
        for (int i = 0; i < 30; i++) {
            records.add(record("rare-" + i, rnd, DIMENSIONS).metadata(Map.of("tag", "rare")).build());
        }
        store().upsert(records);
        Filter filter = Filters.and(Filters.eq("user_id", "alex"), Filters.eq("tag", "rare"));

        List<ScoredRecord> hits = store().search(new VectorQuery(q, filter, 10));

        assertThat(hits).hasSize(10);
        assertThat(hits).allSatisfy(h -> assertThat(h.record().metadata()).containsEntry("tag", "rare"));
        Set<String> exact = new HashSet<>(exactTopK(records, q, filter, 10));
        long found = ids(hits).stream().filter(exact::contains).count();
        assertThat(found).as("recall@10 of a selective metadata filter").isGreaterThanOrEqualTo(8);
        assertThat(store().search(new VectorQuery(q, filter, 100))).hasSize(30);
    }

    @Test
    void deleted_records_are_never_found() {
        Random rnd = new Random(19);
        float[] q = TestVectors.randomUnit(rnd, DIMENSIONS);
        store().upsert(List.of(record("gone", q.clone()).build(), record("kept", rnd, DIMENSIONS).build()));

        store().delete(List.of(id("gone")));

        assertThat(ids(store().search(new VectorQuery(q, null, 10)))).containsExactly(id("kept"));
        assertThat(ids(store().search(new VectorQuery(q, Filters.eq("user_id", "alex"), 10)))).containsExactly(id("kept"));
    }

    @Test
    void search_with_a_vector_of_the_wrong_dimension_is_rejected() {
        store().upsert(List.of(record("r", new Random(20), DIMENSIONS).build()));

        assertThatThrownBy(() -> store().search(new VectorQuery(new float[] {1f, 0f, 0f}, null, 5)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));
    }

    @Test
    void upsert_with_a_vector_of_the_wrong_dimension_is_rejected_and_writes_nothing() {
        Random rnd = new Random(21);
        MemoryRecord good = record("good", rnd, DIMENSIONS).build();
        MemoryRecord bad = record("bad", TestVectors.randomUnit(rnd, DIMENSIONS + 1)).build();

        assertThatThrownBy(() -> store().upsert(List.of(good, bad)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));

        assertThat(store().count(null)).isZero();
        assertThat(store().get(good.id())).isEmpty();
    }

    // ------------------------------------------------------------------ list, count

    @Test
    void list_orders_by_created_at_descending_then_id_ascending() {
        Random rnd = new Random(22);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // only 8 distinct instants: many ties broken by id
            Instant t = TestVectors.BASE_TIME.plus(Duration.ofMinutes(rnd.nextInt(8))).plusNanos(1000L * rnd.nextInt(3));
            records.add(record("o" + i, rnd, DIMENSIONS).createdAt(t).updatedAt(t).build());
        }
        store().upsert(records);

        List<MemoryRecord> listed = store().list(null, 0, 100);

        assertThat(TestVectors.ids(listed)).containsExactlyElementsOf(listOrder(records));
        assertThat(TestVectors.ids(store().list(Filters.eq("user_id", "alex"), 0, 100)))
                .containsExactlyElementsOf(listOrder(records));
    }

    @Test
    void list_pages_with_offset_and_limit() {
        Random rnd = new Random(23);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Instant t = TestVectors.BASE_TIME.plusSeconds(rnd.nextInt(5));
            records.add(record("p" + i, rnd, DIMENSIONS).createdAt(t).updatedAt(t).build());
        }
        records.add(record("other-user", rnd, DIMENSIONS).userId("sam").build());
        store().upsert(records);
        Filter alex = Filters.eq("user_id", "alex");
        List<String> expected = listOrder(records.stream().filter(r -> "alex".equals(r.userId())).toList());

        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 30; offset += 5) {
            List<MemoryRecord> page = store().list(alex, offset, 5);
            assertThat(page.size()).as("page at offset %d", offset).isEqualTo(Math.max(0, Math.min(5, 23 - offset)));
            paged.addAll(TestVectors.ids(page));
        }

        assertThat(paged).containsExactlyElementsOf(expected);
        assertThat(TestVectors.ids(store().list(alex, 22, 10))).containsExactly(expected.get(22));
        assertThat(store().list(alex, 23, 10)).isEmpty();
        assertThat(store().list(alex, 1000, 10)).isEmpty();
        assertThat(TestVectors.ids(store().list(alex, 3, 1))).containsExactly(expected.get(3));
    }

    @Test
    void count_counts_the_matching_records() {
        Random rnd = new Random(24);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            records.add(record("c" + i, rnd, DIMENSIONS).userId(i % 3 == 0 ? "sam" : "alex").build());
        }
        store().upsert(records);

        assertThat(store().count(null)).isEqualTo(12);
        assertThat(store().count(Filters.eq("user_id", "sam"))).isEqualTo(4);
        assertThat(store().count(Filters.eq("user_id", "alex"))).isEqualTo(8);
        assertThat(store().count(Filters.eq("user_id", "nobody"))).isZero();
    }

    // ------------------------------------------------------------------ delete, reset

    @Test
    void delete_removes_only_the_given_ids_and_reports_how_many_existed() {
        Random rnd = new Random(25);
        store().upsert(List.of(record("a", rnd, DIMENSIONS).build(), record("b", rnd, DIMENSIONS).build(),
                record("c", rnd, DIMENSIONS).build()));

        int deleted = store().delete(List.of(id("a"), id("c"), id("never-existed")));

        assertThat(deleted).isEqualTo(2);
        assertThat(store().get(id("a"))).isEmpty();
        assertThat(store().get(id("c"))).isEmpty();
        assertThat(store().get(id("b"))).isPresent();
        assertThat(store().count(null)).isEqualTo(1);
        assertThat(store().delete(List.of(id("a")))).isZero();
        assertThat(store().delete(List.of())).isZero();
    }

    @Test
    void delete_where_deletes_every_match_however_many_and_returns_the_records() {
        Random rnd = new Random(26);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            records.add(record("dw-" + i, rnd, DIMENSIONS).userId("alex").metadata(Map.of("i", (long) i)).build());
        }
        for (int i = 0; i < 100; i++) {
            records.add(record("keep-" + i, rnd, DIMENSIONS).userId("sam").build());
        }
        store().upsert(records);

        List<MemoryRecord> deleted = store().deleteWhere(Filters.eq("user_id", "alex"));

        assertThat(deleted).hasSize(2500);
        assertThat(deleted).extracting(MemoryRecord::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(TestVectors.ids(records.subList(0, 2500)));
        MemoryRecord some = deleted.stream().filter(r -> r.id().equals(id("dw-1234"))).findFirst().orElseThrow();
        assertSameRecord(some, records.get(1234), false);
        assertThat(store().count(Filters.eq("user_id", "alex"))).isZero();
        assertThat(store().count(null)).isEqualTo(100);
        assertThat(store().deleteWhere(Filters.eq("user_id", "alex"))).isEmpty();
    }

    @Test
    void delete_where_honours_the_whole_filter() {
        Random rnd = new Random(27);
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record("f" + i, rnd, DIMENSIONS).metadata(Map.of("n", (long) i)).build());
        }
        store().upsert(records);

        List<MemoryRecord> deleted = store().deleteWhere(Filters.and(Filters.eq("user_id", "alex"), Filters.gte("n", 15)));

        assertThat(deleted).extracting(MemoryRecord::id)
                .containsExactlyInAnyOrderElementsOf(TestVectors.ids(records.subList(15, 20)));
        assertThat(store().count(null)).isEqualTo(15);
    }

    @Test
    void reset_removes_everything() {
        Random rnd = new Random(28);
        store().upsert(List.of(record("a", rnd, DIMENSIONS).build(), record("b", rnd, DIMENSIONS).userId("sam").build()));

        store().reset();

        assertThat(store().count(null)).isZero();
        assertThat(store().list(null, 0, 10)).isEmpty();
        assertThat(store().search(new VectorQuery(TestVectors.randomUnit(rnd, DIMENSIONS), null, 10))).isEmpty();
        assertThat(store().entities()).isEmpty();
        store().upsert(List.of(record("c", rnd, DIMENSIONS).build()));
        assertThat(store().count(null)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ entities

    @Test
    void entities_lists_every_user_agent_and_run_with_counts_and_time_range() {
        Random rnd = new Random(29);
        Instant t0 = Instant.parse("2024-07-01T00:00:00.000001Z");
        store().upsert(List.of(
                record("e1", rnd, DIMENSIONS).userId("alex").agentId("travel").runId(null)
                        .createdAt(t0).updatedAt(t0.plusSeconds(10)).build(),
                record("e2", rnd, DIMENSIONS).userId("alex").agentId(null).runId("run-1")
                        .createdAt(t0.plusSeconds(100)).updatedAt(t0.plusSeconds(5000)).build(),
                record("e3", rnd, DIMENSIONS).userId("sam").agentId("travel").runId("run-1")
                        .createdAt(t0.minusSeconds(50)).updatedAt(t0.plusSeconds(20)).build(),
                record("e4", rnd, DIMENSIONS).userId(null).agentId("support").runId(null)
                        .createdAt(t0.plusSeconds(7)).updatedAt(t0.plusSeconds(8)).build()));

        List<EntitySummary> entities = store().entities();

        assertThat(entities).containsExactlyInAnyOrder(
                new EntitySummary(EntityType.USER, "alex", 2, t0, t0.plusSeconds(5000)),
                new EntitySummary(EntityType.USER, "sam", 1, t0.minusSeconds(50), t0.plusSeconds(20)),
                new EntitySummary(EntityType.AGENT, "travel", 2, t0.minusSeconds(50), t0.plusSeconds(20)),
                new EntitySummary(EntityType.AGENT, "support", 1, t0.plusSeconds(7), t0.plusSeconds(8)),
                new EntitySummary(EntityType.RUN, "run-1", 2, t0.minusSeconds(50), t0.plusSeconds(5000)));
    }

    @Test
    void entities_forget_an_entity_whose_records_are_all_deleted() {
        Random rnd = new Random(30);
        store().upsert(List.of(record("a", rnd, DIMENSIONS).userId("alex").build(),
                record("b", rnd, DIMENSIONS).userId("sam").build()));

        store().delete(List.of(id("b")));

        assertThat(store().entities()).extracting(EntitySummary::id).containsExactly("alex");
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrent_upserts_and_searches_are_safe() throws Exception {
        int writers = 4;
        int batches = 25;
        int batchSize = 8;
        VectorStore s = store();
        ExecutorService pool = Executors.newFixedThreadPool(writers * 2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit((Callable<Void>) () -> {
                    Random rnd = new Random(100 + writer);
                    start.await();
                    for (int b = 0; b < batches; b++) {
                        List<MemoryRecord> batch = new ArrayList<>();
                        for (int i = 0; i < batchSize; i++) {
                            batch.add(record("w" + writer + "-" + b + "-" + i, rnd, DIMENSIONS).userId("writer-" + writer).build());
                        }
                        s.upsert(batch);
                    }
                    return null;
                }));
                futures.add(pool.submit((Callable<Void>) () -> {
                    Random rnd = new Random(200 + writer);
                    start.await();
                    for (int i = 0; i < 100; i++) {
                        String user = "writer-" + rnd.nextInt(writers);
                        List<ScoredRecord> hits = s.search(new VectorQuery(TestVectors.randomUnit(rnd, DIMENSIONS),
                                Filters.eq("user_id", user), 5));
                        assertThat(hits.size()).isLessThanOrEqualTo(5);
                        for (ScoredRecord h : hits) {
                            assertThat(h.record().userId()).isEqualTo(user);
                        }
                        for (int k = 1; k < hits.size(); k++) {
                            assertThat(hits.get(k).score()).isLessThanOrEqualTo(hits.get(k - 1).score());
                        }
                        s.count(Filters.eq("user_id", user));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(s.count(null)).isEqualTo((long) writers * batches * batchSize);
        for (int w = 0; w < writers; w++) {
            assertThat(s.count(Filters.eq("user_id", "writer-" + w))).isEqualTo((long) batches * batchSize);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrent_replacements_of_the_same_ids_leave_one_consistent_copy() throws Exception {
        int threads = 4;
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> id("shared-" + i)).toList();
        VectorStore s = store();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    Random rnd = new Random(300 + thread);
                    for (int round = 0; round < 20; round++) {
                        List<MemoryRecord> batch = new ArrayList<>();
                        for (String rid : ids) {
                            String user = "u" + thread;
                            batch.add(record("x", rnd, DIMENSIONS).id(rid).userId(user)
                                    .metadata(Map.of("thread", (long) thread)).build());
                        }
                        s.upsert(batch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(s.count(null)).isEqualTo(ids.size());
        long scoped = 0;
        for (int t = 0; t < threads; t++) {
            Filter f = Filters.eq("user_id", "u" + t);
            long c = s.count(f);
            scoped += c;
            // the scope index agrees with the records: every record found in u<t> says so
            for (MemoryRecord r : s.list(f, 0, 100)) {
                assertThat(r.metadata().get("thread")).isEqualTo((long) t);
            }
        }
        assertThat(scoped).isEqualTo(ids.size());
    }

    // ------------------------------------------------------------------ helpers

    /** @return the hit ids in order */
    protected static List<String> ids(List<ScoredRecord> hits) {
        return hits.stream().map(h -> h.record().id()).toList();
    }

    private static Map<String, Double> scores(List<ScoredRecord> hits) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (ScoredRecord h : hits) {
            out.put(h.record().id(), h.score());
        }
        return out;
    }

    /**
     * The exact answer to a search, by the reference formula and evaluator: records matching the
     * filter ordered by {@link ScoredRecord#similarity} of the double-precision dot product
     * descending, then id ascending, first {@code k}.
     */
    protected static List<String> exactTopK(List<MemoryRecord> records, float[] q, Filter filter, int k) {
        record Scored(String id, double score) {
        }
        return records.stream()
                .filter(r -> FilterEvaluator.matches(filter, r))
                .map(r -> new Scored(r.id(), ScoredRecord.similarity(TestVectors.dot(q, r.embedding()))))
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id))
                .limit(k)
                .map(Scored::id)
                .toList();
    }

    /** @return the ids in list order: created_at descending, then id ascending */
    protected static List<String> listOrder(List<MemoryRecord> records) {
        return records.stream()
                .sorted(Comparator.comparing(MemoryRecord::createdAt).reversed().thenComparing(MemoryRecord::id))
                .map(MemoryRecord::id)
                .toList();
    }
}

package dev.memlayer.store.redis;

import static dev.memlayer.api.filter.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.StoreException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.conformance.support.TestVectors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Write-behind indexing: upserted vectors wait as pending vectors until they are moved into the
 * HNSW vector sets, and searches return exactly the same memories and scores before and after.
 */
class RedisPendingVectorsTest {

    private static final int DIMS = 16;

    private final String prefix = RedisTestSupport.uniquePrefix(RedisPendingVectorsTest.class);
    private final List<RedisVectorStore> stores = new ArrayList<>();
    private final Random rnd = new Random(7);

    private RedisVectorStore open(Function<RedisConfig.Builder, RedisConfig.Builder> settings) {
        RedisConfig config = settings.apply(RedisTestSupport.config(prefix, DIMS).toBuilder()).build();
        RedisVectorStore store = RedisVectorStore.create(config);
        stores.add(store);
        return store;
    }

    private RedisVectorStore manual() {
        return open(b -> b.backgroundIndexing(false).indexBacklog(100_000));
    }

    @AfterEach
    void clean() {
        if (!stores.isEmpty()) {
            stores.get(0).reset();
        }
        stores.forEach(RedisVectorStore::close);
    }

    @Test
    void pending_vectors_are_found_with_exact_scores_and_indexing_changes_no_answer() {
        // a threshold of 10 sends alex's set of 40 through HNSW with its 6 pending vectors beside it
        RedisVectorStore store = open(b -> b.backgroundIndexing(false).indexBacklog(100_000).exactSearchThreshold(10));
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(TestVectors.record("indexed-" + i, rnd, DIMS).agentId(i % 2 == 0 ? "travel" : null)
                    .metadata(Map.of("n", i % 3)).build());
        }
        store.upsert(records);
        store.indexPending();
        List<MemoryRecord> pending = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pending.add(TestVectors.record("pending-" + i, rnd, DIMS).agentId("travel").metadata(Map.of("n", i % 3))
                    .build());
        }
        store.upsert(pending);
        records.addAll(pending);
        assertThat(store.pendingVectors()).isEqualTo(12); // 6 memories x (user alex, agent travel)
        assertThat(vcard(store, "u:alex")).isEqualTo(40);

        List<Filter> filters = List.of(eq("user_id", "alex"), eq("agent_id", "travel"), eq("n", 1));
        List<float[]> queries = List.of(pending.get(0).embedding(), records.get(3).embedding(),
                TestVectors.randomUnit(rnd, DIMS));
        List<List<ScoredRecord>> before = new ArrayList<>();
        for (Filter f : filters) {
            for (float[] q : queries) {
                List<ScoredRecord> hits = store.search(new VectorQuery(q, f, 10));
                assertSameAsReference(hits, records, q, f, 10);
                before.add(hits);
            }
        }
        assertThat(store.search(new VectorQuery(pending.get(0).embedding(), eq("user_id", "alex"), 1)))
                .singleElement().satisfies(h -> {
                    assertThat(h.record().id()).isEqualTo(pending.get(0).id());
                    assertThat(h.score()).isCloseTo(1.0, within(1e-6));
                });

        assertThat(store.indexPending()).isEqualTo(12);

        assertThat(store.pendingVectors()).isZero();
        assertThat(vcard(store, "u:alex")).isEqualTo(46);
        assertThat(vcard(store, "a:travel")).isEqualTo(26);
        int n = 0;
        for (Filter f : filters) {
            for (float[] q : queries) {
                List<ScoredRecord> after = store.search(new VectorQuery(q, f, 10));
                List<ScoredRecord> was = before.get(n++);
                assertThat(after).as("indexing changes no answer, not even a score").isEqualTo(was);
            }
        }
    }

    @Test
    void replacing_an_indexed_memory_takes_its_old_vector_out_of_the_vector_sets() {
        RedisVectorStore store = manual();
        float[] v1 = TestVectors.randomUnit(rnd, DIMS);
        float[] v2 = TestVectors.randomUnit(rnd, DIMS);
        MemoryRecord first = TestVectors.record("changing", v1).build();
        store.upsert(List.of(first, TestVectors.record("other", rnd, DIMS).build()));
        store.indexPending();
        assertThat(vcard(store, "u:alex")).isEqualTo(2);

        store.upsert(List.of(first.toBuilder().embedding(v2).memory("changed").build()));

        assertThat(vcard(store, "u:alex")).isEqualTo(1); // the stale vector is gone, the new one pending
        double expected = ScoredRecord.similarity(TestVectors.dot(v1, v2));
        for (int round = 0; round < 2; round++) {
            assertThat(store.search(new VectorQuery(v1, eq("user_id", "alex"), 5)))
                    .filteredOn(h -> h.record().id().equals(first.id())).singleElement().satisfies(h -> {
                        assertThat(h.record().memory()).isEqualTo("changed");
                        assertThat(h.score()).isCloseTo(expected, within(1e-6));
                    });
            store.indexPending();
        }
        assertThat(vcard(store, "u:alex")).isEqualTo(2);
    }

    @Test
    void a_memory_deleted_before_it_was_indexed_leaves_nothing_to_index() {
        RedisVectorStore store = manual();
        List<MemoryRecord> records = List.of(TestVectors.record("a", rnd, DIMS).build(),
                TestVectors.record("b", rnd, DIMS).build());
        store.upsert(records);
        assertThat(store.pendingVectors()).isEqualTo(2);

        assertThat(store.delete(List.of(records.get(0).id()))).isEqualTo(1);

        assertThat(store.pendingVectors()).isEqualTo(1);
        assertThat(store.indexPending()).isEqualTo(1);
        assertThat(vcard(store, "u:alex")).isEqualTo(1);
        assertThat(store.search(new VectorQuery(records.get(0).embedding(), null, 5)))
                .extracting(h -> h.record().id()).containsExactly(records.get(1).id());
    }

    @Test
    void the_same_id_twice_in_one_batch_counts_one_pending_vector() {
        RedisVectorStore store = manual();
        MemoryRecord r = TestVectors.record("twice", rnd, DIMS).build();
        store.upsert(List.of(r, r.toBuilder().embedding(TestVectors.randomUnit(rnd, DIMS)).build()));

        assertThat(store.pendingVectors()).isEqualTo(1);
        assertThat(store.indexPending()).isEqualTo(1);
        assertThat(store.pendingVectors()).isZero();
        assertThat(vcard(store, "u:alex")).isEqualTo(1);
    }

    @Test
    void an_upsert_over_the_backlog_indexes_until_the_backlog_is_respected() {
        RedisVectorStore store = open(b -> b.backgroundIndexing(false).indexBacklog(5));
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(TestVectors.record("r" + i, rnd, DIMS).build());
        }

        store.upsert(records);

        assertThat(store.pendingVectors()).isLessThanOrEqualTo(5);
        assertThat(vcard(store, "u:alex")).isGreaterThanOrEqualTo(25);
        assertSameAsReference(store.search(new VectorQuery(records.get(0).embedding(), null, 30)), records,
                records.get(0).embedding(), null, 30);
    }

    @Test
    void when_indexing_fails_an_upsert_over_the_backlog_fails_before_writing_and_a_done_write_is_kept() {
        RedisVectorStore store = open(b -> b.backgroundIndexing(false).indexBacklog(2));
        byte[] blocker = (prefix + ":{u:bob}:v").getBytes(StandardCharsets.UTF_8);
        store.redisClient().set(blocker, "not a vector set".getBytes(StandardCharsets.UTF_8)); // VADD: WRONGTYPE
        List<MemoryRecord> bobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bobs.add(TestVectors.record("bob-" + i, rnd, DIMS).userId("bob").build());
        }

        store.upsert(bobs); // written; the indexing after it fails and is only logged

        assertThat(store.count(eq("user_id", "bob"))).isEqualTo(5);
        assertThat(store.pendingVectors()).isEqualTo(5);
        MemoryRecord carol = TestVectors.record("carol", rnd, DIMS).userId("carol").build();
        assertThatThrownBy(() -> store.upsert(List.of(carol))).isInstanceOf(StoreException.class);
        assertThat(store.get(carol.id())).isEmpty();
        assertThat(store.count(null)).isEqualTo(5);

        store.redisClient().del(blocker);
        store.upsert(List.of(carol));
        assertThat(store.pendingVectors()).isLessThanOrEqualTo(2);
        assertThat(store.count(null)).isEqualTo(6);
        assertSameAsReference(store.search(new VectorQuery(carol.embedding(), null, 10)),
                concat(bobs, carol), carol.embedding(), null, 10);
    }

    private static List<MemoryRecord> concat(List<MemoryRecord> list, MemoryRecord one) {
        List<MemoryRecord> out = new ArrayList<>(list);
        out.add(one);
        return out;
    }

    @Test
    void vectors_a_closed_store_left_pending_are_indexed_by_the_next_store_in_the_background() throws Exception {
        RedisVectorStore first = manual();
        List<MemoryRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(TestVectors.record("left-" + i, rnd, DIMS).build());
        }
        first.upsert(records);
        assertThat(first.pendingVectors()).isEqualTo(20);

        RedisVectorStore next = open(b -> b); // background indexing on, the default
        assertThat(next.search(new VectorQuery(records.get(0).embedding(), null, 20))).hasSize(20);

        awaitNoPending(next, Duration.ofSeconds(20));
        assertThat(vcard(next, "u:alex")).isEqualTo(20);
        assertSameAsReference(next.search(new VectorQuery(records.get(0).embedding(), null, 20)), records,
                records.get(0).embedding(), null, 20);
    }

    static void awaitNoPending(RedisVectorStore store, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (store.pendingVectors() > 0) {
            assertThat(System.nanoTime()).as("pending vectors left after %s", timeout).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static long vcard(RedisVectorStore store, String tag) {
        return store.redisClient().vcard((store.config().keyPrefix() + ":{" + tag + "}:v").getBytes(StandardCharsets.UTF_8));
    }

    private static void assertSameAsReference(List<ScoredRecord> hits, List<MemoryRecord> records, float[] q, Filter f,
                                              int k) {
        record Scored(String id, double score) {
        }
        List<Scored> expected = records.stream().filter(r -> FilterEvaluator.matches(f, r))
                .map(r -> new Scored(r.id(), ScoredRecord.similarity(TestVectors.dot(q, r.embedding()))))
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id)).limit(k).toList();
        assertThat(ids(hits)).as("hits for %s", f).isEqualTo(expected.stream().map(Scored::id).toList());
        for (int i = 0; i < hits.size(); i++) {
            assertThat(hits.get(i).score()).isCloseTo(expected.get(i).score(), within(1e-6));
        }
    }

    private static List<String> ids(List<ScoredRecord> hits) {
        return hits.stream().map(h -> h.record().id()).toList();
    }
}

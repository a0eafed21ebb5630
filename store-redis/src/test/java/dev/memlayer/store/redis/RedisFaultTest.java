package dev.memlayer.store.redis;

import static dev.memlayer.api.filter.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.StoreException;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.conformance.support.TestVectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults between the store and Redis, made hermetically with a TCP proxy: a hung or stopped server
 * gives a retryable {@link StoreException} within the configured timeouts, the client recovers by
 * itself when the server is back, and a write cut off in the middle leaves nothing half-written.
 */
class RedisFaultTest {

    private static final int DIMS = 8;
    private static final Duration TIMEOUT = Duration.ofMillis(2000);

    private TcpProxy proxy;
    private RedisVectorStore store;
    private RedisHistoryStore history;
    private final Random rnd = new Random(11);

    @BeforeEach
    void start() throws Exception {
        RedisConfig direct = RedisConfig.fromEnv();
        proxy = new TcpProxy(direct.host(), direct.port());
        String uri = "redis://" + (direct.user() != null || direct.effectivePassword() != null
                ? (direct.user() == null ? "" : direct.user()) + ":" + direct.effectivePassword() + "@" : "")
                + "127.0.0.1:" + proxy.port();
        RedisConfig config = RedisTestSupport.config(RedisTestSupport.uniquePrefix(RedisFaultTest.class), DIMS)
                .toBuilder().uri(uri).connectTimeout(TIMEOUT).commandTimeout(TIMEOUT).build();
        store = RedisVectorStore.create(config);
        history = RedisHistoryStore.create(config);
        store.reset();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.restore();
        store.reset();
        store.close();
        history.reset();
        history.close();
        proxy.close();
    }

    @Test
    void a_hung_server_fails_with_a_retryable_store_exception_within_the_timeout_and_the_client_recovers() throws Exception {
        store.upsert(batch("before", 3));
        proxy.blackhole();

        long started = System.nanoTime();
        assertThatThrownBy(() -> store.search(new VectorQuery(TestVectors.randomUnit(rnd, DIMS), eq("user_id", "alex"), 5)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
        assertThatThrownBy(() -> store.count(null)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> history.history("x")).isInstanceOf(StoreException.class);
        // the first call may retry once on a fresh connection: two timeouts at most, plus slack
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(3 * 2 + 4));

        proxy.blackhole(); // still down
        proxy.kill();
        long refused = System.nanoTime();
        assertThatThrownBy(() -> store.count(null))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - refused)).isLessThan(TIMEOUT.multipliedBy(3));

        restore();
        assertThat(store.count(null)).isEqualTo(3);
        assertThat(store.search(new VectorQuery(TestVectors.randomUnit(rnd, DIMS), eq("user_id", "alex"), 5))).hasSize(3);
        assertThat(history.history("x")).isEmpty();
    }

    @Test
    void a_write_cut_off_in_the_middle_leaves_nothing_half_written() {
        store.upsert(batch("kept", 5));
        List<MemoryRecord> big = batch("lost", 200);
        proxy.cutAfter(20_000); // the request is ~100 kB: the server gets only the start of it

        assertThatThrownBy(() -> store.upsert(big)).isInstanceOf(StoreException.class);

        restore();
        assertThat(store.count(null)).isEqualTo(5);
        assertThat(store.count(eq("user_id", "alex"))).isEqualTo(5);
        assertThat(store.get(big.get(0).id())).isEmpty();
        assertThat(store.get(big.get(199).id())).isEmpty();
        assertThat(store.search(new VectorQuery(big.get(0).embedding(), null, 300))).hasSize(5);
        assertThat(store.entities()).singleElement().satisfies(e -> assertThat(e.totalMemories()).isEqualTo(5));
        assertThat(store.pendingVectors()).isLessThanOrEqualTo(5); // no pending vector of the lost batch
        store.indexPending();
        assertThat(store.pendingVectors()).isZero();
        assertThat(store.search(new VectorQuery(big.get(0).embedding(), null, 300))).hasSize(5);
        // and the store keeps working on the same data
        store.upsert(big);
        assertThat(store.count(null)).isEqualTo(205);
    }

    @Test
    void the_background_indexer_survives_a_server_outage_and_finishes_afterwards() throws Exception {
        RedisConfig direct = RedisTestSupport.config(store.config().keyPrefix(), DIMS).toBuilder()
                .backgroundIndexing(false).indexBacklog(100_000).build();
        List<MemoryRecord> records = batch("pending", 40);
        try (RedisVectorStore writer = RedisVectorStore.create(direct)) {
            writer.upsert(records); // 40 pending vectors, nobody indexing them
            assertThat(writer.pendingVectors()).isEqualTo(40);
        }
        proxy.kill();

        // the search fails, and wakes this store's indexer, whose steps fail too while the server is away
        assertThatThrownBy(() -> store.search(new VectorQuery(records.get(0).embedding(), null, 50)))
                .isInstanceOf(StoreException.class);
        Thread.sleep(300);

        restore();
        RedisPendingVectorsTest.awaitNoPending(store, Duration.ofSeconds(20));
        assertThat(RedisPendingVectorsTest.vcard(store, "u:alex")).isEqualTo(40);
        assertThat(store.search(new VectorQuery(records.get(0).embedding(), null, 50))).hasSize(40)
                .first().satisfies(h -> assertThat(h.record().id()).isEqualTo(records.get(0).id()));
    }

    @Test
    void scripts_are_loaded_again_when_the_server_has_forgotten_them() {
        // what a restart does to the script cache
        store.upsert(batch("first", 2));
        store.redisClient().scriptFlush();

        assertThat(store.search(new VectorQuery(TestVectors.randomUnit(rnd, DIMS), eq("user_id", "alex"), 5))).hasSize(2);
        store.redisClient().scriptFlush();
        store.upsert(batch("second", 2));
        store.redisClient().scriptFlush();
        assertThat(store.withScopeLock(dev.memlayer.api.Scope.user("alex"), () -> store.count(null))).isEqualTo(4);
    }

    private void restore() {
        try {
            proxy.restore();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<MemoryRecord> batch(String name, int n) {
        List<MemoryRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(TestVectors.record(name + "-" + i, rnd, DIMS)
                    .metadata(java.util.Map.of("padding", "p".repeat(400))).build());
        }
        return out;
    }
}

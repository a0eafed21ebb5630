package dev.memlayer.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store behind a TCP proxy that the test cuts, black-holes and restores: operations fail fast
 * with a retryable {@link StoreException} while the server is unreachable or silent, and work again
 * once it is back, without any manual step.
 */
class PgFaultToleranceTest {

    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration STATEMENT = Duration.ofSeconds(1);

    private TcpProxy proxy;
    private PgVectorConfig direct;
    private PgVectorStore store;

    @BeforeEach
    void start() throws Exception {
        direct = PgTestSupport.config("faults", 3).build();
        URI uri = URI.create(direct.jdbcUrl().substring("jdbc:".length()));
        proxy = new TcpProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
        PgVectorConfig viaProxy = direct.toBuilder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getPath())
                .connectTimeout(CONNECT).statementTimeout(STATEMENT).scopeLockTimeout(STATEMENT).build();
        store = PgVectorStore.create(viaProxy);
        store.upsert(List.of(record("a"), record("b")));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        store.close();
        PgTestSupport.drop(direct);
    }

    @Test
    void operations_fail_fast_with_a_retryable_store_exception_while_the_server_is_unreachable() throws Exception {
        proxy.cut();

        for (Supplier<?> op : operations()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(op::get).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(CONNECT.plus(Duration.ofSeconds(2)));
        }
    }

    @Test
    void the_store_works_again_after_the_server_comes_back_without_manual_steps() throws Exception {
        proxy.cut();
        assertThatThrownBy(() -> store.count(null)).isInstanceOf(StoreException.class);

        proxy.restore();

        assertThat(store.count(null)).isEqualTo(2);
        store.upsert(List.of(record("c")));
        assertThat(store.get("c")).isPresent();
        assertThat(store.search(new VectorQuery(new float[] {1, 0, 0}, Filters.eq("user_id", "u"), 5))).hasSize(3);
        assertThat(store.withScopeLock(Scope.user("u"), () -> "locked")).isEqualTo("locked");
    }

    @Test
    void a_silent_server_fails_operations_within_the_configured_timeouts() throws Exception {
        proxy.blackhole();

        Duration bound = STATEMENT.plus(Duration.ofSeconds(2)).plus(CONNECT).plus(Duration.ofSeconds(2));
        for (Supplier<?> op : List.<Supplier<?>>of(() -> store.count(null), () -> store.get("a"))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(op::get).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(bound);
        }

        proxy.restore();
        assertThat(store.count(null)).isEqualTo(2);
    }

    private List<Supplier<?>> operations() {
        List<Supplier<?>> ops = new ArrayList<>();
        ops.add(() -> store.count(null));
        ops.add(() -> store.get("a"));
        ops.add(() -> store.search(new VectorQuery(new float[] {1, 0, 0}, Filters.eq("user_id", "u"), 5)));
        ops.add(() -> {
            store.upsert(List.of(record("x")));
            return null;
        });
        ops.add(() -> store.deleteWhere(Filters.eq("user_id", "nobody")));
        ops.add(() -> store.withScopeLock(Scope.user("u"), () -> "never"));
        return ops;
    }

    private static MemoryRecord record(String id) {
        Instant now = Instant.parse("2024-07-20T10:00:00Z");
        return MemoryRecord.builder().id(id).memory("memory " + id).hash("h").embedding(new float[] {1, 0, 0})
                .createdAt(now).updatedAt(now).userId("u").build();
    }
}

package dev.memlayer.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.store.redis.internal.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisVectorStore#withScopeLock} excludes other processes (here: stores on separate
 * connection pools) working on an overlapping scope, renews itself, times out with a retryable
 * {@link StoreException}, and never releases a lock someone else holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisScopeLockTest {

    private final String prefix = RedisTestSupport.uniquePrefix(RedisScopeLockTest.class);
    private RedisVectorStore first;
    private RedisVectorStore second;

    @BeforeEach
    void open() {
        RedisConfig config = RedisTestSupport.config(prefix, 4).toBuilder()
                .lockTtl(Duration.ofMillis(1500)).lockWait(Duration.ofSeconds(20)).build();
        first = RedisVectorStore.create(config);
        second = RedisVectorStore.create(config);
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    @Test
    void a_second_process_waits_for_an_overlapping_scope_and_not_for_another() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> first.withScopeLock(Scope.user("alex"), () -> {
            events.add("first in");
            held.countDown();
            sleep(2500); // longer than the TTL: renewal keeps the lock
            events.add("first out");
            return null;
        }));
        held.await();

        second.withScopeLock(Scope.user("bob"), () -> events.add("bob in"));
        second.withScopeLock(Scope.user("alex").withRun("r1"), () -> events.add("second in"));
        holder.join();

        assertThat(events).containsExactly("first in", "bob in", "first out", "second in");
    }

    @Test
    void waiting_longer_than_lock_wait_fails_with_a_retryable_store_exception() throws Exception {
        RedisConfig impatient = RedisTestSupport.config(prefix, 4).toBuilder().lockWait(Duration.ofMillis(200)).build();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> first.withScopeLock(Scope.agent("travel"), () -> {
            held.countDown();
            await(done);
            return null;
        }));
        held.await();
        try (RedisVectorStore other = RedisVectorStore.create(impatient)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> other.withScopeLock(Scope.agent("travel"), () -> "never"))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
        } finally {
            done.countDown();
            holder.join();
        }
        assertThat(second.withScopeLock(Scope.agent("travel"), () -> "free again")).isEqualTo("free again");
    }

    @Test
    void the_lock_is_reentrant_within_a_thread() {
        String result = first.withScopeLock(Scope.user("alex"),
                () -> first.withScopeLock(Scope.user("alex").withAgent("travel"), () -> "nested"));

        assertThat(result).isEqualTo("nested");
        assertThat(second.withScopeLock(Scope.user("alex"), () -> "released")).isEqualTo("released");
    }

    @Test
    void a_holder_never_deletes_a_lock_another_process_took_over() {
        byte[] key = new Keys(prefix).lock("u:alex");
        var redis = first.redisClient();

        first.withScopeLock(Scope.user("alex"), () -> {
            // the lock expired and another process took it over
            redis.set(key, "foreign".getBytes(StandardCharsets.UTF_8));
            return null;
        });

        assertThat(redis.get(key)).isEqualTo("foreign".getBytes(StandardCharsets.UTF_8));
        redis.del(key);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

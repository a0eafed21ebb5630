package dev.memlayer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScopeLocksTest {

    private final ScopeLocks locks = new ScopeLocks();

    /** Runs work for each scope on its own virtual thread, counting the maximal concurrency. */
    private int maxConcurrency(List<Scope> scopes) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (Scope s : scopes) {
                futures.add(ex.submit(() -> {
                    start.await();
                    return locks.withLock(s, () -> {
                        int now = inside.incrementAndGet();
                        max.accumulateAndGet(now, Math::max);
                        sleep(20);
                        inside.decrementAndGet();
                        return null;
                    });
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        return max.get();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void same_scope_is_serialised() throws Exception {
        assertThat(maxConcurrency(List.of(Scope.user("alex"), Scope.user("alex"), Scope.user("alex"), Scope.user("alex"))))
                .isEqualTo(1);
    }

    @Test
    void overlapping_scopes_are_serialised() throws Exception {
        List<Scope> scopes = List.of(Scope.user("alex"), new Scope("alex", null, "r1"), new Scope("alex", "bot", null),
                new Scope(null, "bot", "r2"), new Scope("alex", "bot", "r1"));
        // every pair shares an id, except (user:alex) with (agent:bot, run:r2): at most 2 at once
        assertThat(maxConcurrency(scopes)).isLessThanOrEqualTo(2);
        assertThat(maxConcurrency(List.of(new Scope("alex", null, "r1"), Scope.user("alex")))).isEqualTo(1);
    }

    @Test
    void unrelated_scopes_run_in_parallel() throws Exception {
        assertThat(maxConcurrency(List.of(Scope.user("a"), Scope.user("b"), Scope.agent("a"), Scope.run("a"))))
                .isGreaterThan(1);
    }

    @Test
    void locks_are_removed_when_idle_so_the_map_does_not_grow() throws Exception {
        List<Scope> scopes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            scopes.add(new Scope("u" + i, "a" + (i % 7), null));
        }
        maxConcurrency(scopes);
        assertThat(locks.size()).isZero();
    }

    @Test
    void locks_are_reentrant_and_released_after_an_exception() {
        Scope s = new Scope("alex", null, "r1");
        String result = locks.withLock(s, () -> locks.withLock(Scope.user("alex"), () -> "nested"));
        assertThat(result).isEqualTo("nested");
        try {
            locks.withLock(s, () -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("boom");
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void lock_keys_name_every_id_of_the_scope() {
        assertThat(ScopeLocks.keys(new Scope("alex", "bot", "r1"))).containsExactly("user:alex", "agent:bot", "run:r1");
        assertThat(ScopeLocks.keys(Scope.run("r1"))).containsExactly("run:r1");
    }
}

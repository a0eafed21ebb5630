package dev.memlayer.store.redis.internal;

import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.params.SetParams;

/**
 * Cross-process locks per scope id: one key per id of the scope ({@code P:{u:alex}:lock}, ...),
 * taken in sorted order (so two callers never deadlock) with {@code SET key token NX PX ttl},
 * renewed while the work runs, and released with a compare-and-delete script, so a holder whose
 * lock expired never deletes another holder's lock. The same ids as memory-core's in-process
 * locks, so overlapping scopes ({@code user alex} and {@code user alex + run r1}) serialise.
 * Reentrant per thread.
 */
public final class ScopeLocks {

    private static final Logger LOG = LoggerFactory.getLogger(ScopeLocks.class);

    private final RedisExecutor redis;
    private final Keys keys;
    private final Duration ttl;
    private final Duration wait;
    private final ThreadLocal<Map<String, Integer>> held = ThreadLocal.withInitial(HashMap::new);

    public ScopeLocks(RedisExecutor redis, Keys keys, Duration ttl, Duration wait) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
        this.wait = wait;
    }

    /**
     * Runs {@code work} holding the lock of every id of the scope.
     *
     * @throws StoreException (retryable) when a lock is not free within the configured wait
     */
    public <T> T withLock(Scope scope, Supplier<T> work) {
        if (scope == null || scope.isEmpty()) {
            return work.get();
        }
        TreeSet<String> tags = new TreeSet<>(Keys.tags(scope));
        Map<String, Integer> mine = held.get();
        List<String> toTake = new ArrayList<>();
        for (String tag : tags) {
            if (!mine.containsKey(tag)) {
                toTake.add(tag);
            }
        }
        Map<String, byte[]> taken = new HashMap<>();
        Thread renewer = null;
        try {
            for (String tag : toTake) {
                taken.put(tag, acquire(tag));
            }
            for (String tag : tags) {
                mine.merge(tag, 1, Integer::sum);
            }
            if (!taken.isEmpty()) {
                renewer = Thread.ofVirtual().name("memlayer-redis-lock-renewal").start(() -> renew(taken));
            }
            return work.get();
        } finally {
            for (String tag : tags) {
                mine.computeIfPresent(tag, (k, n) -> n <= 1 ? null : n - 1);
            }
            if (renewer != null) {
                renewer.interrupt();
                try {
                    renewer.join(ttl.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Map.Entry<String, byte[]> e : taken.entrySet()) {
                release(e.getKey(), e.getValue());
            }
        }
    }

    private byte[] acquire(String tag) {
        byte[] key = keys.lock(tag);
        byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + wait.toNanos();
        long backoffMillis = 2;
        while (true) {
            String ok = redis.call("scope lock", false,
                    c -> c.set(key, token, SetParams.setParams().nx().px(ttl.toMillis())));
            if ("OK".equals(ok)) {
                return token;
            }
            if (System.nanoTime() > deadline) {
                throw new StoreException("Timed out after " + wait.toMillis() + " ms waiting for the Redis scope lock of "
                        + tag + "; another process holds it (it expires after " + ttl.toMillis() + " ms)", true, null);
            }
            try {
                Thread.sleep(backoffMillis + ThreadLocalRandom.current().nextLong(backoffMillis + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("Interrupted while waiting for the Redis scope lock of " + tag, true, e);
            }
            backoffMillis = Math.min(50, backoffMillis * 2);
        }
    }

    private void renew(Map<String, byte[]> taken) {
        long period = Math.max(1, ttl.toMillis() / 3);
        byte[] ttlArg = Long.toString(ttl.toMillis()).getBytes(StandardCharsets.US_ASCII);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            for (Map.Entry<String, byte[]> e : taken.entrySet()) {
                try {
                    Object r = redis.eval("scope lock renewal", true, Scripts.RENEW, List.of(keys.lock(e.getKey())),
                            List.of(e.getValue(), ttlArg));
                    if (!Long.valueOf(1).equals(r)) {
                        LOG.warn("The Redis scope lock of {} expired while held; another process may run concurrently",
                                e.getKey());
                    }
                } catch (RuntimeException ex) {
                    LOG.warn("Renewing the Redis scope lock of {} failed", e.getKey(), ex);
                }
            }
        }
    }

    private void release(String tag, byte[] token) {
        try {
            Object r = redis.eval("scope unlock", true, Scripts.UNLOCK, List.of(keys.lock(tag)), List.of(token));
            if (!Long.valueOf(1).equals(r)) {
                LOG.warn("The Redis scope lock of {} had expired before it was released; the work may have overlapped "
                        + "with another process (raise lockTtl)", tag);
            }
        } catch (RuntimeException e) {
            LOG.warn("Releasing the Redis scope lock of {} failed; it expires by itself", tag, e);
        }
    }
}

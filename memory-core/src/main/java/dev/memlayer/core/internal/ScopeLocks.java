package dev.memlayer.core.internal;

import dev.memlayer.api.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * In-process serialisation of work per scope id (DESIGN: "reconciliation is serialised per scope").
 * A scope is locked through one lock per id it has — {@code user:<id>}, {@code agent:<id>},
 * {@code run:<id>} — taken in sorted order (so two callers never deadlock), which makes overlapping
 * scopes ({@code user:alex} and {@code user:alex + run:r1}) serialise while unrelated scopes run in
 * parallel. Locks are reference-counted and removed when no caller holds or waits for them, so the
 * map does not grow with the number of scopes ever seen. Reentrant; fair to virtual threads
 * ({@link ReentrantLock}, no pinning).
 */
public final class ScopeLocks {

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();

    /**
     * Runs work while holding the locks of every id of the scopes.
     *
     * @param scopes the scopes (empty scopes add no lock)
     * @param work   the work
     * @return its result
     */
    public <T> T withLocks(Collection<Scope> scopes, Supplier<T> work) {
        TreeSet<String> keys = new TreeSet<>();
        for (Scope s : scopes) {
            keys.addAll(keys(s));
        }
        List<String> acquired = new ArrayList<>(keys.size());
        try {
            for (String key : keys) {
                Entry e = locks.compute(key, (k, v) -> {
                    Entry entry = v == null ? new Entry() : v;
                    entry.users++;
                    return entry;
                });
                try {
                    e.lock.lock();
                } catch (Throwable t) {
                    release(key);
                    throw t;
                }
                acquired.add(key);
            }
            return work.get();
        } finally {
            for (int i = acquired.size() - 1; i >= 0; i--) {
                String key = acquired.get(i);
                locks.get(key).lock.unlock();
                release(key);
            }
        }
    }

    /** Runs work while holding the locks of every id of the scope. */
    public <T> T withLock(Scope scope, Supplier<T> work) {
        return withLocks(List.of(scope), work);
    }

    private void release(String key) {
        locks.compute(key, (k, v) -> {
            if (v == null) {
                return null;
            }
            v.users--;
            return v.users == 0 ? null : v;
        });
    }

    /** @return the lock keys of a scope, e.g. {@code [user:alex, run:r1]} */
    static List<String> keys(Scope scope) {
        List<String> out = new ArrayList<>(3);
        if (scope.userId() != null) {
            out.add("user:" + scope.userId());
        }
        if (scope.agentId() != null) {
            out.add("agent:" + scope.agentId());
        }
        if (scope.runId() != null) {
            out.add("run:" + scope.runId());
        }
        return out;
    }

    /** @return how many lock entries exist (held or waited for); 0 when idle */
    public int size() {
        return locks.size();
    }
}

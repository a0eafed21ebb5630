package dev.memlayer.store.pgvector.internal;

import dev.memlayer.api.filter.FilterEvaluator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM-side copy of large users' vectors that lets an exact user-scoped search skip reading
 * every row's vector from PostgreSQL: per user_id, the ids, the vectors in half precision
 * ({@link HalfVectors}) and the ISO expiration dates, tagged with the version the rows had when
 * they were read ({@link Version}). Only a pre-selection: {@link Entry#candidates} returns every
 * row that can be in the top-k (provably, within {@link HalfVectors#errorBound}), whose exact
 * distances the store then has PostgreSQL compute, in a snapshot whose version must equal the
 * entry's.
 *
 * <p>Bounded: at most {@code maxVectors} vectors in all, least recently used users evicted first.
 * Thread-safe.
 */
public final class ScopeCache {

    /**
     * A user's version: {@code epoch} (bumped by every reset and bulk load of the collection) and
     * {@code user} (bumped by every write that changes a row of that user, in the same
     * transaction).
     *
     * @param epoch the collection's epoch
     * @param user  the user's version
     */
    public record Version(long epoch, long user) {
    }

    /**
     * One user's rows.
     *
     * @param version     the version the rows were read at
     * @param ids         the ids, in slot order
     * @param halves      the unit vectors in half precision ({@link HalfVectors} block layout)
     * @param irregular   slots whose vector {@link HalfVectors#errorBound} does not cover
     * @param expirations the ISO expiration dates ({@code to_char(expiration_date, 'YYYY-MM-DD')}),
     *                    null for none
     * @param dims        the dimensions
     */
    public record Entry(Version version, String[] ids, short[] halves, boolean[] irregular, String[] expirations,
                        int dims) {

        /** @return the number of rows */
        public int size() {
            return ids.length;
        }

        /**
         * Every row that can be among the {@code limit} best of those not expired after
         * {@code today}: those whose approximate score is within {@code 2 * bound} of the
         * {@code limit}-th best approximate score, plus the irregular ones. A row outside has an
         * exact score below {@code kth - bound}, and {@code limit} rows have one above it, so it
         * cannot rank among the first {@code limit}, whatever the tie-break.
         *
         * @param unitQuery the query scaled to unit length, in float
         * @param limit     the k
         * @param today     the "not expired" bound (rows with an expiration date not after it are
         *                  left out), or null for no such condition
         * @param bound     {@link HalfVectors#errorBound}
         * @return the candidate ids, or null when the pre-selection cannot decide (the k-th best
         *         score is within {@code 2 * bound} of 0, where the [0, 1] clamp of the score makes
         *         rows tie)
         */
        public String[] candidates(float[] unitQuery, int limit, String today, double bound) {
            int n = ids.length;
            float[] approx = new float[n];
            boolean[] pass = new boolean[n];
            float[] acc = new float[HalfVectors.BLOCK];
            int passing = 0;
            for (int first = 0, base = 0; first < n; first += HalfVectors.BLOCK, base += HalfVectors.BLOCK * dims) {
                HalfVectors.scores(halves, base, dims, unitQuery, acc);
                int m = Math.min(HalfVectors.BLOCK, n - first);
                System.arraycopy(acc, 0, approx, first, m);
            }
            for (int i = 0; i < n; i++) {
                pass[i] = today == null || expirations[i] == null
                        || FilterEvaluator.compareCodePoints(expirations[i], today) > 0;
                if (pass[i]) {
                    passing++;
                }
            }
            List<String> out = new ArrayList<>();
            if (passing <= limit) {
                for (int i = 0; i < n; i++) {
                    if (pass[i]) {
                        out.add(ids[i]);
                    }
                }
                return out.toArray(String[]::new);
            }
            float kth = kthBest(approx, pass, irregular, limit);
            double threshold = kth - 2 * bound;
            if (!(threshold > 0)) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                if (pass[i] && (irregular[i] || approx[i] >= threshold)) {
                    out.add(ids[i]);
                }
            }
            return out.toArray(String[]::new);
        }

        /** The {@code k}-th largest approximate score among passing regular rows (-inf if fewer). */
        private static float kthBest(float[] approx, boolean[] pass, boolean[] irregular, int k) {
            // a min-heap of the k best
            float[] heap = new float[k];
            int size = 0;
            for (int i = 0; i < approx.length; i++) {
                if (!pass[i] || irregular[i]) {
                    continue;
                }
                float s = approx[i];
                if (size < k) {
                    heap[size] = s;
                    int c = size++;
                    while (c > 0 && heap[(c - 1) / 2] > heap[c]) {
                        float t = heap[c];
                        heap[c] = heap[(c - 1) / 2];
                        heap[(c - 1) / 2] = t;
                        c = (c - 1) / 2;
                    }
                } else if (s > heap[0]) {
                    heap[0] = s;
                    int p = 0;
                    while (true) {
                        int l = 2 * p + 1;
                        int r = l + 1;
                        int m = p;
                        if (l < k && heap[l] < heap[m]) {
                            m = l;
                        }
                        if (r < k && heap[r] < heap[m]) {
                            m = r;
                        }
                        if (m == p) {
                            break;
                        }
                        float t = heap[p];
                        heap[p] = heap[m];
                        heap[m] = t;
                        p = m;
                    }
                }
            }
            return size < k ? Float.NEGATIVE_INFINITY : heap[0];
        }
    }

    private final long maxVectors;
    private final int minScope;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long vectors;

    /**
     * @param maxVectors most vectors held in all (0 disables the cache)
     * @param minScope   users with fewer rows are not cached
     */
    public ScopeCache(long maxVectors, int minScope) {
        this.maxVectors = maxVectors;
        this.minScope = minScope;
    }

    /** @return whether the cache holds anything at all */
    public boolean enabled() {
        return maxVectors > 0;
    }

    /** @return users with fewer rows are not cached */
    public int minScope() {
        return minScope;
    }

    /** @return whether a user with {@code n} rows is cached */
    public boolean cacheable(long n) {
        return n >= minScope && n <= maxVectors;
    }

    /** @return the user's entry, or null */
    public synchronized Entry get(String user) {
        return entries.get(user);
    }

    /** Stores the user's entry, evicting the least recently used ones beyond the bound. */
    public synchronized void put(String user, Entry entry) {
        if (!cacheable(entry.size())) {
            return;
        }
        Entry old = entries.put(user, entry);
        if (old != null) {
            vectors -= old.size();
        }
        vectors += entry.size();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (vectors > maxVectors && it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getKey().equals(user)) {
                continue;
            }
            vectors -= e.getValue().size();
            it.remove();
        }
    }

    /** Drops the user's entry if it is still {@code stale}. */
    public synchronized void remove(String user, Entry stale) {
        if (entries.get(user) == stale) {
            entries.remove(user);
            vectors -= stale.size();
        }
    }

    /** @return how many vectors the cache holds */
    public synchronized long vectors() {
        return vectors;
    }

    /** @return how many users the cache holds */
    public synchronized int users() {
        return entries.size();
    }
}

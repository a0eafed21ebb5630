package dev.memlayer.store.inmemory;

import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.filter.Operator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-process {@link VectorStore}: memlayer's reference implementation and default store.
 *
 * <ul>
 *   <li><b>Exact search.</b> A flat scan scores every candidate: top-k is exact, never approximate.
 *       Scores are cosine similarities ({@code q·v / (|q| |v|)}) clamped to [0,1] by
 *       {@link ScoredRecord#similarity}; ordered by score descending, then id ascending. Partitions
 *       of 256 records and more are first scored in half precision with SIMD instructions, and
 *       only the records that a proven error bound cannot exclude from the top-k are scored
 *       exactly, so the results are the same as a full exact scan.</li>
 *   <li><b>Scope index.</b> Records are partitioned by their exact scope (user_id, agent_id,
 *       run_id); each partition keeps its vectors in one contiguous float array. A filter whose
 *       top-level AND requires {@code user_id}, {@code agent_id} and/or {@code run_id} equality
 *       ({@link Filters#equalityConstraints}) is answered from the matching partitions only, starting
 *       from the smallest index entry; other filters scan every partition.</li>
 *   <li><b>Filters</b> are evaluated with {@link dev.memlayer.api.filter.FilterEvaluator}, the
 *       reference semantics; in a search, only for records that would enter the top-k.</li>
 *   <li><b>Thread-safe.</b> A read-write lock: searches and reads run concurrently; each write call
 *       (upsert, delete, deleteWhere, reset) is atomic and exclusive.</li>
 *   <li><b>Defensive copies.</b> Embeddings are copied in and out; metadata is deep-copied into
 *       immutable maps and lists (integral numbers become {@link Long}, floats {@link Double}, as in
 *       a JSON store).</li>
 * </ul>
 *
 * <p>Memory: each record's vector is held once ({@code 4 * dimensions} bytes) plus the record;
 * in scopes of 256 records and more, also in half precision ({@code 2 * dimensions} bytes).
 * Nothing is persisted: the content is lost when the JVM exits.
 */
public final class InMemoryVectorStore implements VectorStore {

    private static final List<String> SCOPE_FIELDS = List.of(FilterFields.USER_ID, FilterFields.AGENT_ID,
            FilterFields.RUN_ID);

    /** created_at descending, then id ascending (the list order of the contract). */
    static final Comparator<MemoryRecord> LIST_ORDER = Comparator.comparing(MemoryRecord::createdAt).reversed()
            .thenComparing(MemoryRecord::id);

    private final int dimensions;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Partition> partitionOf = new HashMap<>();
    private final Map<ScopeKey, Partition> partitions = new HashMap<>();
    private final Map<String, Map<String, Set<ScopeKey>>> index = Map.of(
            FilterFields.USER_ID, new HashMap<>(),
            FilterFields.AGENT_ID, new HashMap<>(),
            FilterFields.RUN_ID, new HashMap<>());
    private final LongAdder vectorsScanned = new LongAdder();

    /**
     * @param dimensions the embedding dimension, at least 1
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for fewer than 1
     */
    public InMemoryVectorStore(int dimensions) {
        if (dimensions < 1) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "the in-memory store needs at least 1 dimension, got " + dimensions);
        }
        this.dimensions = dimensions;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /**
     * {@inheritDoc}
     *
     * <p>All records are validated before any is stored: all or nothing. Within one call, a later
     * record with the same id wins.
     *
     * @throws ValidationException {@link ErrorCode#DIMENSION_MISMATCH} for an embedding of another
     *                             length; {@link ErrorCode#INVALID_ARGUMENT} for a null record or
     *                             embedding, a non-finite component, or metadata that is not JSON-like
     */
    @Override
    public void upsert(List<MemoryRecord> records) {
        List<MemoryRecord> stored = new ArrayList<>(records.size());
        List<float[]> vectors = new ArrayList<>(records.size());
        for (MemoryRecord r : records) {
            if (r == null) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "upsert got a null record");
            }
            vectors.add(checkedCopy(r.embedding(), "record " + r.id()));
            stored.add(r.toBuilder().embedding(null).metadata(JsonValues.freeze(r.metadata())).build());
        }
        if (stored.isEmpty()) {
            return;
        }
        Lock w = lock.writeLock();
        w.lock();
        try {
            for (int i = 0; i < stored.size(); i++) {
                put(stored.get(i), vectors.get(i));
            }
        } finally {
            w.unlock();
        }
    }

    /** Upserts and deletions under one write lock: readers see all of it or none. */
    @Override
    public void write(List<MemoryRecord> upserts, Collection<String> deleteIds) {
        List<MemoryRecord> stored = new ArrayList<>(upserts.size());
        List<float[]> vectors = new ArrayList<>(upserts.size());
        for (MemoryRecord r : upserts) {
            if (r == null) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "write got a null record");
            }
            vectors.add(checkedCopy(r.embedding(), "record " + r.id()));
            stored.add(r.toBuilder().embedding(null).metadata(JsonValues.freeze(r.metadata())).build());
        }
        Lock w = lock.writeLock();
        w.lock();
        try {
            for (int i = 0; i < stored.size(); i++) {
                put(stored.get(i), vectors.get(i));
            }
            for (String id : deleteIds) {
                remove(id);
            }
        } finally {
            w.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws ValidationException ({@link ErrorCode#DIMENSION_MISMATCH}) for a query vector of
     *                             another length
     */
    @Override
    public List<ScoredRecord> search(VectorQuery query) {
        float[] q = query.vector();
        if (q.length != dimensions) {
            throw dimensionMismatch(q.length, "the query vector");
        }
        float queryInverseNorm = VectorMath.inverseNorm(q);
        float[] unitQuery = null;
        if (VectorMath.regular(queryInverseNorm)) {
            unitQuery = new float[q.length];
            for (int i = 0; i < q.length; i++) {
                unitQuery[i] = (float) (q[i] * (double) queryInverseNorm);
            }
        }
        Lock r = lock.readLock();
        r.lock();
        try {
            Plan plan = plan(query.filter());
            TopHits top = new TopHits(query.limit(), plan.size());
            for (Partition p : plan.partitions()) {
                p.scan(q, queryInverseNorm, unitQuery, plan.residual(), top);
                vectorsScanned.add(p.size());
            }
            return top.sorted();
        } finally {
            r.unlock();
        }
    }

    @Override
    public Optional<MemoryRecord> get(String id) {
        Lock r = lock.readLock();
        r.lock();
        try {
            return Optional.ofNullable(withEmbedding(id));
        } finally {
            r.unlock();
        }
    }

    /** {@inheritDoc} An id given twice is returned twice. */
    @Override
    public List<MemoryRecord> get(Collection<String> ids) {
        List<MemoryRecord> out = new ArrayList<>(ids.size());
        Lock r = lock.readLock();
        r.lock();
        try {
            for (String id : ids) {
                MemoryRecord record = withEmbedding(id);
                if (record != null) {
                    out.add(record);
                }
            }
        } finally {
            r.unlock();
        }
        return out;
    }

    /** {@inheritDoc} Records are returned without embeddings. */
    @Override
    public List<MemoryRecord> list(Filter filter, long offset, int limit) {
        if (offset < 0) {
            throw new ValidationException(ErrorCode.INVALID_PAGE, "offset must be at least 0, got " + offset);
        }
        if (limit < 1) {
            throw new ValidationException(ErrorCode.INVALID_PAGE, "limit must be at least 1, got " + limit);
        }
        List<MemoryRecord> matches = new ArrayList<>();
        Lock r = lock.readLock();
        r.lock();
        try {
            Plan plan = plan(filter);
            for (Partition p : plan.partitions()) {
                p.collect(plan.residual(), matches);
            }
        } finally {
            r.unlock();
        }
        if (offset >= matches.size()) {
            return List.of();
        }
        long wanted = offset + limit;
        if (wanted < matches.size() / 4) {
            // select the first offset + limit with a bounded heap instead of sorting everything
            PriorityQueue<MemoryRecord> heap = new PriorityQueue<>((int) wanted + 1, LIST_ORDER.reversed());
            for (MemoryRecord m : matches) {
                heap.add(m);
                if (heap.size() > wanted) {
                    heap.poll();
                }
            }
            matches = new ArrayList<>(heap);
        }
        matches.sort(LIST_ORDER);
        int from = (int) offset;
        int to = (int) Math.min(matches.size(), wanted);
        return List.copyOf(matches.subList(from, to));
    }

    @Override
    public long count(Filter filter) {
        Lock r = lock.readLock();
        r.lock();
        try {
            Plan plan = plan(filter);
            long n = 0;
            for (Partition p : plan.partitions()) {
                n += p.count(plan.residual());
            }
            return n;
        } finally {
            r.unlock();
        }
    }

    @Override
    public int delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        Lock w = lock.writeLock();
        w.lock();
        try {
            int n = 0;
            for (String id : ids) {
                if (remove(id) != null) {
                    n++;
                }
            }
            return n;
        } finally {
            w.unlock();
        }
    }

    /**
     * {@inheritDoc} Atomic: no reader sees a partial deletion. The records are returned with copies of
     * their embeddings, so a caller can restore them exactly (the engine does when the history write
     * of a deletion fails) without re-embedding.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_FILTER}) for a null filter
     */
    @Override
    public List<MemoryRecord> deleteWhere(Filter filter) {
        if (filter == null) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "deleteWhere needs a filter; use reset() to delete everything");
        }
        Lock w = lock.writeLock();
        w.lock();
        try {
            List<MemoryRecord> matches = new ArrayList<>();
            Plan plan = plan(filter);
            for (Partition p : plan.partitions()) {
                p.collect(plan.residual(), matches);
            }
            List<MemoryRecord> deleted = new ArrayList<>(matches.size());
            for (MemoryRecord m : matches) {
                deleted.add(withEmbedding(m.id()));
                remove(m.id());
            }
            return deleted;
        } finally {
            w.unlock();
        }
    }

    @Override
    public void reset() {
        Lock w = lock.writeLock();
        w.lock();
        try {
            partitionOf.clear();
            partitions.clear();
            index.values().forEach(Map::clear);
        } finally {
            w.unlock();
        }
    }

    /**
     * {@inheritDoc} Aggregated per partition in one pass; ordered by type (user, agent, run), then id.
     */
    @Override
    public List<EntitySummary> entities() {
        record Acc(long[] count, Instant[] range) {
        }
        Map<EntityType, Map<String, Acc>> acc = new HashMap<>();
        Lock r = lock.readLock();
        r.lock();
        try {
            for (Partition p : partitions.values()) {
                Instant first = null;
                Instant last = null;
                MemoryRecord[] records = p.recordsView();
                for (int i = 0; i < p.size(); i++) {
                    MemoryRecord m = records[i];
                    if (first == null || m.createdAt().isBefore(first)) {
                        first = m.createdAt();
                    }
                    if (last == null || m.updatedAt().isAfter(last)) {
                        last = m.updatedAt();
                    }
                }
                for (EntityType type : EntityType.values()) {
                    String id = p.key().get(type.field());
                    if (id == null) {
                        continue;
                    }
                    Instant f = first;
                    Instant l = last;
                    Acc a = acc.computeIfAbsent(type, t -> new HashMap<>())
                            .computeIfAbsent(id, k -> new Acc(new long[1], new Instant[] {f, l}));
                    a.count()[0] += p.size();
                    if (f.isBefore(a.range()[0])) {
                        a.range()[0] = f;
                    }
                    if (l.isAfter(a.range()[1])) {
                        a.range()[1] = l;
                    }
                }
            }
        } finally {
            r.unlock();
        }
        List<EntitySummary> out = new ArrayList<>();
        acc.forEach((type, byId) -> byId.forEach((id, a) ->
                out.add(new EntitySummary(type, id, a.count()[0], a.range()[0], a.range()[1]))));
        out.sort(Comparator.comparing(EntitySummary::type).thenComparing(EntitySummary::id));
        return out;
    }

    /**
     * How many vectors searches have scored since this store was created: a probe for tests and
     * benchmarks that the scope index keeps a scoped search inside its scope.
     */
    long vectorsScanned() {
        return vectorsScanned.sum();
    }

    /** @return how many partitions (distinct exact scopes) the store holds */
    int partitionCount() {
        Lock r = lock.readLock();
        r.lock();
        try {
            return partitions.size();
        } finally {
            r.unlock();
        }
    }

    /** @return the partition of an exact scope, or null (for tests; do not modify it) */
    Partition partitionForTests(ScopeKey key) {
        Lock r = lock.readLock();
        r.lock();
        try {
            return partitions.get(key);
        } finally {
            r.unlock();
        }
    }

    @Override
    public String toString() {
        return "InMemoryVectorStore[dimensions=" + dimensions + "]";
    }

    // ------------------------------------------------------------------ internals (lock held)

    private void put(MemoryRecord record, float[] vector) {
        ScopeKey key = ScopeKey.of(record);
        Partition current = partitionOf.get(record.id());
        if (current != null && !current.key().equals(key)) {
            remove(record.id());
            current = null;
        }
        Partition target = current != null ? current : partitions.computeIfAbsent(key, this::newPartition);
        target.put(record, vector);
        partitionOf.put(record.id(), target);
    }

    private Partition newPartition(ScopeKey key) {
        for (String field : SCOPE_FIELDS) {
            String id = key.get(field);
            if (id != null) {
                index.get(field).computeIfAbsent(id, k -> new HashSet<>()).add(key);
            }
        }
        return new Partition(key, dimensions);
    }

    private MemoryRecord remove(String id) {
        Partition p = partitionOf.remove(id);
        if (p == null) {
            return null;
        }
        MemoryRecord removed = p.remove(id);
        if (p.size() == 0) {
            partitions.remove(p.key());
            for (String field : SCOPE_FIELDS) {
                String scopeId = p.key().get(field);
                if (scopeId != null) {
                    Map<String, Set<ScopeKey>> byId = index.get(field);
                    Set<ScopeKey> keys = byId.get(scopeId);
                    keys.remove(p.key());
                    if (keys.isEmpty()) {
                        byId.remove(scopeId);
                    }
                }
            }
        }
        return removed;
    }

    private MemoryRecord withEmbedding(String id) {
        Partition p = partitionOf.get(id);
        if (p == null) {
            return null;
        }
        return p.record(id).withEmbedding(p.vector(id));
    }

    /**
     * Which partitions a filter can match, and what of the filter remains to be checked per record.
     *
     * @param partitions the partitions to scan
     * @param residual   the filter to evaluate per record, or null when every record of those
     *                   partitions matches (the filter only restated the scope)
     * @param size       how many records the partitions hold
     */
    private record Plan(Collection<Partition> partitions, Filter residual, long size) {
    }

    private Plan plan(Filter filter) {
        Map<String, Object> constraints = Filters.equalityConstraints(filter);
        Set<ScopeKey> smallest = null;
        boolean scoped = false;
        for (String field : SCOPE_FIELDS) {
            if (!constraints.containsKey(field)) {
                continue;
            }
            scoped = true;
            if (!(constraints.get(field) instanceof String id)) {
                return new Plan(List.of(), null, 0); // a scope id never equals a non-string
            }
            Set<ScopeKey> keys = index.get(field).get(id);
            if (keys == null) {
                return new Plan(List.of(), null, 0);
            }
            if (smallest == null || keys.size() < smallest.size()) {
                smallest = keys;
            }
        }
        if (!scoped) {
            return new Plan(partitions.values(), filter, partitionOf.size());
        }
        List<Partition> chosen = new ArrayList<>(smallest.size());
        long size = 0;
        for (ScopeKey key : smallest) {
            if (matchesScope(key, constraints)) {
                Partition p = partitions.get(key);
                chosen.add(p);
                size += p.size();
            }
        }
        return new Plan(chosen, onlyScope(filter, constraints) ? null : filter, size);
    }

    private static boolean matchesScope(ScopeKey key, Map<String, Object> constraints) {
        for (String field : SCOPE_FIELDS) {
            Object required = constraints.get(field);
            if (required != null && !required.equals(key.get(field))) {
                return false;
            }
        }
        return true;
    }

    /** True when the filter is nothing but the scope equalities already enforced by the partitions. */
    private static boolean onlyScope(Filter filter, Map<String, Object> constraints) {
        if (filter instanceof Filter.And and) {
            for (Filter f : and.filters()) {
                if (!onlyScope(f, constraints)) {
                    return false;
                }
            }
            return true;
        }
        return filter instanceof Filter.Comparison c && c.operator() == Operator.EQ
                && SCOPE_FIELDS.contains(c.field()) && c.value().equals(constraints.get(c.field()));
    }

    private float[] checkedCopy(float[] embedding, String what) {
        if (embedding == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, what + " has no embedding; embed it before storing");
        }
        if (embedding.length != dimensions) {
            throw dimensionMismatch(embedding.length, what);
        }
        float[] copy = embedding.clone();
        for (float x : copy) {
            if (!Float.isFinite(x)) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, what + " has a non-finite embedding component: " + x);
            }
        }
        return copy;
    }

    private ValidationException dimensionMismatch(int actual, String what) {
        return new ValidationException(ErrorCode.DIMENSION_MISMATCH, what + " has " + actual
                + " dimensions but this store holds " + dimensions + "; use the embedder the store was created for");
    }
}

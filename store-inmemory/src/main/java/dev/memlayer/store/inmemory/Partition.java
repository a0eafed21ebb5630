package dev.memlayer.store.inmemory;

import dev.memlayer.api.StoreException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one exact scope, with their vectors stored contiguously ({@code size * dimensions}
 * floats, row-major) so a scan streams through memory. Removal swaps the last row into the hole.
 *
 * <p>Not thread-safe: the owning {@link InMemoryVectorStore} guards it with its lock. One partition
 * holds at most {@code Integer.MAX_VALUE / dimensions} records (5.5 million at 384 dimensions).
 */
final class Partition {

    private static final int INITIAL_CAPACITY = 8;

    private final ScopeKey key;
    private final int dimensions;
    private final Map<String, Integer> slots = new HashMap<>();
    private float[] vectors;
    private float[] inverseNorms;
    private MemoryRecord[] records;
    private int size;

    Partition(ScopeKey key, int dimensions) {
        this.key = key;
        this.dimensions = dimensions;
        this.vectors = new float[INITIAL_CAPACITY * dimensions];
        this.inverseNorms = new float[INITIAL_CAPACITY];
        this.records = new MemoryRecord[INITIAL_CAPACITY];
    }

    ScopeKey key() {
        return key;
    }

    int size() {
        return size;
    }

    boolean contains(String id) {
        return slots.containsKey(id);
    }

    /**
     * Adds or replaces a record.
     *
     * @param record the record, without embedding, deeply immutable
     * @param vector the embedding, owned by this partition from now on (copied in)
     */
    void put(MemoryRecord record, float[] vector) {
        Integer slot = slots.get(record.id());
        int s;
        if (slot != null) {
            s = slot;
        } else {
            if (size == records.length) {
                grow();
            }
            s = size++;
            slots.put(record.id(), s);
        }
        records[s] = record;
        System.arraycopy(vector, 0, vectors, s * dimensions, dimensions);
        inverseNorms[s] = VectorMath.inverseNorm(vector);
    }

    /**
     * @return the removed record (without embedding), or null if absent
     */
    MemoryRecord remove(String id) {
        Integer slot = slots.remove(id);
        if (slot == null) {
            return null;
        }
        int s = slot;
        MemoryRecord removed = records[s];
        int last = size - 1;
        if (s != last) {
            records[s] = records[last];
            inverseNorms[s] = inverseNorms[last];
            System.arraycopy(vectors, last * dimensions, vectors, s * dimensions, dimensions);
            slots.put(records[s].id(), s);
        }
        records[last] = null;
        size = last;
        if (size > INITIAL_CAPACITY && size * 4 < records.length) {
            shrink();
        }
        return removed;
    }

    /** @return the stored record without embedding, or null */
    MemoryRecord record(String id) {
        Integer slot = slots.get(id);
        return slot == null ? null : records[slot];
    }

    /** @return a copy of the stored embedding, or null */
    float[] vector(String id) {
        Integer slot = slots.get(id);
        if (slot == null) {
            return null;
        }
        int from = slot * dimensions;
        return Arrays.copyOfRange(vectors, from, from + dimensions);
    }

    /**
     * Scores every record against the query and offers those that match the filter to the top-k.
     * The filter is evaluated only for records that would enter the top-k.
     *
     * @param query             the query vector
     * @param queryInverseNorm  {@code 1 / ||query||}
     * @param filter            the filter still to check, or null when every record matches
     * @param top               the running top-k
     */
    void scan(float[] query, float queryInverseNorm, Filter filter, TopHits top) {
        float[] v = vectors;
        int dims = dimensions;
        for (int i = 0; i < size; i++) {
            double cosine = (double) VectorMath.dot(v, i * dims, query, dims) * inverseNorms[i] * queryInverseNorm;
            if (top.rejects(cosine)) {
                continue; // decided on the score alone: the record object is never touched
            }
            MemoryRecord r = records[i];
            if (!top.wouldAccept(cosine, r.id())) {
                continue;
            }
            if (filter != null && !FilterEvaluator.matches(filter, r)) {
                continue;
            }
            top.offer(cosine, r);
        }
    }

    /** Adds the records matching the filter (null: all) to {@code out}. */
    void collect(Filter filter, List<MemoryRecord> out) {
        for (int i = 0; i < size; i++) {
            if (filter == null || FilterEvaluator.matches(filter, records[i])) {
                out.add(records[i]);
            }
        }
    }

    /** @return how many records match the filter (null: all) */
    long count(Filter filter) {
        if (filter == null) {
            return size;
        }
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (FilterEvaluator.matches(filter, records[i])) {
                n++;
            }
        }
        return n;
    }

    /** @return the records, for aggregation; do not modify */
    MemoryRecord[] recordsView() {
        return records;
    }

    private void grow() {
        resize(records.length * 2);
    }

    private void shrink() {
        resize(Math.max(INITIAL_CAPACITY, records.length / 2));
    }

    private void resize(int capacity) {
        int floats;
        try {
            floats = Math.multiplyExact(capacity, dimensions);
        } catch (ArithmeticException e) {
            throw new StoreException("The in-memory store cannot hold more than " + records.length + " records of "
                    + dimensions + " dimensions in one scope (" + key + "); use a database-backed store", false, e);
        }
        records = Arrays.copyOf(records, capacity);
        inverseNorms = Arrays.copyOf(inverseNorms, capacity);
        vectors = Arrays.copyOf(vectors, floats);
    }
}

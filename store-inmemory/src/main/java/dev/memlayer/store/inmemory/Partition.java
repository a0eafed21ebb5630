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
 * <p>From {@value #HALVES_FROM} records on, the partition also keeps a half-precision copy of its
 * unit-length vectors in blocks of {@link VectorMath#BLOCK}, dimension-major, which
 * {@link #scan} scores with SIMD instructions first: a record whose half-precision score is more
 * than {@link VectorMath#halfErrorBound} below the running k-th best exact score cannot enter the
 * top-k and is skipped; every other record is scored exactly as without the copy. The results are
 * therefore identical, at about half the memory traffic and a fraction of the arithmetic. The
 * copy costs {@code 2 * dimensions} bytes per record; it is dropped again below
 * {@value #HALVES_DROP_BELOW} records.
 *
 * <p>Not thread-safe: the owning {@link InMemoryVectorStore} guards it with its lock. One partition
 * holds at most {@code Integer.MAX_VALUE / dimensions} records (5.5 million at 384 dimensions).
 */
final class Partition {

    private static final int INITIAL_CAPACITY = 8;
    /** Size from which the half-precision copy is kept. */
    static final int HALVES_FROM = 256;
    /** Size below which it is dropped (lower than {@link #HALVES_FROM}, so sizes near it do not flap). */
    static final int HALVES_DROP_BELOW = 64;

    private final ScopeKey key;
    private final int dimensions;
    private final Map<String, Integer> slots = new HashMap<>();
    private float[] vectors;
    private float[] inverseNorms;
    private MemoryRecord[] records;
    /** Per slot: outside {@link VectorMath#regular}, so always scored exactly. */
    private boolean[] irregular;
    /** The half-precision copy (see the class comment), or null below {@link #HALVES_FROM}. */
    private short[] halves;
    private int size;

    Partition(ScopeKey key, int dimensions) {
        this.key = key;
        this.dimensions = dimensions;
        this.vectors = new float[INITIAL_CAPACITY * dimensions];
        this.inverseNorms = new float[INITIAL_CAPACITY];
        this.records = new MemoryRecord[INITIAL_CAPACITY];
        this.irregular = new boolean[INITIAL_CAPACITY];
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
        float inverseNorm = VectorMath.inverseNorm(vector);
        inverseNorms[s] = inverseNorm;
        irregular[s] = !VectorMath.regular(inverseNorm);
        if (halves != null) {
            writeHalf(s);
        } else if (size >= HALVES_FROM) {
            buildHalves();
        }
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
            irregular[s] = irregular[last];
            System.arraycopy(vectors, last * dimensions, vectors, s * dimensions, dimensions);
            if (halves != null) {
                int to = halfIndex(s);
                int from = halfIndex(last);
                for (int d = 0; d < dimensions; d++) {
                    halves[to + d * VectorMath.BLOCK] = halves[from + d * VectorMath.BLOCK];
                }
            }
            slots.put(records[s].id(), s);
        }
        records[last] = null;
        size = last;
        if (halves != null && size < HALVES_DROP_BELOW) {
            halves = null;
        }
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
     * The filter is evaluated only for records that would enter the top-k. With the
     * half-precision copy and a unit query, records that provably cannot enter are skipped before
     * their exact score is computed (see the class comment); the result is the same.
     *
     * @param query             the query vector
     * @param queryInverseNorm  {@code 1 / ||query||}
     * @param unitQuery         {@code query * queryInverseNorm} in float, or null when the query is
     *                          not {@link VectorMath#regular} (then every record is scored exactly)
     * @param filter            the filter still to check, or null when every record matches
     * @param top               the running top-k
     */
    void scan(float[] query, float queryInverseNorm, float[] unitQuery, Filter filter, TopHits top) {
        if (halves != null && unitQuery != null) {
            scanHalves(query, queryInverseNorm, unitQuery, filter, top);
            return;
        }
        for (int i = 0; i < size; i++) {
            offerExact(i, query, queryInverseNorm, filter, top);
        }
    }

    private void scanHalves(float[] query, float queryInverseNorm, float[] unitQuery, Filter filter, TopHits top) {
        double bound = VectorMath.halfErrorBound(dimensions);
        float[] approx = new float[VectorMath.BLOCK];
        int blockLength = VectorMath.BLOCK * dimensions;
        for (int first = 0, base = 0; first < size; first += VectorMath.BLOCK, base += blockLength) {
            VectorMath.halfScores(halves, base, dimensions, unitQuery, approx);
            int n = Math.min(VectorMath.BLOCK, size - first);
            for (int j = 0; j < n; j++) {
                int i = first + j;
                // the exact cosine is at most approx + bound: if even that is below the k-th best, skip
                if (!irregular[i] && top.rejects(approx[j] + bound)) {
                    continue;
                }
                // the approximate score already rules out most records; of the rest, a selective
                // filter rejects most, and evaluating it is cheaper than an exact dot product
                if (filter != null && !FilterEvaluator.matches(filter, records[i])) {
                    continue;
                }
                offerExact(i, query, queryInverseNorm, null, top);
            }
        }
    }

    private void offerExact(int i, float[] query, float queryInverseNorm, Filter filter, TopHits top) {
        double cosine = (double) VectorMath.dot(vectors, i * dimensions, query, dimensions) * inverseNorms[i]
                * queryInverseNorm;
        if (top.rejects(cosine)) {
            return; // decided on the score alone: the record object is never touched
        }
        MemoryRecord r = records[i];
        if (!top.wouldAccept(cosine, r.id())) {
            return;
        }
        if (filter != null && !FilterEvaluator.matches(filter, r)) {
            return;
        }
        top.offer(cosine, r);
    }

    /** @return whether the half-precision copy is kept (for tests) */
    boolean hasHalves() {
        return halves != null;
    }

    /** Index in {@link #halves} of dimension 0 of slot {@code s}; dimension d is {@code d * BLOCK} further. */
    private static int blockBase(int s, int dims) {
        return (s / VectorMath.BLOCK) * VectorMath.BLOCK * dims;
    }

    private int halfIndex(int s) {
        return blockBase(s, dimensions) + s % VectorMath.BLOCK;
    }

    private void writeHalf(int s) {
        int at = halfIndex(s);
        int from = s * dimensions;
        float inverseNorm = irregular[s] ? 0f : inverseNorms[s];
        for (int d = 0; d < dimensions; d++, at += VectorMath.BLOCK) {
            halves[at] = Float.floatToFloat16((float) (vectors[from + d] * (double) inverseNorm));
        }
    }

    private void buildHalves() {
        int length;
        try {
            length = halvesLength(records.length);
        } catch (ArithmeticException e) {
            return; // a partition this large is scanned exactly only
        }
        halves = new short[length];
        for (int s = 0; s < size; s++) {
            writeHalf(s);
        }
    }

    private int halvesLength(int capacity) {
        int blocks = (capacity + VectorMath.BLOCK - 1) / VectorMath.BLOCK;
        return Math.multiplyExact(Math.multiplyExact(blocks, VectorMath.BLOCK), dimensions);
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
        irregular = Arrays.copyOf(irregular, capacity);
        vectors = Arrays.copyOf(vectors, floats);
        if (halves != null) {
            try {
                halves = Arrays.copyOf(halves, halvesLength(capacity));
            } catch (ArithmeticException e) {
                halves = null; // a partition this large is scanned exactly only
            }
        }
    }
}

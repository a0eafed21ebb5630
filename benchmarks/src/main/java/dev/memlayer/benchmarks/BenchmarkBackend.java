package dev.memlayer.benchmarks;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The one factory every benchmark uses to reach a backend: a backend joins every benchmark that has
 * a {@code backend} parameter by implementing this interface and listing the class in
 * {@code META-INF/services/dev.memlayer.benchmarks.BenchmarkBackend}; the parameter value is
 * {@link #name()}.
 *
 * <p>Implementations read their server settings from the environment (e.g.
 * {@code MEMLAYER_PG_URL}, {@code MEMLAYER_REDIS_URL}) and keep each collection apart (a table, a key
 * prefix), so benchmark data never touches other collections.
 */
public interface BenchmarkBackend {

    /** The size of the batches {@link #bulkLoad} writes by default. */
    int DEFAULT_LOAD_BATCH = 1_000;

    /** @return the {@code backend} parameter value, e.g. {@code inmemory}, {@code pgvector}, {@code redis} */
    String name();

    /** @return one line on what is measured (server, index settings), for the results' notes */
    default String description() {
        return name();
    }

    /**
     * Opens a collection, creating it when missing; its contents are whatever an earlier run left.
     *
     * @param collection lower-case letters, digits and underscores, at most 40 characters
     * @param dimensions the embedding dimension
     * @return the store; the caller closes it
     */
    VectorStore openStore(String collection, int dimensions);

    /**
     * @param store      a store from {@link #openStore} of the same collection
     * @param collection the collection
     * @return the history store of that collection; the caller closes it
     */
    HistoryStore openHistoryStore(VectorStore store, String collection);

    /** @return true when a collection outlives the JVM (a loaded dataset can then be reused) */
    boolean persistent();

    /**
     * Loads records into a collection as fast as the backend can. The default upserts batches of
     * {@value #DEFAULT_LOAD_BATCH}.
     *
     * @param store   a store from {@link #openStore}, normally empty
     * @param records the records, iterated once
     * @return how many records were loaded
     */
    default long bulkLoad(VectorStore store, Iterator<MemoryRecord> records) {
        long n = 0;
        List<MemoryRecord> batch = new ArrayList<>(DEFAULT_LOAD_BATCH);
        while (records.hasNext()) {
            batch.add(records.next());
            if (batch.size() == DEFAULT_LOAD_BATCH || !records.hasNext()) {
                store.upsert(batch);
                n += batch.size();
                batch.clear();
            }
        }
        return n;
    }

    /**
     * Waits until the store's indexes cover every record, for backends that build them in the
     * background after {@link #bulkLoad} returns (searches are correct before, only slower). The
     * default returns at once.
     *
     * @param store a store from {@link #openStore}
     * @throws IllegalStateException when the indexes are not complete within ten minutes
     */
    default void awaitIndexed(VectorStore store) {
    }

    /**
     * The backend registered under a name.
     *
     * @param name a {@link #name()}
     * @return a new instance
     * @throws IllegalArgumentException naming the registered backends when none has this name
     */
    static BenchmarkBackend named(String name) {
        List<String> known = new ArrayList<>();
        for (BenchmarkBackend b : ServiceLoader.load(BenchmarkBackend.class, BenchmarkBackend.class.getClassLoader())) {
            if (b.name().equals(name)) {
                return b;
            }
            known.add(b.name());
        }
        throw new IllegalArgumentException("no benchmark backend '" + name + "'; registered: " + known);
    }
}

package dev.memlayer.benchmarks;

import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.data.Dataset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a backend's collection holding a {@link Dataset}: reuses what an earlier JVM loaded when the
 * backend is {@linkplain BenchmarkBackend#persistent() persistent} and the collection holds exactly
 * the dataset (same count and same sample records), otherwise empties it and loads the dataset.
 */
public final class StoreFixture {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFixture.class);

    private StoreFixture() {
    }

    /**
     * @param backend the backend
     * @param dataset the data
     * @param suffix  a collection suffix ({@code ""} for the shared read-only copy)
     * @return the store holding exactly the dataset; the caller closes it
     */
    public static VectorStore openLoaded(BenchmarkBackend backend, Dataset dataset, String suffix) {
        String collection = dataset.collectionName(suffix);
        VectorStore store = backend.openStore(collection, Dataset.DIMENSIONS);
        try {
            if (backend.persistent() && holds(store, dataset)) {
                LOG.info("{}: reusing collection {} ({} memories)", backend.name(), collection, dataset.size());
                backend.awaitIndexed(store);
                return store;
            }
            store.reset();
            long t0 = System.nanoTime();
            long n = backend.bulkLoad(store, dataset.records());
            double seconds = (System.nanoTime() - t0) / 1e9;
            backend.awaitIndexed(store);
            double indexed = (System.nanoTime() - t0) / 1e9;
            LOG.info("{}: loaded {} memories into {} in {} s ({} records/s), indexes complete after {} s",
                    backend.name(), n, collection, String.format("%.1f", seconds), String.format("%.0f", n / seconds),
                    String.format("%.1f", indexed));
            if (!holds(store, dataset)) {
                throw new IllegalStateException(backend.name() + ": collection " + collection
                        + " does not hold the dataset after loading it");
            }
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** @return true if the store holds the dataset's count and its first, middle and last records */
    static boolean holds(VectorStore store, Dataset dataset) {
        if (store.count(null) != dataset.size()) {
            return false;
        }
        for (int i : List.of(0, dataset.size() / 2, dataset.size() - 1)) {
            MemoryRecord expected = dataset.record(i);
            Optional<MemoryRecord> found = store.get(expected.id());
            if (found.isEmpty() || !found.get().memory().equals(expected.memory())
                    || !expected.userId().equals(found.get().userId())) {
                return false;
            }
        }
        return true;
    }
}

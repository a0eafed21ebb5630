package dev.memlayer.store.inmemory;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.api.spi.VectorStoreProvider;

/**
 * Registers the in-memory stores with {@link java.util.ServiceLoader} (in
 * {@code META-INF/services/dev.memlayer.api.spi.VectorStoreProvider}), so that
 * {@code Memory.builder()} uses them when no store is given.
 */
public final class InMemoryStoreProvider implements VectorStoreProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public InMemoryStoreProvider() {
    }

    /** @return a new, empty {@link InMemoryVectorStore} */
    @Override
    public VectorStore create(int dimensions) {
        return new InMemoryVectorStore(dimensions);
    }

    /** @return a new, empty {@link InMemoryHistoryStore} */
    @Override
    public HistoryStore createHistoryStore() {
        return new InMemoryHistoryStore();
    }
}

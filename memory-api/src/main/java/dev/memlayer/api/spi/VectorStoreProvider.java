package dev.memlayer.api.spi;

/**
 * Found with {@link java.util.ServiceLoader} by {@code Memory.builder()} when no vector store is
 * given: a backend module that works with no configuration (the in-memory store) registers one in
 * {@code META-INF/services/dev.memlayer.api.spi.VectorStoreProvider}.
 */
public interface VectorStoreProvider {

    /**
     * @param dimensions the embedder's dimension
     * @return a new store
     */
    VectorStore create(int dimensions);

    /** @return a new history store that goes with it */
    HistoryStore createHistoryStore();
}

package dev.memlayer.store.inmemory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;

/**
 * Guice bindings for the in-memory backend:
 *
 * <ul>
 *   <li>{@link VectorStore} and {@link InMemoryVectorStore}: one {@link InMemoryVectorStore} of the
 *       given dimension per injector (singleton);</li>
 *   <li>{@link HistoryStore} and {@link InMemoryHistoryStore}: one {@link InMemoryHistoryStore} per
 *       injector (singleton).</li>
 * </ul>
 *
 * <p>{@link #configure()} does nothing but declare bindings; the stores are created on first use.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new MemoryModule(MemoryConfig.defaults()),
 *         new InMemoryStoreModule(embedder.dimensions()), ...);
 * }</pre>
 */
public final class InMemoryStoreModule extends AbstractModule {

    private final int dimensions;

    /**
     * @param dimensions the embedding dimension of the vector store, at least 1 (the embedder's)
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for fewer than 1
     */
    public InMemoryStoreModule(int dimensions) {
        if (dimensions < 1) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "InMemoryStoreModule needs the embedding dimension (at least 1), got " + dimensions);
        }
        this.dimensions = dimensions;
    }

    @Override
    protected void configure() {
        bind(VectorStore.class).to(InMemoryVectorStore.class);
        bind(HistoryStore.class).to(InMemoryHistoryStore.class);
    }

    @Provides
    @Singleton
    InMemoryVectorStore inMemoryVectorStore() {
        return new InMemoryVectorStore(dimensions);
    }

    @Provides
    @Singleton
    InMemoryHistoryStore inMemoryHistoryStore() {
        return new InMemoryHistoryStore();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InMemoryStoreModule m && m.dimensions == dimensions;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(dimensions);
    }
}

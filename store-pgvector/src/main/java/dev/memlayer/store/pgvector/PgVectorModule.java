package dev.memlayer.store.pgvector;

import com.google.inject.AbstractModule;
import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import java.util.Objects;

/**
 * Guice bindings for the PostgreSQL + pgvector backend:
 * <ul>
 *   <li>{@link PgVectorStore} (singleton), created on first use: the pool is opened and the schema
 *       migrated then, never in {@code configure()}. When the configuration's dimension is 0, the
 *       bound {@link Embedder}'s dimension is used;</li>
 *   <li>{@link VectorStore} to that store;</li>
 *   <li>{@link HistoryStore} to {@link PgVectorStore#historyStore()} (same pool).</li>
 * </ul>
 * Closing the {@code Memory} closes both stores, which closes the pool.
 */
public final class PgVectorModule extends AbstractModule {

    private final PgVectorConfig config;

    /** @param config the store's configuration, e.g. {@link PgVectorConfig#fromEnv()} */
    public PgVectorModule(PgVectorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        // everything is provided lazily below
    }

    @Provides
    @Singleton
    PgVectorStore pgVectorStore(Injector injector) {
        PgVectorConfig effective = config;
        if (effective.dimensions() == 0) {
            Binding<Embedder> embedder = injector.getExistingBinding(Key.get(Embedder.class));
            if (embedder == null) {
                throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "PgVectorConfig has no dimensions and no"
                        + " Embedder is bound; set MEMLAYER_PG_DIMENSIONS or install an embedder module");
            }
            effective = effective.withDimensions(embedder.getProvider().get().dimensions());
        }
        return PgVectorStore.create(effective);
    }

    @Provides
    @Singleton
    VectorStore vectorStore(PgVectorStore store) {
        return store;
    }

    @Provides
    @Singleton
    HistoryStore historyStore(PgVectorStore store) {
        return store.historyStore();
    }
}

package dev.memlayer.store.redis;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import java.util.Objects;

/**
 * Guice module of the Redis backend. Binds, as singletons created on first use:
 * <ul>
 *   <li>{@link RedisConnection}: one connection pool, {@linkplain RedisConnection#openShared shared}
 *       by the two stores and closed when both are closed (closing the {@code Memory} closes
 *       them);</li>
 *   <li>{@link VectorStore} to a {@link RedisVectorStore};</li>
 *   <li>{@link HistoryStore} to a {@link RedisHistoryStore} with the same key prefix.</li>
 * </ul>
 * {@code configure()} opens nothing; connections are made when the stores are first used.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new MemoryModule(MemoryConfig.defaults()),
 *     new RedisModule(RedisConfig.fromEnv()),
 *     new OnnxEmbedderModule());
 * }</pre>
 */
public final class RedisModule extends AbstractModule {

    private final RedisConfig config;

    /** @param config the backend settings, not null */
    public RedisModule(RedisConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(RedisConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    RedisConnection connection(RedisConfig redisConfig) {
        return RedisConnection.openShared(redisConfig);
    }

    @Provides
    @Singleton
    VectorStore vectorStore(RedisConfig redisConfig, RedisConnection connection) {
        return RedisVectorStore.create(redisConfig, connection);
    }

    @Provides
    @Singleton
    HistoryStore historyStore(RedisConfig redisConfig, RedisConnection connection) {
        return RedisHistoryStore.create(redisConfig, connection);
    }
}

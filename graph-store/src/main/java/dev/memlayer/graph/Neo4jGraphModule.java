package dev.memlayer.graph;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memlayer.api.graph.GraphStore;
import java.util.Objects;

/**
 * Binds {@link Neo4jConfig} to the given configuration and {@link GraphStore} to a singleton
 * {@link Neo4jGraphStore} on it, turning graph memory on for a {@code MemoryModule}:
 *
 * <pre>{@code
 * Guice.createInjector(new MemoryModule(MemoryConfig.defaults()), new PgVectorModule(...),
 *     new Neo4jGraphModule(Neo4jConfig.fromEnv()), ...);
 * }</pre>
 *
 * Side-effect free: the driver does not connect before the first graph operation. The
 * {@code Memory} closes the store (and its driver) when it is closed.
 */
public final class Neo4jGraphModule extends AbstractModule {

    private final Neo4jConfig config;

    /** @param config where Neo4j is, not null */
    public Neo4jGraphModule(Neo4jConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(Neo4jConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    GraphStore graphStore(Neo4jConfig neo4jConfig) {
        return new Neo4jGraphStore(neo4jConfig);
    }
}

package dev.memlayer.graph;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import dev.memlayer.api.graph.GraphStore;

/**
 * Binds {@link GraphStore} to a singleton {@link InMemoryGraphStore}, turning graph memory on for a
 * {@code MemoryModule} (which declares the optional binding):
 *
 * <pre>{@code
 * Guice.createInjector(new MemoryModule(MemoryConfig.defaults()), new InMemoryStoreModule(),
 *     new InMemoryGraphModule(), ...);
 * }</pre>
 */
public final class InMemoryGraphModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(GraphStore.class).to(InMemoryGraphStore.class);
        bind(InMemoryGraphStore.class).in(Singleton.class);
    }
}

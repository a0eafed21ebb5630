package dev.memlayer.store.inmemory;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.FilterContract;

/** The in-memory store against the {@link FilterContract}. */
class InMemoryFilterConformanceTest extends FilterContract {

    @Override
    protected VectorStore createStore(int dimensions) {
        return new InMemoryVectorStore(dimensions);
    }
}

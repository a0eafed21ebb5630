package dev.memlayer.store.inmemory;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.VectorStoreContract;

/** The in-memory store against the {@link VectorStoreContract}. */
class InMemoryVectorStoreConformanceTest extends VectorStoreContract {

    @Override
    protected VectorStore createStore(int dimensions) {
        return new InMemoryVectorStore(dimensions);
    }
}

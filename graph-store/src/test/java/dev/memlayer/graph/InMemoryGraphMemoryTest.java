package dev.memlayer.graph;

import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.graph.GraphMemoryContract;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryVectorStore;

/** Graph memory through the engine on the in-memory graph store. */
class InMemoryGraphMemoryTest extends GraphMemoryContract {

    @Override
    protected GraphStore createGraphStore() {
        return new InMemoryGraphStore();
    }

    @Override
    protected VectorStore createVectorStore(int dimensions) {
        return new InMemoryVectorStore(dimensions);
    }

    @Override
    protected HistoryStore createHistoryStore() {
        return new InMemoryHistoryStore();
    }
}

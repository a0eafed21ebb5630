package dev.memlayer.store.inmemory;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.memory.MemoryContract;

/**
 * The whole engine (memory-core through the {@code Memory} facade) on the in-memory stores: the
 * reference run of {@link MemoryContract} (SPEC.md §1–§6).
 */
class InMemoryMemoryConformanceTest extends MemoryContract {

    @Override
    protected VectorStore createVectorStore(int dimensions) {
        return new InMemoryVectorStore(dimensions);
    }

    @Override
    protected HistoryStore createHistoryStore() {
        return new InMemoryHistoryStore();
    }
}

package dev.memlayer.benchmarks.backends;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.BenchmarkBackend;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryVectorStore;

/** {@code inmemory}: the in-process reference store (exact flat scan, scope index). */
public final class InMemoryBackend implements BenchmarkBackend {

    @Override
    public String name() {
        return "inmemory";
    }

    @Override
    public String description() {
        return "inmemory: InMemoryVectorStore (exact flat scan per scope partition), in the benchmark's JVM";
    }

    @Override
    public VectorStore openStore(String collection, int dimensions) {
        return new InMemoryVectorStore(dimensions);
    }

    @Override
    public HistoryStore openHistoryStore(VectorStore store, String collection) {
        return new InMemoryHistoryStore();
    }

    @Override
    public boolean persistent() {
        return false;
    }
}

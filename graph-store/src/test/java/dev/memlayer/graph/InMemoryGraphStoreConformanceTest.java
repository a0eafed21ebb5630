package dev.memlayer.graph;

import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.conformance.graph.GraphStoreContract;

/** The in-memory graph store is the reference of the contract; a "second store" shares its state. */
class InMemoryGraphStoreConformanceTest extends GraphStoreContract {

    private InMemoryGraphStore shared;

    @Override
    protected GraphStore createStore() {
        if (shared == null) {
            shared = new InMemoryGraphStore();
        }
        return shared;
    }
}

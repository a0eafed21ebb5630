package dev.memlayer.graph;

import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.conformance.graph.GraphStoreContract;

/** Neo4jGraphStore against the in-process Neo4j, compared with the in-memory reference. */
class Neo4jGraphStoreConformanceTest extends GraphStoreContract {

    @Override
    protected GraphStore createStore() {
        return Neo4jHarness.store("contract");
    }

    @Override
    protected GraphStore createReferenceStore() {
        return new InMemoryGraphStore();
    }
}

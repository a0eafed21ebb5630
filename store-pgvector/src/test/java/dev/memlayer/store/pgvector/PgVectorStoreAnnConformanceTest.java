package dev.memlayer.store.pgvector;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.VectorStoreContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The shared vector store contract with exact scans switched off ({@code exactSearchThreshold = 0}):
 * every search goes through the HNSW index (iterative scans, the pending-rows union, the exact
 * fallback for short pages), and must still behave identically.
 */
class PgVectorStoreAnnConformanceTest extends VectorStoreContract {

    private static final PgConformanceTables TABLES = new PgConformanceTables("conf_ann");

    @Override
    protected VectorStore createStore(int dimensions) {
        return PgVectorStore.create(TABLES.config(dimensions).toBuilder().exactSearchThreshold(0).build());
    }

    @AfterAll
    static void dropTables() {
        TABLES.dropAll();
    }
}

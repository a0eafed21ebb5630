package dev.memlayer.store.pgvector;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.VectorStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The shared vector store contract against PostgreSQL + pgvector. */
class PgVectorStoreConformanceTest extends VectorStoreContract {

    private static final PgConformanceTables TABLES = new PgConformanceTables("conf_store");

    @Override
    protected VectorStore createStore(int dimensions) {
        return TABLES.store(dimensions);
    }

    @AfterAll
    static void dropTables() {
        TABLES.dropAll();
    }
}

package dev.memlayer.store.pgvector;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.FilterContract;
import org.junit.jupiter.api.AfterAll;

/** The shared filter contract (table cases and the differential random test) against PostgreSQL. */
class PgFilterConformanceTest extends FilterContract {

    private static final PgConformanceTables TABLES = new PgConformanceTables("conf_filter");

    @Override
    protected VectorStore createStore(int dimensions) {
        return TABLES.store(dimensions);
    }

    @AfterAll
    static void dropTables() {
        TABLES.dropAll();
    }
}

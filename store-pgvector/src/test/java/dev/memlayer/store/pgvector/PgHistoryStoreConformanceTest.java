package dev.memlayer.store.pgvector;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.conformance.HistoryStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The shared history store contract against PostgreSQL. */
class PgHistoryStoreConformanceTest extends HistoryStoreContract {

    private static final PgConformanceTables TABLES = new PgConformanceTables("conf_history");

    @Override
    protected HistoryStore createHistoryStore() {
        return TABLES.history(1);
    }

    @AfterAll
    static void dropTables() {
        TABLES.dropAll();
    }
}

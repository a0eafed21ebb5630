package dev.memlayer.store.pgvector;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.memory.MemoryContract;
import dev.memlayer.conformance.memory.ScriptEmbedder;
import org.junit.jupiter.api.AfterAll;

/** The whole engine's contract (SPEC §1-§6) with PostgreSQL as vector store and history store. */
class PgMemoryConformanceTest extends MemoryContract {

    private static final PgConformanceTables TABLES = new PgConformanceTables("conf_memory");

    @Override
    protected VectorStore createVectorStore(int dimensions) {
        return TABLES.store(dimensions);
    }

    @Override
    protected HistoryStore createHistoryStore() {
        return TABLES.history(ScriptEmbedder.DEFAULT_DIMENSIONS);
    }

    @AfterAll
    static void dropTables() {
        TABLES.dropAll();
    }
}

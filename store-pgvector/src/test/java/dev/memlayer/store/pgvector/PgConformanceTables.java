package dev.memlayer.store.pgvector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tables one conformance test class uses: one collection per dimension (stores of different
 * dimensions must not share a table), all on the shared test pool, dropped when the class is done.
 */
final class PgConformanceTables {

    private final String prefix;
    private final Map<Integer, PgVectorConfig> configs = new ConcurrentHashMap<>();

    PgConformanceTables(String prefix) {
        this.prefix = PgTestSupport.uniqueTable(prefix);
    }

    /** @return the configuration of this class's collection of the given dimension */
    PgVectorConfig config(int dimensions) {
        return configs.computeIfAbsent(dimensions, d -> PgVectorConfig.fromEnv(Map.copyOf(System.getenv())).toBuilder()
                .dataSource(PgTestSupport.sharedDataSource())
                .table(prefix + "_d" + d)
                .dimensions(d)
                .scopeCacheMinScope(1)
                .build());
    }

    /**
     * A new store instance on the collection of that dimension, with the scope cache exercised:
     * every user is cached from its first search on.
     */
    PgVectorStore store(int dimensions) {
        PgVectorStore store = PgVectorStore.create(config(dimensions));
        store.loadScopesAtOnce = true;
        return store;
    }

    /** A new history store instance on the collection of the given dimension's history table. */
    PgHistoryStore history(int dimensions) {
        return PgHistoryStore.create(config(dimensions));
    }

    void dropAll() {
        configs.values().forEach(PgTestSupport::drop);
    }
}

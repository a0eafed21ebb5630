package dev.memlayer.benchmarks.backends;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.BenchmarkBackend;
import dev.memlayer.store.pgvector.PgVectorConfig;
import dev.memlayer.store.pgvector.PgVectorStore;
import java.time.Duration;
import java.util.Iterator;

/**
 * {@code pgvector}: {@link PgVectorStore} on the server of {@code MEMLAYER_PG_URL} (default the
 * project's local PostgreSQL, {@code scripts/services.sh start}); one table per collection, default
 * HNSW and search settings. Bulk loads use {@link PgVectorStore#bulkLoad} (binary COPY into an empty
 * table; the HNSW index is then built in the background, {@link #awaitIndexed} waits for it).
 */
public final class PgVectorBackend implements BenchmarkBackend {

    @Override
    public String name() {
        return "pgvector";
    }

    @Override
    public String description() {
        PgVectorConfig c = PgVectorConfig.fromEnv();
        return "pgvector: PgVectorStore, HNSW m=" + c.hnswM() + " ef_construction=" + c.hnswEfConstruction()
                + " ef_search=" + c.efSearch() + ", exact scan for scopes <= " + c.exactSearchThreshold()
                + " memories, over JDBC to a local server";
    }

    @Override
    public VectorStore openStore(String collection, int dimensions) {
        return PgVectorStore.create(PgVectorConfig.fromEnv().toBuilder().table(collection).dimensions(dimensions)
                .build());
    }

    @Override
    public HistoryStore openHistoryStore(VectorStore store, String collection) {
        return ((PgVectorStore) store).historyStore();
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public long bulkLoad(VectorStore store, Iterator<MemoryRecord> records) {
        return ((PgVectorStore) store).bulkLoad(records);
    }

    @Override
    public void awaitIndexed(VectorStore store) {
        if (!((PgVectorStore) store).awaitIndexed(Duration.ofMinutes(10))) {
            throw new IllegalStateException("the HNSW index of " + store + " is not complete after 10 minutes");
        }
    }
}

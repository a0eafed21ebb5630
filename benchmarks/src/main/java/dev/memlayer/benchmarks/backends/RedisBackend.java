package dev.memlayer.benchmarks.backends;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.BenchmarkBackend;
import dev.memlayer.store.redis.RedisConfig;
import dev.memlayer.store.redis.RedisHistoryStore;
import dev.memlayer.store.redis.RedisVectorStore;

/**
 * {@code redis}: {@link RedisVectorStore} on the server of {@code MEMLAYER_REDIS_URL} (default the
 * project's local Redis 8, {@code scripts/services.sh start}); the collection is the key prefix,
 * default vector-set settings. Loads upsert batches of 1,000 (one atomic script each); the HNSW
 * insertion of their vectors is write-behind (see the store's package documentation), and
 * {@link #awaitIndexed} indexes what is still pending.
 */
public final class RedisBackend implements BenchmarkBackend {

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String description() {
        RedisConfig c = RedisConfig.fromEnv();
        return "redis: RedisVectorStore (one vector set per scope id), " + c.quantization() + ", M=" + c.hnswM()
                + ", exact TRUTH scan for sets <= " + c.exactSearchThreshold() + ", local server";
    }

    @Override
    public VectorStore openStore(String collection, int dimensions) {
        return RedisVectorStore.create(config(collection, dimensions));
    }

    @Override
    public HistoryStore openHistoryStore(VectorStore store, String collection) {
        return RedisHistoryStore.create(((RedisVectorStore) store).config());
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public void awaitIndexed(VectorStore store) {
        ((RedisVectorStore) store).indexPending();
    }

    private static RedisConfig config(String collection, int dimensions) {
        return RedisConfig.fromEnv().withKeyPrefix(collection).withDimensions(dimensions);
    }
}

package dev.memlayer.store.redis;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.VectorStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared vector store contract against a real Redis 8. */
class RedisVectorStoreConformanceTest extends VectorStoreContract {

    @RegisterExtension
    static final RedisConnectionExtension REDIS = new RedisConnectionExtension(RedisVectorStoreConformanceTest.class);

    @Override
    protected VectorStore createStore(int dimensions) {
        return RedisVectorStore.create(REDIS.config(dimensions), REDIS.connection());
    }
}

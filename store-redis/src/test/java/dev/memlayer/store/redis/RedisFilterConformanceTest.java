package dev.memlayer.store.redis;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.FilterContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared filter contract (tables and the differential random test) against a real Redis 8. */
class RedisFilterConformanceTest extends FilterContract {

    @RegisterExtension
    static final RedisConnectionExtension REDIS = new RedisConnectionExtension(RedisFilterConformanceTest.class);

    @Override
    protected VectorStore createStore(int dimensions) {
        return RedisVectorStore.create(REDIS.config(dimensions), REDIS.connection());
    }
}

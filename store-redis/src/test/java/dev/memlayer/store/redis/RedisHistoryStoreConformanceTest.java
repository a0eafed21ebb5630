package dev.memlayer.store.redis;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.conformance.HistoryStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared history store contract against a real Redis 8. */
class RedisHistoryStoreConformanceTest extends HistoryStoreContract {

    @RegisterExtension
    static final RedisConnectionExtension REDIS = new RedisConnectionExtension(RedisHistoryStoreConformanceTest.class);

    @Override
    protected HistoryStore createHistoryStore() {
        return RedisHistoryStore.create(REDIS.config(16), REDIS.connection());
    }
}

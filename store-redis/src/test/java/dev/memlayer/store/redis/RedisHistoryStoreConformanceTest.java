package dev.memlayer.store.redis;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.conformance.HistoryStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared history store contract against a real Redis 8. */
class RedisHistoryStoreConformanceTest extends HistoryStoreContract {

    private static final String PREFIX = RedisTestSupport.uniquePrefix(RedisHistoryStoreConformanceTest.class);
    private static RedisConnection connection;

    @BeforeAll
    static void connect() {
        connection = RedisConnection.open(RedisTestSupport.config(PREFIX, 16));
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @Override
    protected HistoryStore createHistoryStore() {
        return RedisHistoryStore.create(RedisTestSupport.config(PREFIX, 16), connection);
    }
}

package dev.memlayer.store.redis;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.FilterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared filter contract (tables and the differential random test) against a real Redis 8. */
class RedisFilterConformanceTest extends FilterContract {

    private static final String PREFIX = RedisTestSupport.uniquePrefix(RedisFilterConformanceTest.class);
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
    protected VectorStore createStore(int dimensions) {
        return RedisVectorStore.create(RedisTestSupport.config(PREFIX + ":" + dimensions, dimensions), connection);
    }
}

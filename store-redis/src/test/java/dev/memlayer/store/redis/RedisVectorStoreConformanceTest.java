package dev.memlayer.store.redis;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.VectorStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared vector store contract against a real Redis 8. */
class RedisVectorStoreConformanceTest extends VectorStoreContract {

    private static final String PREFIX = RedisTestSupport.uniquePrefix(RedisVectorStoreConformanceTest.class);
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

package dev.memlayer.store.redis;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.memory.MemoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The engine's behaviour contract with both Redis stores underneath. */
class RedisMemoryConformanceTest extends MemoryContract {

    private static final String PREFIX = RedisTestSupport.uniquePrefix(RedisMemoryConformanceTest.class);
    private static RedisConnection connection;

    @BeforeAll
    static void connect() {
        connection = RedisConnection.open(RedisTestSupport.config(PREFIX, 16));
    }

    @AfterAll
    static void disconnect() {
        try (RedisVectorStore store = RedisVectorStore.create(RedisTestSupport.config(PREFIX, 16), connection);
             RedisHistoryStore history = RedisHistoryStore.create(RedisTestSupport.config(PREFIX, 16), connection)) {
            store.reset();
            history.reset();
        } finally {
            connection.close();
        }
    }

    @Override
    protected VectorStore createVectorStore(int dimensions) {
        return RedisVectorStore.create(RedisTestSupport.config(PREFIX, dimensions), connection);
    }

    @Override
    protected HistoryStore createHistoryStore() {
        return RedisHistoryStore.create(RedisTestSupport.config(PREFIX, 16), connection);
    }
}

package dev.memlayer.store.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisConnection} for all tests of a class, to the server of {@link RedisTestSupport},
 * with a key prefix unique to the class: register it as a static field with
 * {@code @RegisterExtension}.
 */
final class RedisConnectionExtension implements BeforeAllCallback, AfterAllCallback {

    private final String prefix;
    private RedisConnection connection;

    RedisConnectionExtension(Class<?> testClass) {
        this.prefix = RedisTestSupport.uniquePrefix(testClass);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        connection = RedisConnection.open(RedisTestSupport.config(prefix, 16));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        connection.close();
    }

    /** @return the class's key prefix */
    String prefix() {
        return prefix;
    }

    /** @return the shared connection (open between the class's first and last test) */
    RedisConnection connection() {
        return connection;
    }

    /** @return the environment's config with the class's prefix plus {@code ":" + dimensions} */
    RedisConfig config(int dimensions) {
        return RedisTestSupport.config(prefix + ":" + dimensions, dimensions);
    }
}

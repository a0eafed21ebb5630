package dev.memlayer.store.redis;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Test settings: the Redis of {@code MEMLAYER_REDIS_URL} (default {@value RedisConfig#DEFAULT_URI},
 * started by {@code scripts/services.sh start redis}), a key prefix unique per test class.
 */
final class RedisTestSupport {

    private RedisTestSupport() {
    }

    /** @return a key prefix no other test class or run uses */
    static String uniquePrefix(Class<?> testClass) {
        return "mltest:" + testClass.getSimpleName() + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** @return the environment's config with the given prefix and dimensions */
    static RedisConfig config(String prefix, int dimensions) {
        return RedisConfig.fromEnv().toBuilder().keyPrefix(prefix).dimensions(dimensions).build();
    }
}

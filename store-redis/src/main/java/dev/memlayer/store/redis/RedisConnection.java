package dev.memlayer.store.redis;

import dev.memlayer.store.redis.internal.RedisExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;

/**
 * A pool of connections to one Redis server, shared by the stores created on it. Opening one does
 * not connect yet: connections are made on first use, and a lost connection is replaced on the next
 * call (the client recovers by itself after a server restart).
 *
 * <p>Thread-safe. The opener closes it; stores created on a connection do not, except for one
 * {@link #openShared opened shared}, which closes itself when the last store using it is closed.
 */
public final class RedisConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

    private final RedisExecutor executor;
    private final RedisConfig config;
    private final boolean closeWhenUnused;
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean closed;

    private RedisConnection(RedisConfig config, boolean closeWhenUnused) {
        this.config = Objects.requireNonNull(config, "config");
        this.closeWhenUnused = closeWhenUnused;
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(config.connectTimeout()))
                .socketTimeoutMillis(millis(config.commandTimeout()))
                .protocol(RedisProtocol.RESP2)
                .database(config.database())
                .ssl(config.effectiveTls())
                .clientName("memlayer");
        if (config.user() != null) {
            client.user(config.user());
        }
        if (config.effectivePassword() != null) {
            client.password(config.effectivePassword());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(config.connectTimeout().plus(config.commandTimeout()));
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        RedisClient redis = RedisClient.builder()
                .hostAndPort(config.host(), config.port())
                .clientConfig(client.build())
                .poolConfig(pool)
                .build();
        this.executor = new RedisExecutor(redis, config.host() + ":" + config.port());
        LOG.debug("Redis connection pool for {}", config.redactedUri());
    }

    /**
     * Opens a connection pool; the caller closes it.
     *
     * @param config server address, credentials, timeouts and pool size
     */
    public static RedisConnection open(RedisConfig config) {
        return new RedisConnection(config, false);
    }

    /**
     * Opens a connection pool that closes itself when the last store created on it is closed (for
     * dependency injection, where no one else owns it).
     *
     * @param config server address, credentials, timeouts and pool size
     */
    public static RedisConnection openShared(RedisConfig config) {
        return new RedisConnection(config, true);
    }

    /** @return the settings it was opened with */
    public RedisConfig config() {
        return config;
    }

    /** Sends {@code PING}. @throws dev.memlayer.api.StoreException when the server is unreachable */
    public void ping() {
        executor().call("PING", true, RedisClient::ping);
    }

    RedisExecutor executor() {
        if (closed) {
            throw new IllegalStateException("this RedisConnection is closed");
        }
        return executor;
    }

    void retain() {
        users.incrementAndGet();
    }

    void release() {
        if (users.decrementAndGet() == 0 && closeWhenUnused) {
            close();
        }
    }

    /** Closes the pool and its connections. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            executor.close();
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}

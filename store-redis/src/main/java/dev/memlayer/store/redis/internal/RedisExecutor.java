package dev.memlayer.store.redis.internal;

import dev.memlayer.api.MemoryException;
import dev.memlayer.api.StoreException;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs Redis calls and turns Jedis failures into {@link StoreException}s: connection problems and
 * timeouts are retryable, errors the server answered with are not. After a connection failure the
 * pool's idle connections are discarded, so the next call dials afresh and the client recovers by
 * itself once the server is back; reads and idempotent writes that failed on a broken (not a
 * timed-out) connection are retried once at once, since the pool may have handed out a connection
 * the server closed while it was idle.
 */
public final class RedisExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisExecutor.class);

    private final RedisClient client;
    private final String endpoint;

    /**
     * @param client   the pooled client
     * @param endpoint the server, for error messages (no password)
     */
    public RedisExecutor(RedisClient client, String endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    /** @return the underlying client */
    public RedisClient client() {
        return client;
    }

    /**
     * Runs a call.
     *
     * @param what       what is being done, for the error message
     * @param idempotent whether running it twice is harmless (then a connection failure is retried
     *                   once)
     * @param call       the call
     * @return its result
     * @throws StoreException when Redis fails
     */
    public <T> T call(String what, boolean idempotent, Function<RedisClient, T> call) {
        try {
            return call.apply(client);
        } catch (JedisConnectionException e) {
            discardIdleConnections();
            if (idempotent && !timedOut(e)) {
                LOG.debug("Redis connection failed during {}; retrying once on a fresh connection", what, e);
                try {
                    return call.apply(client);
                } catch (JedisException again) {
                    throw translate(what, again);
                }
            }
            throw translate(what, e);
        } catch (JedisException e) {
            throw translate(what, e);
        }
    }

    /**
     * Runs a pipeline: {@code body} queues commands, the pipeline is synced, and {@code result}
     * reads the responses.
     */
    public <T> T pipelined(String what, boolean idempotent, Function<AbstractPipeline, java.util.function.Supplier<T>> body) {
        return call(what, idempotent, c -> {
            java.util.function.Supplier<T> result;
            try (AbstractPipeline p = c.pipelined()) {
                result = body.apply(p);
                p.sync();
            }
            return result.get();
        });
    }

    /**
     * Runs a script by SHA-1, loading it with {@code EVAL} when the server does not know it (first
     * use, or after a restart or {@code SCRIPT FLUSH}).
     */
    public Object eval(String what, boolean idempotent, Scripts.Script script, List<byte[]> keys, List<byte[]> args) {
        return call(what, idempotent, c -> {
            try {
                return c.evalsha(script.sha(), keys, args);
            } catch (JedisNoScriptException e) {
                return c.eval(script.source(), keys, args);
            }
        });
    }

    /** @return whether the failure was a read or connect timeout (a retry would wait as long again) */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Forgets idle pooled connections (they are probably broken too). */
    public void discardIdleConnections() {
        try {
            client.getPool().clear();
        } catch (RuntimeException e) {
            LOG.debug("clearing the Redis connection pool failed", e);
        }
    }

    /** @return the memlayer exception for a Jedis failure */
    public StoreException translate(String what, RuntimeException e) {
        if (e instanceof StoreException se) {
            return se;
        }
        boolean retryable = e instanceof JedisConnectionException || !(e instanceof JedisDataException);
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String hint = retryable
                ? "; check that Redis is running at " + endpoint + " (retrying later may help)"
                : "; the server rejected the command";
        return new StoreException("Redis " + what + " failed: " + cause + hint, retryable, e);
    }

    /** Re-throws memlayer exceptions, wraps anything else. */
    public static RuntimeException rethrow(RuntimeException e) {
        return e instanceof MemoryException ? e : new StoreException("Redis store failed: " + e, false, e);
    }

    @Override
    public void close() {
        client.close();
    }
}

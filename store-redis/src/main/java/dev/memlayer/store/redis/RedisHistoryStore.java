package dev.memlayer.store.redis;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.Role;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.store.redis.internal.Instants;
import dev.memlayer.store.redis.internal.JsonValues;
import dev.memlayer.store.redis.internal.Keys;
import dev.memlayer.store.redis.internal.RedisExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link HistoryStore} on Redis: one list per memory ({@code P:h:{memoryId}}) of JSON entries in
 * append order, plus a set of the memory ids that have history ({@code P:h:{g}:ids}) so
 * {@link #reset()} never needs {@code KEYS}.
 *
 * <p>{@link #append} validates every entry first and writes them in one {@code MULTI}/{@code EXEC}
 * transaction (one {@code RPUSH} per memory): all or nothing, each memory's entries contiguous and
 * in order even with concurrent appenders. Failures surface as {@link StoreException}. Thread-safe.
 */
public final class RedisHistoryStore implements HistoryStore {

    private final RedisConnection connection;
    private final boolean ownsConnection;
    private final RedisExecutor redis;
    private final Keys keys;
    private volatile boolean closed;

    private RedisHistoryStore(RedisConfig config, RedisConnection connection, boolean ownsConnection) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.ownsConnection = ownsConnection;
        this.redis = connection.executor();
        this.keys = new Keys(config.keyPrefix());
        connection.retain();
    }

    /**
     * Creates a history store with its own connection pool, closed by {@link #close()}.
     *
     * @param config server and key prefix (the collection)
     */
    public static RedisHistoryStore create(RedisConfig config) {
        return new RedisHistoryStore(config, RedisConnection.open(config), true);
    }

    /**
     * Creates a history store on a shared connection pool, left open by {@link #close()} (unless it
     * was {@linkplain RedisConnection#openShared opened shared}).
     *
     * @param config     the key prefix (the collection)
     * @param connection the pool
     */
    public static RedisHistoryStore create(RedisConfig config, RedisConnection connection) {
        return new RedisHistoryStore(config, connection, false);
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) when an entry lacks its id,
     *                             memory id or event, or has event NONE; nothing is written
     */
    @Override
    public void append(List<HistoryEntry> entries) {
        ensureOpen();
        if (entries.isEmpty()) {
            return;
        }
        Map<String, List<byte[]>> byMemory = new LinkedHashMap<>();
        for (HistoryEntry e : entries) {
            if (e == null || e.id() == null || e.memoryId() == null || e.event() == null || e.event() == EventType.NONE
                    || e.createdAt() == null || e.updatedAt() == null) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "A history entry needs an id, a memory id, "
                        + "an event ADD, UPDATE or DELETE and both timestamps; got " + e + ". Nothing was written.");
            }
            byMemory.computeIfAbsent(e.memoryId(), k -> new ArrayList<>()).add(encode(e));
        }
        redis.call("history append", false, c -> {
            try (AbstractTransaction tx = c.multi()) {
                for (Map.Entry<String, List<byte[]>> m : byMemory.entrySet()) {
                    tx.rpush(keys.history(m.getKey()), m.getValue().toArray(new byte[0][]));
                }
                tx.sadd(keys.historyIndex(), byMemory.keySet().stream().map(RedisHistoryStore::bytes).toArray(byte[][]::new));
                List<Object> results = tx.exec();
                if (results == null) {
                    throw new StoreException("Redis history append was aborted", true, null);
                }
                for (Object r : results) {
                    if (r instanceof RuntimeException failure) {
                        throw failure;
                    }
                }
                return null;
            }
        });
    }

    @Override
    public List<HistoryEntry> history(String memoryId) {
        ensureOpen();
        List<byte[]> raw = redis.call("history read", true, c -> c.lrange(keys.history(memoryId), 0, -1));
        List<HistoryEntry> out = new ArrayList<>(raw.size());
        for (byte[] json : raw) {
            out.add(decode(json));
        }
        return out;
    }

    @Override
    public void deleteAll(Collection<String> memoryIds) {
        ensureOpen();
        if (memoryIds.isEmpty()) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>(memoryIds);
        byte[][] listKeys = ids.stream().map(keys::history).toArray(byte[][]::new);
        byte[][] members = ids.stream().map(RedisHistoryStore::bytes).toArray(byte[][]::new);
        redis.call("history delete", true, c -> {
            try (AbstractTransaction tx = c.multi()) {
                tx.unlink(listKeys);
                tx.srem(keys.historyIndex(), members);
                tx.exec();
                return null;
            }
        });
    }

    /** Removes all history of this collection, going through the index set (never {@code KEYS}). */
    @Override
    public void reset() {
        ensureOpen();
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        ScanParams params = new ScanParams().count(500);
        do {
            byte[] at = cursor;
            ScanResult<byte[]> page = redis.call("history reset", true, c -> c.sscan(keys.historyIndex(), at, params));
            List<byte[]> ids = page.getResult();
            if (!ids.isEmpty()) {
                byte[][] listKeys = ids.stream().map(b -> keys.history(new String(b, StandardCharsets.UTF_8)))
                        .toArray(byte[][]::new);
                redis.call("history reset", true, c -> c.unlink(listKeys));
            }
            cursor = page.getCursorAsBytes();
        } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        redis.call("history reset", true, c -> c.unlink(keys.historyIndex()));
    }

    /** Closes the connection pool if this store opened it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsConnection) {
            connection.close();
        } else {
            connection.release();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this RedisHistoryStore is closed");
        }
    }

    private static byte[] encode(HistoryEntry e) {
        return JsonValues.write(g -> {
            g.writeStartObject();
            g.writeStringField("id", e.id());
            g.writeStringField("memory_id", e.memoryId());
            g.writeStringField("old_memory", e.oldMemory());
            g.writeStringField("new_memory", e.newMemory());
            g.writeStringField("event", e.event().name());
            g.writeStringField("created_at", e.createdAt().toString());
            g.writeStringField("updated_at", e.updatedAt().toString());
            g.writeBooleanField("is_deleted", e.isDeleted());
            g.writeStringField("actor_id", e.actorId());
            g.writeStringField("role", e.role() == null ? null : e.role().wireName());
            g.writeEndObject();
        });
    }

    private static HistoryEntry decode(byte[] json) {
        Map<String, Object> m;
        try {
            m = JsonValues.parseObject(json);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("A stored history entry is not readable: " + e.getMessage(), false, e);
        }
        String role = (String) m.get("role");
        return new HistoryEntry((String) m.get("id"), (String) m.get("memory_id"), (String) m.get("old_memory"),
                (String) m.get("new_memory"), EventType.valueOf((String) m.get("event")),
                Instants.parse((String) m.get("created_at")), Instants.parse((String) m.get("updated_at")),
                Boolean.TRUE.equals(m.get("is_deleted")), (String) m.get("actor_id"),
                role == null ? null : Role.fromWireName(role));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

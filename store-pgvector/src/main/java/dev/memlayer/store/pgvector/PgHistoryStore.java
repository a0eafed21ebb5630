package dev.memlayer.store.pgvector;

import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.Role;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.store.pgvector.internal.PgBinder;
import dev.memlayer.store.pgvector.internal.PgClient;
import dev.memlayer.store.pgvector.internal.PgSchema;
import dev.memlayer.store.pgvector.internal.PgTime;
import dev.memlayer.store.pgvector.internal.SqlFragment;
import dev.memlayer.store.pgvector.internal.TextChecks;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit history (SPEC §5) in PostgreSQL: the table {@code <table>_history} with an identity
 * column {@code seq} that records the order of appends, so {@link #history} returns entries in the
 * order they happened. Timestamps keep full nanosecond precision. Thread-safe. Get one sharing a
 * vector store's pool with {@link PgVectorStore#historyStore()}, or standalone with
 * {@link #create(PgVectorConfig)}.
 */
public final class PgHistoryStore implements HistoryStore {

    private static final int INSERT_CHUNK = 1000;
    private static final String COLUMNS = "id, memory_id, old_memory, new_memory, event, created_at, created_at_ns,"
            + " updated_at, updated_at_ns, is_deleted, actor_id, role";

    private final PgClient client;
    private final String table;
    private final AtomicBoolean closed = new AtomicBoolean();

    PgHistoryStore(PgClient client, PgSchema schema) {
        this.client = client;
        this.table = schema.historyTable();
    }

    /**
     * A history store with its own connection pool; creates the history table if needed.
     *
     * @param config the configuration (the dimension is not needed)
     * @throws dev.memlayer.api.StoreException when the server is unreachable
     */
    public static PgHistoryStore create(PgVectorConfig config) {
        PgClient client = PgClient.open(config);
        try {
            PgSchema schema = new PgSchema(config);
            client.withHandle("history schema migration", h -> {
                schema.migrateHistory(h);
                return null;
            });
            return new PgHistoryStore(client, schema);
        } catch (RuntimeException e) {
            client.release();
            throw e;
        }
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for text PostgreSQL cannot
     *                             hold (NUL) or an event of NONE; nothing is written
     */
    @Override
    public void append(List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (HistoryEntry e : entries) {
            rows.add(row(e));
        }
        open().write("history append", h -> {
            for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
                List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
                StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(COLUMNS)
                        .append(") VALUES ");
                List<Object> params = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "" : ", ")
                            .append("(?, ?, ?, ?, ?, ?::timestamptz, ?::smallint, ?::timestamptz, ?::smallint, ?, ?, ?)");
                    params.addAll(Arrays.asList(chunk.get(i)));
                }
                PgBinder.bindAll(h.createUpdate(sql.toString()), params).execute();
            }
            return null;
        });
    }

    private static Object[] row(HistoryEntry e) {
        if (e.id() == null || e.memoryId() == null || e.event() == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "a history entry needs an id, a memory id and an event");
        }
        if (e.event() == EventType.NONE) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "history never records NONE events");
        }
        TextChecks.requireStorable("history id", e.id());
        TextChecks.requireStorable("history memory_id", e.memoryId());
        TextChecks.requireStorable("history old_memory", e.oldMemory());
        TextChecks.requireStorable("history new_memory", e.newMemory());
        TextChecks.requireStorable("history actor_id", e.actorId());
        if (e.createdAt() != null) {
            PgTime.requireStorable("history created_at", e.createdAt());
        }
        if (e.updatedAt() != null) {
            PgTime.requireStorable("history updated_at", e.updatedAt());
        }
        return new Object[] {
            e.id(), e.memoryId(), e.oldMemory(), e.newMemory(), e.event().name(),
            e.createdAt() == null ? null : PgTime.micros(e.createdAt()),
            e.createdAt() == null ? (short) 0 : PgTime.nanos(e.createdAt()),
            e.updatedAt() == null ? null : PgTime.micros(e.updatedAt()),
            e.updatedAt() == null ? (short) 0 : PgTime.nanos(e.updatedAt()),
            e.isDeleted(), e.actorId(), e.role() == null ? null : e.role().wireName()
        };
    }

    @Override
    public List<HistoryEntry> history(String memoryId) {
        if (memoryId == null || !TextChecks.storable(memoryId)) {
            return List.of();
        }
        return open().read("history", h -> h.createQuery("SELECT " + COLUMNS + " FROM " + table
                        + " WHERE memory_id = ? ORDER BY seq")
                .bind(0, memoryId)
                .map((rs, ctx) -> {
                    String role = rs.getString("role");
                    return new HistoryEntry(rs.getString("id"), rs.getString("memory_id"), rs.getString("old_memory"),
                            rs.getString("new_memory"), EventType.valueOf(rs.getString("event")),
                            instant(rs.getObject("created_at", OffsetDateTime.class), rs.getShort("created_at_ns")),
                            instant(rs.getObject("updated_at", OffsetDateTime.class), rs.getShort("updated_at_ns")),
                            rs.getBoolean("is_deleted"), rs.getString("actor_id"),
                            role == null ? null : Role.fromWireName(role));
                })
                .list());
    }

    private static Instant instant(OffsetDateTime micros, short nanos) {
        return micros == null ? null : PgTime.instant(micros, nanos);
    }

    @Override
    public void deleteAll(Collection<String> memoryIds) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : memoryIds) {
            if (id != null && TextChecks.storable(id)) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        open().write("history deleteAll", h -> PgBinder.bindAll(
                h.createUpdate("DELETE FROM " + table + " WHERE memory_id = ANY(?::text[])"),
                List.of(new SqlFragment.TextArray(ids.toArray(String[]::new)))).execute());
    }

    @Override
    public void reset() {
        open().write("history reset", h -> h.execute("TRUNCATE " + table));
    }

    private PgClient open() {
        if (closed.get()) {
            throw new IllegalStateException("this " + getClass().getSimpleName() + " is closed");
        }
        return client;
    }

    /** Releases this store's hold on the connection pool. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.release();
        }
    }
}

package dev.memlayer.store.pgvector.internal;

import com.pgvector.PGvector;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The memories table's columns, the mapping of rows to {@link MemoryRecord}s and the validation of
 * records before they are written.
 */
public final class RecordRows {

    /** Every column in table order, as written by inserts and COPY. */
    public static final List<String> COLUMNS = List.of("id", "memory", "hash", "user_id", "agent_id", "run_id",
            "actor_id", "role", "memory_type", "immutable", "created_at", "created_at_ns", "updated_at",
            "updated_at_ns", "expiration_date", "categories", "metadata", "embedding");

    /**
     * The columns a write sends: {@link #COLUMNS} plus two store-internal ones:
     * {@code memory_lower} ({@code memory.toLowerCase(Locale.ROOT)}, computed here so that
     * ICONTAINS on the memory text is exactly the reference's) and {@code indexed} (whether the row
     * is in the partial HNSW index).
     */
    public static final List<String> WRITE_COLUMNS = java.util.stream.Stream.concat(COLUMNS.stream(),
            java.util.stream.Stream.of("memory_lower", "indexed")).toList();

    /** The select list without the embedding. */
    public static final String SELECT = select("", false);

    /** The select list with the embedding as text. */
    public static final String SELECT_WITH_EMBEDDING = select("", true);

    /**
     * @param prefix    a table alias with its dot ({@code "t."}), or empty
     * @param embedding whether to include the embedding (as text)
     * @return the select list of a record, with the labels {@link #map} reads
     */
    public static String select(String prefix, boolean embedding) {
        StringBuilder b = new StringBuilder();
        for (String c : COLUMNS) {
            switch (c) {
                case "metadata" -> b.append(prefix).append("metadata::text AS metadata, ");
                case "embedding" -> {
                    if (embedding) {
                        b.append(prefix).append("embedding::text AS embedding, ");
                    }
                }
                default -> b.append(prefix).append(c).append(", ");
            }
        }
        return b.substring(0, b.length() - 2);
    }

    /** Maps rows of {@link #SELECT}; the embedding is null. */
    public static final RowMapper<MemoryRecord> MAPPER = (rs, ctx) -> map(rs, false);

    /** Maps rows of {@link #SELECT_WITH_EMBEDDING}. */
    public static final RowMapper<MemoryRecord> MAPPER_WITH_EMBEDDING = (rs, ctx) -> map(rs, true);

    private RecordRows() {
    }

    /** Maps the current row. */
    public static MemoryRecord map(ResultSet rs, boolean withEmbedding) throws SQLException {
        float[] embedding = null;
        if (withEmbedding) {
            String text = rs.getString("embedding");
            embedding = text == null ? null : new PGvector(text).toArray();
        }
        String role = rs.getString("role");
        String type = rs.getString("memory_type");
        Array categories = rs.getArray("categories");
        List<String> cats = categories == null ? List.of() : Arrays.asList((String[]) categories.getArray());
        return new MemoryRecord(
                rs.getString("id"),
                rs.getString("memory"),
                rs.getString("hash"),
                embedding,
                MetadataJson.read(rs.getString("metadata")),
                cats,
                PgTime.instant(rs.getObject("created_at", OffsetDateTime.class), rs.getShort("created_at_ns")),
                PgTime.instant(rs.getObject("updated_at", OffsetDateTime.class), rs.getShort("updated_at_ns")),
                rs.getString("user_id"),
                rs.getString("agent_id"),
                rs.getString("run_id"),
                rs.getString("actor_id"),
                role == null ? null : Role.fromWireName(role),
                type == null ? null : MemoryType.fromWireName(type),
                rs.getBoolean("immutable"),
                rs.getObject("expiration_date", LocalDate.class));
    }

    /**
     * A record checked and converted to column values, in {@link #WRITE_COLUMNS} order.
     *
     * @param values the column values (categories as String[], metadata as
     *               {@link BinaryCopy.Jsonb}, embedding as float[])
     */
    public record Row(String id, Object[] values) {
    }

    /**
     * Validates records and converts them to rows; a later record with the same id replaces an
     * earlier one (upsert semantics), keeping the position of the first.
     *
     * @param dimensions the store's dimension
     * @param indexed    the value of the {@code indexed} column (false: the background indexer adds
     *                   the row to the HNSW index later)
     * @throws ValidationException ({@link ErrorCode#DIMENSION_MISMATCH}) for a wrong embedding
     *                             length, ({@link ErrorCode#INVALID_ARGUMENT}) for values
     *                             PostgreSQL cannot store (NUL, non-finite numbers, years outside
     *                             1-9999, a missing embedding)
     */
    public static List<Row> rows(Collection<MemoryRecord> records, int dimensions, boolean indexed) {
        Map<String, Row> byId = new LinkedHashMap<>();
        for (MemoryRecord r : records) {
            Row row = row(r, dimensions, indexed);
            byId.put(row.id(), row);
        }
        return new ArrayList<>(byId.values());
    }

    private static Row row(MemoryRecord r, int dimensions, boolean indexed) {
        float[] e = r.embedding();
        if (e == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "record " + r.id() + " has no embedding");
        }
        if (e.length != dimensions) {
            throw new ValidationException(ErrorCode.DIMENSION_MISMATCH, "record " + r.id() + " has an embedding of "
                    + e.length + " dimensions but the store holds " + dimensions);
        }
        for (float f : e) {
            if (Float.isNaN(f) || Float.isInfinite(f)) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "record " + r.id()
                        + " has a non-finite value in its embedding");
            }
        }
        TextChecks.requireStorable("id", r.id());
        TextChecks.requireStorable("memory of " + r.id(), r.memory());
        TextChecks.requireStorable("hash of " + r.id(), r.hash());
        TextChecks.requireStorable("user_id", r.userId());
        TextChecks.requireStorable("agent_id", r.agentId());
        TextChecks.requireStorable("run_id", r.runId());
        TextChecks.requireStorable("actor_id", r.actorId());
        for (String c : r.categories()) {
            TextChecks.requireStorable("category of " + r.id(), c);
        }
        PgTime.requireStorable("created_at of " + r.id(), r.createdAt());
        PgTime.requireStorable("updated_at of " + r.id(), r.updatedAt());
        PgTime.requireStorable("expiration_date of " + r.id(), r.expirationDate());
        String metadata = MetadataJson.write(r.metadata());
        Object[] v = {
            r.id(), r.memory(), r.hash(), r.userId(), r.agentId(), r.runId(), r.actorId(),
            r.role() == null ? null : r.role().wireName(),
            r.memoryType() == null ? null : r.memoryType().wireName(),
            r.immutable(),
            PgTime.micros(r.createdAt()), PgTime.nanos(r.createdAt()),
            PgTime.micros(r.updatedAt()), PgTime.nanos(r.updatedAt()),
            r.expirationDate(),
            r.categories().toArray(String[]::new),
            new BinaryCopy.Jsonb(metadata),
            e,
            FilterEvaluator.lower(r.memory()),
            indexed
        };
        return new Row(r.id(), v);
    }
}

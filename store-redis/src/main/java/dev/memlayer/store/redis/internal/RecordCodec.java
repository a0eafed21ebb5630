package dev.memlayer.store.redis.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.spi.MemoryRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link MemoryRecord} as its Redis hash ({@code P:m:{id}}), four fields:
 * <ul>
 *   <li>{@code doc}: every field but the embedding as one JSON object, with the field names of
 *       Mem0's wire format ({@code id}, {@code memory}, {@code hash}, {@code metadata},
 *       {@code categories}, {@code created_at}, {@code updated_at} as ISO-8601 with nanoseconds,
 *       {@code user_id}, {@code agent_id}, {@code run_id}, {@code actor_id}, {@code role},
 *       {@code memory_type}, {@code immutable}, {@code expiration_date}; nulls left out);</li>
 *   <li>{@code vec}: the embedding as little-endian float32;</li>
 *   <li>{@code sk}: the list sort key ({@link Keys#sortKey});</li>
 *   <li>{@code tags}: the entity tags it is indexed under, newline-separated (ids never contain
 *       whitespace), so a rewrite or delete finds the vector sets and indexes to leave.</li>
 * </ul>
 * Few fields keep the write script short: the whole record is one argument.
 */
public final class RecordCodec {

    public static final String DOC = "doc";
    public static final String VEC = "vec";
    public static final String SORT_KEY = "sk";
    public static final String TAGS = "tags";

    /** The hash fields to read for a record without its embedding. */
    public static final byte[][] READ_WITHOUT_EMBEDDING = {ascii(DOC)};
    /** The hash fields to read for a record with its embedding. */
    public static final byte[][] READ_WITH_EMBEDDING = {ascii(DOC), ascii(VEC)};

    private RecordCodec() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the entity tags of a record, newline-separated */
    public static String tags(MemoryRecord r) {
        return String.join("\n", Keys.tags(r));
    }

    /** @return the {@code doc} JSON of a record */
    public static byte[] document(MemoryRecord r) {
        return JsonValues.write(g -> {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("memory", r.memory());
            optional(g, "hash", r.hash());
            g.writeFieldName("metadata");
            JsonValues.writeValue(g, r.metadata());
            g.writeFieldName("categories");
            JsonValues.writeValue(g, r.categories());
            g.writeStringField("created_at", r.createdAt().toString());
            g.writeStringField("updated_at", r.updatedAt().toString());
            optional(g, "user_id", r.userId());
            optional(g, "agent_id", r.agentId());
            optional(g, "run_id", r.runId());
            optional(g, "actor_id", r.actorId());
            optional(g, "role", r.role() == null ? null : r.role().wireName());
            optional(g, "memory_type", r.memoryType() == null ? null : r.memoryType().wireName());
            g.writeBooleanField("immutable", r.immutable());
            optional(g, "expiration_date", r.expirationDate() == null ? null : r.expirationDate().toString());
            g.writeEndObject();
        });
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /**
     * Decodes the values of an {@code HMGET} of {@link #READ_WITH_EMBEDDING} or
     * {@link #READ_WITHOUT_EMBEDDING}.
     *
     * @return the record, or null when the hash does not exist
     * @throws StoreException when the stored document is not readable
     */
    public static MemoryRecord decode(List<byte[]> values) {
        if (values == null || values.isEmpty() || values.get(0) == null) {
            return null;
        }
        MemoryRecord.Builder b = parse(values.get(0));
        if (values.size() > 1 && values.get(1) != null) {
            b.embedding(VsetEncoding.fromFp32(values.get(1)));
        }
        return b.build();
    }

    private static MemoryRecord.Builder parse(byte[] doc) {
        MemoryRecord.Builder b = MemoryRecord.builder();
        try (JsonParser p = JsonValues.parser(doc)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "id" -> b.id(p.getText());
                    case "memory" -> b.memory(p.getText());
                    case "hash" -> b.hash(p.getText());
                    case "metadata" -> b.metadata(metadata(JsonValues.readValue(p)));
                    case "categories" -> b.categories(strings(JsonValues.readValue(p)));
                    case "created_at" -> b.createdAt(Instants.parse(p.getText()));
                    case "updated_at" -> b.updatedAt(Instants.parse(p.getText()));
                    case "user_id" -> b.userId(p.getText());
                    case "agent_id" -> b.agentId(p.getText());
                    case "run_id" -> b.runId(p.getText());
                    case "actor_id" -> b.actorId(p.getText());
                    case "role" -> b.role(Role.fromWireName(p.getText()));
                    case "memory_type" -> b.memoryType(MemoryType.fromWireName(p.getText()));
                    case "immutable" -> b.immutable(p.currentToken() == JsonToken.VALUE_TRUE);
                    case "expiration_date" -> b.expirationDate(LocalDate.parse(p.getText()));
                    default -> p.skipChildren(); // a field of a later layout version
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new StoreException("A stored memory is not readable (" + e.getMessage() + "); was the key prefix "
                    + "used by something else?", false, e);
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Object v) throws IOException {
        if (!(v instanceof Map<?, ?>)) {
            throw new IOException("metadata is not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static List<String> strings(Object v) throws IOException {
        if (!(v instanceof List<?> list)) {
            throw new IOException("categories is not a JSON array");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add((String) o);
        }
        return out;
    }
}

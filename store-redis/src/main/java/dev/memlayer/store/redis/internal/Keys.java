package dev.memlayer.store.redis.internal;

import dev.memlayer.api.EntityType;
import dev.memlayer.api.Scope;
import dev.memlayer.api.spi.MemoryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The key layout of one collection (one key prefix {@code P}). Written once here and mirrored by
 * the Lua scripts in {@link Scripts}, which build the same keys from the prefix.
 *
 * <pre>
 * P:m:{id}          HASH  one memory: doc (JSON), vec (FP32), sk (sort key), tags (its entities)
 * P:{t}:v           VSET  the vectors of entity t, element = memory id, attributes for FILTER
 * P:{t}:p           HASH  pending vectors of entity t: memory id to its attributes, for the
 *                         memories whose vector is not in P:{t}:v yet
 * P:{t}:z           ZSET  the members (sort key + id, score 0) of entity t, in list order
 * P:{t}:lock        STR   the cross-process scope lock of entity t
 * P:{g}:z           ZSET  every memory of the collection (sort key + id)
 * P:{g}:e           SET   every entity tag that has memories
 * P:{g}:meta        HASH  dimensions and quantisation the collection was created with
 * P:{g}:q           ZSET  entity tags with pending vectors, scored by how many
 * P:{g}:pn          STR   the number of pending vectors of the collection
 * P:h:{memoryId}    LIST  the history of one memory (JSON entries, append order)
 * P:h:{g}:ids       SET   memory ids that have history
 * </pre>
 *
 * An entity tag {@code t} is {@code u:<user_id>}, {@code a:<agent_id>}, {@code r:<run_id>}, or
 * {@code _} for memories without any scope id. The braces are Redis Cluster hash tags: every key
 * of one entity hashes to one slot.
 */
public final class Keys {

    /** The tag of memories without user, agent or run id. */
    public static final String NO_SCOPE_TAG = "_";

    private static final HexFormat HEX = HexFormat.of();

    private final String prefix;

    /** @param prefix the collection's key prefix */
    public Keys(String prefix) {
        this.prefix = prefix;
    }

    /** @return the key prefix */
    public String prefix() {
        return prefix;
    }

    public byte[] record(String id) {
        return bytes(prefix + ":m:{" + id + "}");
    }

    public byte[] vectorSet(String tag) {
        return bytes(prefix + ":{" + tag + "}:v");
    }

    public byte[] pending(String tag) {
        return bytes(prefix + ":{" + tag + "}:p");
    }

    public byte[] pendingQueue() {
        return bytes(prefix + ":{g}:q");
    }

    public byte[] pendingTotal() {
        return bytes(prefix + ":{g}:pn");
    }

    public byte[] entityIndex(String tag) {
        return bytes(prefix + ":{" + tag + "}:z");
    }

    public byte[] lock(String tag) {
        return bytes(prefix + ":{" + tag + "}:lock");
    }

    public byte[] allIndex() {
        return bytes(prefix + ":{g}:z");
    }

    public byte[] registry() {
        return bytes(prefix + ":{g}:e");
    }

    public byte[] meta() {
        return bytes(prefix + ":{g}:meta");
    }

    public byte[] history(String memoryId) {
        return bytes(prefix + ":h:{" + memoryId + "}");
    }

    public byte[] historyIndex() {
        return bytes(prefix + ":h:{g}:ids");
    }

    /** @return the tag of one entity, e.g. {@code u:alex} */
    public static String tag(EntityType type, String id) {
        return switch (type) {
            case USER -> "u:" + id;
            case AGENT -> "a:" + id;
            case RUN -> "r:" + id;
        };
    }

    /** @return the tag of a scope field ({@code user_id}, {@code agent_id}, {@code run_id}) and id */
    public static String tag(String scopeField, String id) {
        return switch (scopeField) {
            case "user_id" -> "u:" + id;
            case "agent_id" -> "a:" + id;
            case "run_id" -> "r:" + id;
            default -> throw new IllegalArgumentException("not a scope field: " + scopeField);
        };
    }

    /** @return the entity type of a tag, or null for {@link #NO_SCOPE_TAG} */
    public static EntityType typeOf(String tag) {
        return switch (tag.charAt(0)) {
            case 'u' -> EntityType.USER;
            case 'a' -> EntityType.AGENT;
            case 'r' -> EntityType.RUN;
            default -> null;
        };
    }

    /** @return the id part of a tag */
    public static String idOf(String tag) {
        return tag.length() > 2 ? tag.substring(2) : "";
    }

    /** @return the tags of every id of the scope, or {@link #NO_SCOPE_TAG} when it has none */
    public static List<String> tags(Scope scope) {
        List<String> out = new ArrayList<>(3);
        if (scope.userId() != null) {
            out.add("u:" + scope.userId());
        }
        if (scope.agentId() != null) {
            out.add("a:" + scope.agentId());
        }
        if (scope.runId() != null) {
            out.add("r:" + scope.runId());
        }
        if (out.isEmpty()) {
            out.add(NO_SCOPE_TAG);
        }
        return out;
    }

    /** @return the tags a record is indexed under */
    public static List<String> tags(MemoryRecord r) {
        List<String> out = new ArrayList<>(3);
        if (r.userId() != null) {
            out.add("u:" + r.userId());
        }
        if (r.agentId() != null) {
            out.add("a:" + r.agentId());
        }
        if (r.runId() != null) {
            out.add("r:" + r.runId());
        }
        if (out.isEmpty()) {
            out.add(NO_SCOPE_TAG);
        }
        return out;
    }

    /**
     * The sort key of a {@code created_at}: 24 hex digits whose byte order is {@code created_at}
     * descending (16 for the inverted, sign-flipped epoch second, 8 for the inverted nanosecond).
     * Index members are the sort key followed by the id, so a ZSET with all scores 0 lists them
     * by created_at descending, then id ascending (byte order), which is the order of
     * {@link dev.memlayer.api.spi.VectorStore#list}.
     */
    public static String sortKey(Instant createdAt) {
        long seconds = ~(createdAt.getEpochSecond() ^ Long.MIN_VALUE);
        int nanos = 999_999_999 - createdAt.getNano();
        return HEX.toHexDigits(seconds) + HEX.toHexDigits(nanos);
    }

    /** Length of {@link #sortKey} in characters (and bytes). */
    public static final int SORT_KEY_LENGTH = 24;

    /** @return the created_at encoded in a sort key */
    public static Instant createdAtOf(String sortKey) {
        long seconds = ~HEX.fromHexDigitsToLong(sortKey, 0, 16) ^ Long.MIN_VALUE;
        int nanos = 999_999_999 - HEX.fromHexDigits(sortKey, 16, 24);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** @return the id part of an index member (sort key + id) */
    public static String idOfMember(byte[] member) {
        return new String(member, SORT_KEY_LENGTH, member.length - SORT_KEY_LENGTH, StandardCharsets.UTF_8);
    }

    /** @return the sort key part of an index member */
    public static String sortKeyOfMember(byte[] member) {
        return new String(member, 0, SORT_KEY_LENGTH, StandardCharsets.US_ASCII);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

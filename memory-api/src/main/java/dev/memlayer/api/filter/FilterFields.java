package dev.memlayer.api.filter;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field names a filter may use (SPEC §4) and their canonical form.
 *
 * <p>Reserved fields keep their names: {@code id}, {@code user_id}, {@code agent_id}, {@code run_id},
 * {@code actor_id}, {@code role}, {@code created_at}, {@code updated_at}, {@code categories},
 * {@code memory}, {@code hash}, {@code memory_type}, {@code expiration_date}, {@code immutable}.
 * Every other name is a metadata key, canonically written {@code metadata.<key>}; a dotted key
 * ({@code metadata.trip.city}) is a path into nested metadata objects. The shortcut
 * {@code keywords} is not a field: the JSON parser turns it into {@code memory icontains}.
 */
public final class FilterFields {

    /** The memory's id. */
    public static final String ID = "id";
    public static final String USER_ID = "user_id";
    public static final String AGENT_ID = "agent_id";
    public static final String RUN_ID = "run_id";
    public static final String ACTOR_ID = "actor_id";
    public static final String ROLE = "role";
    /** An instant; filter values are ISO dates, ISO date-times or epoch seconds. */
    public static final String CREATED_AT = "created_at";
    /** An instant; filter values are ISO dates, ISO date-times or epoch seconds. */
    public static final String UPDATED_AT = "updated_at";
    /** A list of strings. */
    public static final String CATEGORIES = "categories";
    /** The memory's text. */
    public static final String MEMORY = "memory";
    /** MD5 hex of the memory's UTF-8 text. */
    public static final String HASH = "hash";
    public static final String MEMORY_TYPE = "memory_type";
    /** An ISO date string ({@code 2024-07-31}), compared as a string. */
    public static final String EXPIRATION_DATE = "expiration_date";
    /** A boolean. */
    public static final String IMMUTABLE = "immutable";
    /** The prefix of canonical metadata field names. */
    public static final String METADATA_PREFIX = "metadata.";

    /** Every reserved field name. */
    public static final Set<String> RESERVED = Set.of(ID, USER_ID, AGENT_ID, RUN_ID, ACTOR_ID, ROLE,
            CREATED_AT, UPDATED_AT, CATEGORIES, MEMORY, HASH, MEMORY_TYPE, EXPIRATION_DATE, IMMUTABLE);

    /** Identity keys that metadata may never set (SPEC §1). */
    public static final Set<String> IDENTITY_KEYS = Set.of(USER_ID, AGENT_ID, RUN_ID, ACTOR_ID, ROLE);

    /** Reserved fields whose values are strings. */
    public static final Set<String> STRING_FIELDS = Set.of(ID, USER_ID, AGENT_ID, RUN_ID, ACTOR_ID, ROLE,
            MEMORY, HASH, MEMORY_TYPE, EXPIRATION_DATE);

    private FilterFields() {
    }

    /**
     * Canonicalises a field name: reserved names stay, {@code metadata.k} stays, any other name
     * {@code k} becomes {@code metadata.k}.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_FILTER}) for a null or blank name, or
     *                             a metadata path with an empty segment
     */
    public static String canonical(String field) {
        if (field == null || field.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "A filter field name must not be empty");
        }
        if (RESERVED.contains(field)) {
            return field;
        }
        String path = field.startsWith(METADATA_PREFIX) ? field.substring(METADATA_PREFIX.length()) : field;
        if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new ValidationException(ErrorCode.INVALID_FILTER,
                    "Filter field '" + field + "' is not a valid metadata path; use key or key.nested");
        }
        return METADATA_PREFIX + path;
    }

    /** @return true if the canonical field is a metadata field */
    public static boolean isMetadata(String canonicalField) {
        return canonicalField.startsWith(METADATA_PREFIX);
    }

    /** @return true for {@code created_at} and {@code updated_at} */
    public static boolean isInstant(String canonicalField) {
        return CREATED_AT.equals(canonicalField) || UPDATED_AT.equals(canonicalField);
    }

    /**
     * @param canonicalField a canonical metadata field ({@code metadata.a.b})
     * @return its path segments ({@code [a, b]})
     */
    public static List<String> metadataPath(String canonicalField) {
        if (!isMetadata(canonicalField)) {
            throw new IllegalArgumentException("not a metadata field: " + canonicalField);
        }
        return List.of(canonicalField.substring(METADATA_PREFIX.length()).split("\\.", -1));
    }

    /**
     * Follows a metadata path through nested maps.
     *
     * @param metadata the metadata, may be null
     * @param path     the segments
     * @return the value (which may be null for a JSON null), or {@link #MISSING} when a segment is
     *         absent or a non-object is in the way
     */
    public static Object resolve(Map<String, ?> metadata, List<String> path) {
        Object current = metadata;
        for (String segment : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(segment)) {
                return MISSING;
            }
            current = map.get(segment);
        }
        return current;
    }

    /** Marks an absent field in {@link #resolve}. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };
}

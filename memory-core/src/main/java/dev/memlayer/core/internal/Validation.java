package dev.memlayer.core.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Message;
import dev.memlayer.api.Scope;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Operator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Input checks of SPEC §1, §2 and §6 shared by the engine's operations. Every failure is a
 * {@link ValidationException} with a stable code, thrown before anything is written.
 */
public final class Validation {

    private static final int MAX_DEPTH = 32;
    private static final Set<String> SCOPE_FIELDS = Set.of(FilterFields.USER_ID, FilterFields.AGENT_ID, FilterFields.RUN_ID);

    private Validation() {
    }

    /**
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) for an empty scope
     */
    public static Scope requireScope(Scope scope, String operation) {
        if (scope == null || scope.isEmpty()) {
            throw new ValidationException(ErrorCode.MISSING_SCOPE, operation
                    + " needs at least one of user_id, agent_id or run_id, e.g. Scope.user(\"alex\")");
        }
        return scope;
    }

    /**
     * Requires a scope, or a filter that confines the operation to named users, agents or runs
     * ({@link #constrainsScope}). A filter that merely mentions a scope field — under NOT, with
     * NE/NIN, as "exists" ({@code {"user_id": "*"}}) or in only one branch of an OR — could reach every
     * tenant's memories and is refused.
     *
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) when the scope is empty and the
     *                             filter does not constrain user_id, agent_id or run_id positively
     */
    public static void requireScopeOrFilter(Scope scope, Filter filter, String operation) {
        if ((scope == null || scope.isEmpty()) && !constrainsScope(filter)) {
            throw new ValidationException(ErrorCode.MISSING_SCOPE, operation
                    + " needs a scope (user_id, agent_id or run_id) or a filter that selects one with eq or in,"
                    + " e.g. {\"user_id\": \"alex\"} (a scope field under NOT, with ne/nin, as \"*\" or in only"
                    + " one branch of an OR does not count)"
                    + ("deleteAll".equals(operation) ? "; use reset() to delete everything" : ""));
        }
    }

    /**
     * Whether every record a filter matches has a user_id, agent_id or run_id from a list the filter
     * names: the filter has an EQ or IN comparison on one of those fields that is reachable from the
     * root through AND nodes, or through an OR each of whose branches has one. Comparisons under NOT,
     * other operators (NE, NIN, CONTAINS, ...) and EXISTS never count.
     *
     * @param filter a filter, may be null (false)
     * @return true if the filter confines matches to named scope ids
     */
    public static boolean constrainsScope(Filter filter) {
        if (filter == null) {
            return false;
        }
        return switch (filter) {
            case Filter.And and -> and.filters().stream().anyMatch(Validation::constrainsScope);
            case Filter.Or or -> or.filters().stream().allMatch(Validation::constrainsScope);
            case Filter.Not ignored -> false;
            case Filter.Comparison c -> SCOPE_FIELDS.contains(c.field())
                    && (c.operator() == Operator.EQ || c.operator() == Operator.IN);
            case Filter.Exists ignored -> false;
        };
    }

    /**
     * The scopes a filter's positive scope constraints name: one single-id scope per string value of
     * every EQ or IN comparison on user_id, agent_id or run_id reachable from the root through AND and
     * OR nodes (never under NOT). When {@link #constrainsScope} is true, every record the filter
     * matches lies in at least one of them, so locking them serialises the operation with the writes
     * of those scopes. Values that are not valid ids are left out (no stored memory has them).
     *
     * @param filter a filter, may be null
     * @return the scopes, without duplicates, in first-seen order; empty when none are derivable
     */
    public static List<Scope> positiveScopes(Filter filter) {
        Set<Scope> out = new LinkedHashSet<>();
        collectScopes(filter, out);
        return List.copyOf(out);
    }

    private static void collectScopes(Filter filter, Set<Scope> out) {
        switch (filter) {
            case null -> { }
            case Filter.And and -> and.filters().forEach(f -> collectScopes(f, out));
            case Filter.Or or -> or.filters().forEach(f -> collectScopes(f, out));
            case Filter.Not ignored -> { }
            case Filter.Exists ignored -> { }
            case Filter.Comparison c -> {
                if (!SCOPE_FIELDS.contains(c.field())) {
                    return;
                }
                if (c.operator() == Operator.EQ) {
                    addScope(c.field(), c.value(), out);
                } else if (c.operator() == Operator.IN && c.value() instanceof List<?> values) {
                    values.forEach(v -> addScope(c.field(), v, out));
                }
            }
        }
    }

    private static void addScope(String field, Object value, Set<Scope> out) {
        if (!(value instanceof String id)) {
            return;
        }
        try {
            out.add(switch (field) {
                case FilterFields.USER_ID -> Scope.user(id);
                case FilterFields.AGENT_ID -> Scope.agent(id);
                default -> Scope.run(id);
            });
        } catch (ValidationException notAnId) {
            // no stored memory has an invalid id, so there is nothing to lock for it
        }
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_MESSAGES}) when there are no messages or
     *                             every message is blank
     */
    public static List<Message> requireMessages(List<Message> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_MESSAGES,
                    "add needs at least one message, e.g. AddRequest.builder().user(\"I'm vegetarian\")");
        }
        boolean any = false;
        for (Message m : messages) {
            if (m == null) {
                throw new ValidationException(ErrorCode.INVALID_MESSAGES, "messages must not contain null");
            }
            any |= !m.content().isBlank();
        }
        if (!any) {
            throw new ValidationException(ErrorCode.INVALID_MESSAGES,
                    "every message is empty; give at least one message with content");
        }
        return messages;
    }

    /**
     * Checks metadata and copies it into canonical JSON-like values: integral numbers as {@link Long}
     * (beyond the long range {@link BigDecimal}), Float as {@link Double}, nested maps and lists as
     * unmodifiable copies; null values are kept (JSON null, or "remove" in an update patch).
     *
     * @param metadata  the metadata, may be null
     * @param operation the operation, for messages
     * @return an unmodifiable, insertion-ordered copy
     * @throws ValidationException ({@link ErrorCode#RESERVED_METADATA_KEY}) for an identity key
     *                             (user_id, agent_id, run_id, actor_id, role);
     *                             ({@link ErrorCode#INVALID_ARGUMENT}) for a blank key or a value that
     *                             is not JSON-like
     */
    public static Map<String, Object> metadata(Map<String, ?> metadata, String operation) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isBlank()) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, operation + ": metadata keys must not be blank");
            }
            if (FilterFields.IDENTITY_KEYS.contains(key)) {
                throw new ValidationException(ErrorCode.RESERVED_METADATA_KEY, operation + ": metadata key '" + key
                        + "' is an identity key and cannot be set through metadata; pass user_id, agent_id and run_id"
                        + " in the scope (actor_id and role come from the messages)");
            }
            out.put(key, json(e.getValue(), key, 0));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object json(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "metadata is nested deeper than " + MAX_DEPTH
                    + " levels at '" + path + "'");
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : new BigDecimal(bi);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "metadata value at '" + path
                        + "' is " + d + "; JSON numbers must be finite");
            }
            return d;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "metadata object at '" + path
                            + "' has a key that is not a string: " + e.getKey());
                }
                out.put(key, json(e.getValue(), path + "." + key, depth + 1));
            }
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            int i = 0;
            for (Object item : list) {
                out.add(json(item, path + "[" + i++ + "]", depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "metadata value at '" + path + "' is a "
                + value.getClass().getName() + "; use String, Number, Boolean, null, List or Map values");
    }

    /**
     * @return the categories stripped, without blanks or duplicates, in order
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a null or blank category
     */
    public static List<String> categories(List<String> categories) {
        if (categories == null || categories.isEmpty()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String c : categories) {
            if (c == null || c.isBlank()) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "categories must not be null or blank");
            }
            out.add(c.strip());
        }
        return List.copyOf(out);
    }

    /** @return the union of category lists, in first-seen order */
    @SafeVarargs
    public static List<String> union(List<String>... lists) {
        Set<String> out = new LinkedHashSet<>();
        for (List<String> l : lists) {
            if (l != null) {
                for (String s : l) {
                    if (s != null && !s.isBlank()) {
                        out.add(s.strip());
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}

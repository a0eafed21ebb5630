package dev.memlayer.api.filter;

import dev.memlayer.api.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static factories for {@link Filter}s, meant to be imported statically:
 *
 * <pre>{@code
 * Filter f = and(eq("user_id", "alex"), gte("created_at", "2024-07-01"), contains("categories", "food"));
 * }</pre>
 *
 * Field names are canonicalised ({@code "food"} and {@code "metadata.food"} are the same field).
 */
public final class Filters {

    private Filters() {
    }

    public static Filter eq(String field, Object value) {
        return new Filter.Comparison(field, Operator.EQ, value);
    }

    public static Filter ne(String field, Object value) {
        return new Filter.Comparison(field, Operator.NE, value);
    }

    public static Filter gt(String field, Object value) {
        return new Filter.Comparison(field, Operator.GT, value);
    }

    public static Filter gte(String field, Object value) {
        return new Filter.Comparison(field, Operator.GTE, value);
    }

    public static Filter lt(String field, Object value) {
        return new Filter.Comparison(field, Operator.LT, value);
    }

    public static Filter lte(String field, Object value) {
        return new Filter.Comparison(field, Operator.LTE, value);
    }

    public static Filter in(String field, List<?> values) {
        return new Filter.Comparison(field, Operator.IN, values);
    }

    public static Filter in(String field, Object... values) {
        return in(field, Arrays.asList(values));
    }

    public static Filter nin(String field, List<?> values) {
        return new Filter.Comparison(field, Operator.NIN, values);
    }

    public static Filter nin(String field, Object... values) {
        return nin(field, Arrays.asList(values));
    }

    public static Filter contains(String field, Object value) {
        return new Filter.Comparison(field, Operator.CONTAINS, value);
    }

    public static Filter icontains(String field, String value) {
        return new Filter.Comparison(field, Operator.ICONTAINS, value);
    }

    /** Mem0's {@code keywords} shortcut: the memory text contains {@code text}, ignoring case. */
    public static Filter keywords(String text) {
        return icontains(FilterFields.MEMORY, text);
    }

    /** The field is present and not null (Mem0's {@code "*"}). */
    public static Filter exists(String field) {
        return new Filter.Exists(field);
    }

    public static Filter and(Filter... filters) {
        return new Filter.And(List.of(filters));
    }

    public static Filter and(List<Filter> filters) {
        return new Filter.And(filters);
    }

    public static Filter or(Filter... filters) {
        return new Filter.Or(List.of(filters));
    }

    public static Filter or(List<Filter> filters) {
        return new Filter.Or(filters);
    }

    public static Filter not(Filter filter) {
        return new Filter.Not(filter);
    }

    /** Mem0's {@code {"NOT": [a, b]}}: none of them matches. */
    public static Filter none(Filter... filters) {
        return filters.length == 1 ? not(filters[0]) : not(or(filters));
    }

    /**
     * The filter that selects a scope: every id set in it, ANDed.
     *
     * @return null for an empty scope
     */
    public static Filter scope(Scope scope) {
        if (scope == null || scope.isEmpty()) {
            return null;
        }
        List<Filter> parts = new ArrayList<>(3);
        scope.asMap().forEach((k, v) -> parts.add(eq(k, v)));
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    /**
     * ANDs the non-null filters, flattening nested ANDs.
     *
     * @return null when every argument is null
     */
    public static Filter allOf(Filter... filters) {
        List<Filter> parts = new ArrayList<>();
        for (Filter f : filters) {
            if (f instanceof Filter.And and) {
                parts.addAll(and.filters());
            } else if (f != null) {
                parts.add(f);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    /**
     * The equality constraints a filter imposes at its top level: the EQ comparisons reachable
     * from the root through ANDs only. A record matching the filter has these field values. Stores
     * use it to find an index partition (e.g. a scope) for a filter.
     *
     * @param filter a filter, may be null
     * @return canonical field name to required value (first one wins on duplicates); empty if none
     */
    public static Map<String, Object> equalityConstraints(Filter filter) {
        Map<String, Object> out = new LinkedHashMap<>();
        collect(filter, out);
        return out;
    }

    private static void collect(Filter filter, Map<String, Object> out) {
        if (filter instanceof Filter.And and) {
            for (Filter f : and.filters()) {
                collect(f, out);
            }
        } else if (filter instanceof Filter.Comparison c && c.operator() == Operator.EQ) {
            out.putIfAbsent(c.field(), c.value());
        }
    }
}

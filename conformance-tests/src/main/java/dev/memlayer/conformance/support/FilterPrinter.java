package dev.memlayer.conformance.support;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.spi.MemoryRecord;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a {@link Filter} as Java code that rebuilds it with {@code dev.memlayer.api.filter.Filters}
 * factories, with typed literals ({@code 1L}, {@code 1.0}, escaped strings), so a failing random
 * filter can be pasted into a test.
 */
public final class FilterPrinter {

    private FilterPrinter() {
    }

    /**
     * @param filter a filter or null
     * @return e.g. {@code and(eq("user_id", "alex"), not(exists("metadata.m.k")))}; {@code null} for null
     */
    public static String describe(Filter filter) {
        if (filter == null) {
            return "null";
        }
        return switch (filter) {
            case Filter.And and -> "and(" + join(and.filters()) + ")";
            case Filter.Or or -> "or(" + join(or.filters()) + ")";
            case Filter.Not not -> "not(" + describe(not.filter()) + ")";
            case Filter.Exists exists -> "exists(" + literal(exists.field()) + ")";
            case Filter.Comparison c -> c.operator().wireName() + "(" + literal(c.field()) + ", " + literal(c.value()) + ")";
        };
    }

    private static String join(List<Filter> filters) {
        return filters.stream().map(FilterPrinter::describe).collect(Collectors.joining(", "));
    }

    /**
     * Describes a record through the fields filters see: every reserved field and the metadata,
     * with typed literals.
     *
     * @param record a record or null
     * @return a one-line description
     */
    public static String describe(MemoryRecord record) {
        if (record == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("{");
        for (String field : List.of(FilterFields.ID, FilterFields.USER_ID, FilterFields.AGENT_ID, FilterFields.RUN_ID,
                FilterFields.ACTOR_ID, FilterFields.ROLE, FilterFields.CREATED_AT, FilterFields.UPDATED_AT,
                FilterFields.CATEGORIES, FilterFields.MEMORY, FilterFields.HASH, FilterFields.MEMORY_TYPE,
                FilterFields.EXPIRATION_DATE, FilterFields.IMMUTABLE)) {
            Object v = record.reservedValue(field);
            if (v != null) {
                b.append(field).append('=').append(literal(v instanceof java.time.Instant ? v.toString() : v)).append(", ");
            }
        }
        b.append("metadata=").append(literal(record.metadata())).append('}');
        return b.toString();
    }

    /** @return a Java-like literal for a filter or metadata value */
    public static String literal(Object value) {
        if (value instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            s.codePoints().forEach(cp -> {
                switch (cp) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xff00 && cp <= 0xffef) || cp > 0xffff) {
                            for (char ch : Character.toChars(cp)) {
                                b.append(String.format("\\u%04X", (int) ch));
                            }
                        } else {
                            b.appendCodePoint(cp);
                        }
                    }
                }
            });
            return b.append('"').toString();
        }
        if (value instanceof Long l) {
            return l + "L";
        }
        if (value instanceof Double d) {
            return Double.toString(d);
        }
        if (value instanceof List<?> list) {
            return "List.of(" + list.stream().map(FilterPrinter::literal).collect(Collectors.joining(", ")) + ")";
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> literal(e.getKey()) + ": " + literal(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof java.math.BigDecimal bd) {
            return "new BigDecimal(\"" + bd.toPlainString() + "\")";
        }
        return String.valueOf(value);
    }
}

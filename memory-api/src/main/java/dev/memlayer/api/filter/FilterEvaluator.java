package dev.memlayer.api.filter;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The reference semantics of filters (SPEC §4), evaluated in memory. The in-memory store uses it
 * directly; every other backend's compiled filters must give the same answers, which the
 * conformance suites check with seeded random filters.
 *
 * <ul>
 *   <li>EQ: same JSON type and value; numbers numerically (1 == 1.0); strings case-sensitively;
 *       a string never equals a number; a list field never equals a scalar.</li>
 *   <li>NE is NOT EQ and NIN is NOT IN: a record without the field matches them.</li>
 *   <li>GT/GTE/LT/LTE: numbers numerically, strings by Unicode code point, created_at/updated_at
 *       as instants; a missing field or a type mismatch does not match.</li>
 *   <li>IN: equals one of the values; on a list field, any overlap.</li>
 *   <li>CONTAINS: substring of a string field, or membership in a list field; ICONTAINS the same
 *       after {@link String#toLowerCase(Locale)} with {@link Locale#ROOT}.</li>
 *   <li>Exists: present and not JSON null.</li>
 * </ul>
 */
public final class FilterEvaluator {

    private FilterEvaluator() {
    }

    /**
     * @param filter the filter, or null for "match everything"
     * @param record the record
     * @return whether the record matches
     */
    public static boolean matches(Filter filter, Filterable record) {
        if (filter == null) {
            return true;
        }
        return switch (filter) {
            case Filter.And and -> {
                for (Filter f : and.filters()) {
                    if (!matches(f, record)) {
                        yield false;
                    }
                }
                yield true;
            }
            case Filter.Or or -> {
                for (Filter f : or.filters()) {
                    if (matches(f, record)) {
                        yield true;
                    }
                }
                yield false;
            }
            case Filter.Not not -> !matches(not.filter(), record);
            case Filter.Exists exists -> {
                Object v = value(exists.field(), record);
                yield v != FilterFields.MISSING && v != null;
            }
            case Filter.Comparison c -> compare(c, value(c.field(), record));
        };
    }

    private static Object value(String field, Filterable record) {
        if (FilterFields.isMetadata(field)) {
            return FilterFields.resolve(record.metadata(), FilterFields.metadataPath(field));
        }
        Object v = record.reservedValue(field);
        return v == null ? FilterFields.MISSING : v;
    }

    private static boolean compare(Filter.Comparison c, Object actual) {
        String field = c.field();
        Object expected = c.value();
        return switch (c.operator()) {
            case EQ -> equal(field, actual, expected);
            case NE -> !equal(field, actual, expected);
            case IN -> in(field, actual, (List<?>) expected);
            case NIN -> !in(field, actual, (List<?>) expected);
            case GT -> { int o = order(field, actual, expected); yield o != UNORDERED && o > 0; }
            case GTE -> { int o = order(field, actual, expected); yield o != UNORDERED && o >= 0; }
            case LT -> { int o = order(field, actual, expected); yield o != UNORDERED && o < 0; }
            case LTE -> { int o = order(field, actual, expected); yield o != UNORDERED && o <= 0; }
            case CONTAINS -> contains(actual, expected, false);
            case ICONTAINS -> contains(actual, expected, true);
        };
    }

    private static final int UNORDERED = Integer.MIN_VALUE;

    private static boolean absent(Object actual) {
        return actual == FilterFields.MISSING || actual == null;
    }

    /** Scalar equality with SPEC §4 typing. */
    static boolean equal(String field, Object actual, Object expected) {
        if (absent(actual)) {
            return false;
        }
        if (actual instanceof Instant instant) {
            return instant.equals(FilterValues.toInstant(field, expected));
        }
        return scalarEqual(actual, expected);
    }

    private static boolean scalarEqual(Object actual, Object expected) {
        if (actual instanceof String s) {
            return expected instanceof String e && s.equals(e);
        }
        if (actual instanceof Boolean b) {
            return expected instanceof Boolean e && b.equals(e);
        }
        if (actual instanceof Number n && expected instanceof Number e) {
            BigDecimal a = FilterValues.decimal(n);
            BigDecimal x = FilterValues.decimal(e);
            return a != null && x != null && a.compareTo(x) == 0;
        }
        return false;
    }

    private static boolean in(String field, Object actual, List<?> values) {
        if (absent(actual)) {
            return false;
        }
        if (actual instanceof List<?> list) {
            for (Object element : list) {
                if (element == null) {
                    continue;
                }
                for (Object v : values) {
                    if (scalarEqual(element, v)) {
                        return true;
                    }
                }
            }
            return false;
        }
        for (Object v : values) {
            if (equal(field, actual, v)) {
                return true;
            }
        }
        return false;
    }

    private static int order(String field, Object actual, Object expected) {
        if (absent(actual)) {
            return UNORDERED;
        }
        if (actual instanceof Instant instant) {
            return Integer.signum(instant.compareTo(FilterValues.toInstant(field, expected)));
        }
        if (actual instanceof Number n && expected instanceof Number e) {
            BigDecimal a = FilterValues.decimal(n);
            BigDecimal x = FilterValues.decimal(e);
            return a == null || x == null ? UNORDERED : Integer.signum(a.compareTo(x));
        }
        if (actual instanceof String s && expected instanceof String e) {
            return Integer.signum(compareCodePoints(s, e));
        }
        return UNORDERED;
    }

    /**
     * Compares strings by Unicode code point (the order of their UTF-8 bytes), unlike
     * {@link String#compareTo}, which compares UTF-16 code units.
     */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static boolean contains(Object actual, Object expected, boolean ignoreCase) {
        if (absent(actual)) {
            return false;
        }
        if (actual instanceof String s) {
            if (!(expected instanceof String e)) {
                return false;
            }
            return ignoreCase ? lower(s).contains(lower(e)) : s.contains(e);
        }
        if (actual instanceof List<?> list) {
            for (Object element : list) {
                if (element == null) {
                    continue;
                }
                if (ignoreCase) {
                    if (element instanceof String s && expected instanceof String e && lower(s).equals(lower(e))) {
                        return true;
                    }
                } else if (scalarEqual(element, expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The one case folding used by ICONTAINS: {@code toLowerCase(Locale.ROOT)}. */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

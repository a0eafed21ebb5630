package dev.memlayer.api.filter;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Value rules shared by the filter AST, the reference evaluator and backends' compilers: value
 * validation, number normalisation, numeric comparison and instant parsing.
 */
public final class FilterValues {

    private FilterValues() {
    }

    static Object validate(String field, Operator op, Object value) {
        if (op == Operator.IN || op == Operator.NIN) {
            if (!(value instanceof Collection<?> list)) {
                throw new ValidationException(ErrorCode.INVALID_FILTER, "'" + op.wireName() + "' on '" + field
                        + "' needs a list of values, e.g. {\"" + field + "\": {\"" + op.wireName() + "\": [\"a\", \"b\"]}}");
            }
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(scalar(field, op, item));
            }
            return Collections.unmodifiableList(out);
        }
        Object v = scalar(field, op, value);
        if (op.isOrdering() && v instanceof Boolean) {
            throw new ValidationException(ErrorCode.INVALID_FILTER,
                    "'" + op.wireName() + "' on '" + field + "' needs a number or a string, not a boolean");
        }
        if (op == Operator.ICONTAINS && !(v instanceof String)) {
            throw new ValidationException(ErrorCode.INVALID_FILTER,
                    "'icontains' on '" + field + "' needs a string value");
        }
        if ((op == Operator.CONTAINS || op == Operator.ICONTAINS) && FilterFields.isInstant(field)) {
            throw new ValidationException(ErrorCode.INVALID_FILTER,
                    "'" + op.wireName() + "' is not defined on '" + field + "'; use gte/lte with dates");
        }
        return v;
    }

    private static Object scalar(String field, Operator op, Object value) {
        if (value == null) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "'" + op.wireName() + "' on '" + field
                    + "' has a null value; to match a missing field use NOT with {\"" + field + "\": \"*\"}");
        }
        Object v = normalise(value);
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "'" + op.wireName() + "' on '" + field
                    + "' needs a string, number or boolean" + (op == Operator.IN || op == Operator.NIN ? " in its list" : "")
                    + "; got " + value.getClass().getSimpleName());
        }
        if (FilterFields.isInstant(field)) {
            toInstant(field, v); // validates
        }
        return v;
    }

    /**
     * Normalises numbers: Byte/Short/Integer/Long and BigInteger in long range to {@link Long};
     * Float to {@link Double}; other values unchanged.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_FILTER}) for NaN or infinity
     */
    public static Object normalise(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : new BigDecimal(bi);
        }
        if (value instanceof Float f) {
            value = f.doubleValue();
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "Filter values must be finite numbers, got " + d);
        }
        return value;
    }

    /**
     * Numbers as exact decimals, for numeric comparison (1 == 1.0).
     *
     * @return the decimal, or null for a non-finite double
     */
    public static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal bd) {
            return bd;
        }
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return BigDecimal.valueOf(n.longValue());
        }
        if (n instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
        }
        return new BigDecimal(Double.toString(d));
    }

    /**
     * Interprets a filter value on {@code created_at}/{@code updated_at} as an instant: an ISO date
     * ({@code 2024-07-20} = start of that day, UTC), an ISO date-time with or without offset
     * (without: UTC), or epoch seconds (a number, fractions allowed).
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_FILTER}) if the value is none of these
     */
    public static Instant toInstant(String field, Object value) {
        Instant cached = INSTANTS.get(value);
        if (cached != null) {
            return cached;
        }
        Instant parsed = parseInstant(field, value);
        if (INSTANTS.size() >= INSTANT_CACHE_SIZE) {
            INSTANTS.clear();
        }
        INSTANTS.put(value, parsed);
        return parsed;
    }

    /** Filter values are parsed once per distinct value, not once per record evaluated. */
    private static final int INSTANT_CACHE_SIZE = 4096;
    private static final java.util.Map<Object, Instant> INSTANTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Instant parseInstant(String field, Object value) {
        if (value instanceof Number n) {
            BigDecimal seconds = decimal(n);
            if (seconds == null) {
                throw new ValidationException(ErrorCode.INVALID_FILTER, "'" + field + "' needs finite epoch seconds");
            }
            try {
                long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
                long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
                return Instant.ofEpochSecond(whole, nanos);
            } catch (ArithmeticException | java.time.DateTimeException e) {
                throw new ValidationException(ErrorCode.INVALID_FILTER, "'" + field + "' epoch seconds out of range: " + value, e);
            }
        }
        if (value instanceof String s) {
            String t = s.strip();
            try {
                if (t.length() == 10) {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                try {
                    return OffsetDateTime.parse(t).toInstant();
                } catch (DateTimeParseException e) {
                    return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
                }
            } catch (DateTimeParseException e) {
                throw new ValidationException(ErrorCode.INVALID_FILTER, "'" + field + "' value '" + s
                        + "' is not a date; use 2024-07-20, 2024-07-20T10:15:00Z or epoch seconds", e);
            }
        }
        throw new ValidationException(ErrorCode.INVALID_FILTER, "'" + field + "' needs a date string or epoch seconds, not " + value);
    }
}

package dev.memlayer.api.filter;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A filter over stored memories: a closed AST (SPEC §4). Build one with {@link Filters}, or parse
 * Mem0's JSON form with memory-core's parser. Every node validates itself on construction, so a
 * backend only ever sees well-formed filters; semantics are defined once, by
 * {@link FilterEvaluator}, and every backend must agree with it.
 */
public sealed interface Filter permits Filter.And, Filter.Or, Filter.Not, Filter.Comparison, Filter.Exists {

    /**
     * All of the filters match.
     *
     * @param filters at least one filter
     */
    record And(List<Filter> filters) implements Filter {
        /** @throws ValidationException ({@link ErrorCode#INVALID_FILTER}) if empty */
        public And {
            filters = nonEmpty("AND", filters);
        }
    }

    /**
     * At least one of the filters matches.
     *
     * @param filters at least one filter
     */
    record Or(List<Filter> filters) implements Filter {
        /** @throws ValidationException ({@link ErrorCode#INVALID_FILTER}) if empty */
        public Or {
            filters = nonEmpty("OR", filters);
        }
    }

    /**
     * The filter does not match. Mem0's {@code {"NOT": [a, b]}} ("none of them") is
     * {@code Not(Or(a, b))}.
     *
     * @param filter the negated filter
     */
    record Not(Filter filter) implements Filter {
        public Not {
            if (filter == null) {
                throw new ValidationException(ErrorCode.INVALID_FILTER, "NOT needs a filter");
            }
        }
    }

    /**
     * {@code field operator value}.
     *
     * @param field    the canonical field name ({@link FilterFields#canonical}): a reserved field or
     *                 {@code metadata.<path>}; any other name given is canonicalised
     * @param operator the operator
     * @param value    a scalar ({@link String}, {@link Long}, {@link Double},
     *                 {@link java.math.BigDecimal}, {@link Boolean}) or, for IN/NIN, an unmodifiable
     *                 list of scalars; other integral types are normalised to Long and Float to
     *                 Double
     */
    record Comparison(String field, Operator operator, Object value) implements Filter {
        /**
         * @throws ValidationException ({@link ErrorCode#INVALID_FILTER}) for a value whose shape
         *                             does not fit the operator or field (IN without a list, a null
         *                             value, GT on a boolean, an unparseable date, NaN)
         */
        public Comparison {
            field = FilterFields.canonical(field);
            if (operator == null) {
                throw new ValidationException(ErrorCode.UNKNOWN_OPERATOR, "Filter on '" + field + "' has no operator");
            }
            value = FilterValues.validate(field, operator, value);
        }
    }

    /**
     * The field is present and not null (Mem0's {@code {"k": "*"}}).
     *
     * @param field the canonical field name
     */
    record Exists(String field) implements Filter {
        public Exists {
            field = FilterFields.canonical(field);
        }
    }

    private static List<Filter> nonEmpty(String what, List<Filter> filters) {
        if (filters == null || filters.isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, what + " needs a non-empty list of filters");
        }
        List<Filter> copy = new ArrayList<>(filters.size());
        for (Filter f : filters) {
            copy.add(Objects.requireNonNull(f, () -> what + " contains a null filter"));
        }
        return Collections.unmodifiableList(copy);
    }
}

package dev.memlayer.api.filter;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.util.Locale;

/**
 * Comparison operators of Mem0's v2 filters (SPEC §4). The wire name is the lower-case enum name
 * ({@code "gte"}, {@code "icontains"}).
 */
public enum Operator {
    /** Same JSON type and value; numbers compare numerically; strings case-sensitively. */
    EQ,
    /** Exactly NOT {@link #EQ}: a record without the field matches. */
    NE,
    /** Greater than: numbers numerically, strings by code point, dates as instants. */
    GT,
    /** Greater than or equal. */
    GTE,
    /** Less than. */
    LT,
    /** Less than or equal. */
    LTE,
    /** Equals one of a list of values; on a list field, any overlap. */
    IN,
    /** Exactly NOT {@link #IN}. */
    NIN,
    /** Substring for strings, membership for lists. */
    CONTAINS,
    /** {@link #CONTAINS}, ignoring case (Unicode lower-case, {@link Locale#ROOT}). */
    ICONTAINS;

    /** @return the lower-case wire name */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a wire name such as {@code "gte"}
     * @return the operator
     * @throws ValidationException ({@link ErrorCode#UNKNOWN_OPERATOR}) for an unknown name
     */
    public static Operator fromWireName(String name) {
        if (name != null) {
            for (Operator op : values()) {
                if (op.wireName().equals(name)) {
                    return op;
                }
            }
        }
        throw new ValidationException(ErrorCode.UNKNOWN_OPERATOR, "Unknown filter operator '" + name
                + "'; use one of eq, ne, gt, gte, lt, lte, in, nin, contains, icontains");
    }

    /** @return true for GT, GTE, LT, LTE */
    public boolean isOrdering() {
        return this == GT || this == GTE || this == LT || this == LTE;
    }
}

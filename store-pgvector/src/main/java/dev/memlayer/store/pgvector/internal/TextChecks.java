package dev.memlayer.store.pgvector.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;

/**
 * What PostgreSQL text can hold: UTF-8 without NUL (U+0000). Java strings may also carry unpaired
 * surrogates, which have no UTF-8 form (the driver would silently replace them).
 */
public final class TextChecks {

    private TextChecks() {
    }

    /** @return true when PostgreSQL can store {@code s} exactly (no NUL, no unpaired surrogate) */
    public static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** @return true when {@code s} has an unpaired surrogate */
    public static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param what the value's name for the message, e.g. {@code "memory"}
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) when {@code s} is not storable
     */
    public static void requireStorable(String what, String s) {
        if (s != null && !storable(s)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, what
                    + " contains a NUL character (U+0000) or an unpaired surrogate, which PostgreSQL text cannot store;"
                    + " remove it before storing");
        }
    }
}

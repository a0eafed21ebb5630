package dev.memlayer.api;

/**
 * Validation of ids (user_id, agent_id, run_id, actor_id, memory ids), SPEC §1: ids are trimmed;
 * empty ids and ids containing whitespace or control characters are rejected.
 */
public final class Ids {

    private Ids() {
    }

    /**
     * Trims and validates an id.
     *
     * @param kind the id's name for the error message, e.g. {@code "user_id"}
     * @param id   the raw id
     * @return the trimmed id
     * @throws ValidationException ({@link ErrorCode#INVALID_ID}) if it is null, empty after
     *                             trimming, or contains whitespace or a control character
     */
    public static String require(String kind, String id) {
        if (id == null) {
            throw new ValidationException(ErrorCode.INVALID_ID, kind + " must not be null");
        }
        String trimmed = id.strip();
        if (trimmed.isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_ID, kind + " must not be empty or blank");
        }
        for (int i = 0; i < trimmed.length(); ) {
            int cp = trimmed.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.FORMAT) {
                throw new ValidationException(ErrorCode.INVALID_ID, kind + " '" + printable(trimmed)
                        + "' contains whitespace or a control character; use an id without them");
            }
            i += Character.charCount(cp);
        }
        return trimmed;
    }

    /**
     * Like {@link #require} but lets null through.
     *
     * @return null for null, else the trimmed, validated id
     */
    public static String optional(String kind, String id) {
        return id == null ? null : require(kind, id);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}

package dev.memlayer.core.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How graph memory writes names, types and relationships (as Mem0 does): stripped, lower-cased
 * ({@link Locale#ROOT}) and with each run of white space replaced by one {@code _}; so
 * {@code "Alice Smith"} and {@code "alice  smith"} are the same entity {@code alice_smith}. Every
 * other character is kept as it is.
 */
final class GraphNames {

    private static final Pattern WHITE = Pattern.compile("\\s+");

    private GraphNames() {
    }

    /** @return the normalised name, or null for a null or blank one */
    static String normalise(String name) {
        if (name == null) {
            return null;
        }
        String s = name.strip();
        if (s.isEmpty()) {
            return null;
        }
        return WHITE.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("_");
    }
}

package dev.memlayer.cli.locomo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LoCoMo dialogue ids ({@code dia_id}): {@code D<session>:<turn>}, e.g. {@code D3:7} = session 3,
 * turn 7. A few evidence entries of the published file are malformed; this class reads them
 * leniently and writes the canonical form:
 * <ul>
 *   <li>several ids in one string ({@code "D8:6; D9:17"}, also with commas or spaces): each id;</li>
 *   <li>a stray colon ({@code "D:11:26"}): {@code D11:26};</li>
 *   <li>a space instead of the colon ({@code "D9 17"}): {@code D9:17};</li>
 *   <li>leading zeros ({@code "D30:05"}): {@code D30:5};</li>
 *   <li>nothing recognisable ({@code "D"}, or {@code "D917"} where the colon is missing and the
 *       split cannot be known): dropped.</li>
 * </ul>
 * Thread-safe and stateless.
 */
public final class EvidenceIds {

    /** {@code D}, an optional stray colon, the session number, a colon or spaces, the turn number. */
    private static final Pattern ID = Pattern.compile("D\\s*:?\\s*(\\d+)\\s*(?::|\\s)\\s*(\\d+)", Pattern.CASE_INSENSITIVE);

    private EvidenceIds() {
    }

    /**
     * @param raw one evidence entry as found in the file, may be null
     * @return the canonical ids it holds, in order, possibly none
     */
    public static List<String> parse(String raw) {
        List<String> out = new ArrayList<>(1);
        if (raw == null) {
            return out;
        }
        Matcher m = ID.matcher(raw);
        while (m.find()) {
            Optional<String> id = canonical(m.group(1), m.group(2));
            id.ifPresent(out::add);
        }
        return out;
    }

    /**
     * @param raw the evidence list of one question
     * @return the canonical ids, in first-seen order, without duplicates
     */
    public static List<String> normalise(Collection<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : raw) {
            out.addAll(parse(entry));
        }
        return List.copyOf(out);
    }

    /**
     * @param raw a turn's {@code dia_id}
     * @return its canonical form, or the stripped input when it is not recognisable (so that it can
     *         still match itself)
     */
    public static String canonicalTurnId(String raw) {
        List<String> ids = parse(raw);
        return ids.size() == 1 ? ids.get(0) : raw.strip();
    }

    private static Optional<String> canonical(String session, String turn) {
        try {
            return Optional.of("D" + Integer.parseInt(session) + ":" + Integer.parseInt(turn));
        } catch (NumberFormatException e) { // more digits than an int holds: not a real id
            return Optional.empty();
        }
    }
}

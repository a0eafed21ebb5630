package dev.memlayer.store.redis.internal;

/**
 * The server-side part of a filter: a {@code VSIM ... FILTER} expression that accepts every record
 * the filter accepts (a superset), and whether it accepts exactly those.
 *
 * @param expression     the expression, or null when the server cannot narrow anything down (no
 *                       FILTER argument)
 * @param exact          whether the expression accepts exactly the records the filter accepts, so
 *                       no result of the server is dropped by the post-filter
 * @param matchesNothing whether no record can match (then nothing needs to be asked)
 */
public record ServerFilter(String expression, boolean exact, boolean matchesNothing) {

    /** No filter: every record matches, exactly. */
    public static final ServerFilter ALL = new ServerFilter(null, true, false);

    /** A filter no record can match. */
    public static final ServerFilter NOTHING = new ServerFilter(null, true, true);
}

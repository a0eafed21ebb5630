package dev.memlayer.api;

/**
 * A graph-memory relation: {@code source --relationship--> destination}, e.g.
 * {@code alice --owns--> rex}.
 *
 * @param source       the source entity's name
 * @param relationship the relation type, e.g. {@code owns}
 * @param destination  the destination entity's name
 */
public record Relation(String source, String relationship, String destination) {
}

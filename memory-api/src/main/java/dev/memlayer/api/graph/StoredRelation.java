package dev.memlayer.api.graph;

import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import java.time.Instant;
import java.util.Objects;

/**
 * A relation as a {@link GraphStore} keeps it: {@code source --relationship--> destination} in one
 * exact scope, with its life cycle. A relation that new information made outdated is not deleted but
 * marked invalid (soft deletion): it stays in the store for history, and searches skip it. At most one
 * valid relation exists per scope and triple; a triple that was invalidated and is asserted again gets
 * a new relation (the old one stays invalid).
 *
 * @param id            the store's id of this relation (unique in the store), not null
 * @param scope         the exact scope of the relation and of both its entities, not empty
 * @param source        the source entity's name
 * @param relationship  the relation type, e.g. {@code owns}
 * @param destination   the destination entity's name
 * @param createdAt     when the relation was added (UTC, millisecond precision)
 * @param updatedAt     when it last changed (added or invalidated)
 * @param valid         false once marked outdated
 * @param invalidatedAt when it was marked outdated, or null while valid
 */
public record StoredRelation(String id, Scope scope, String source, String relationship, String destination,
                             Instant createdAt, Instant updatedAt, boolean valid, Instant invalidatedAt) {

    public StoredRelation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(relationship, "relationship");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** @return the triple, as search results and {@code AddResult} report it */
    public Relation toRelation() {
        return new Relation(source, relationship, destination);
    }
}

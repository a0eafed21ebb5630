package dev.memlayer.api.graph;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import dev.memlayer.api.ValidationException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The changes one {@code add} makes to graph memory, applied by {@link GraphStore#write} as one unit.
 *
 * @param scope      the exact scope new entities and relations are stored in, not empty
 * @param now        the time of the change (stores keep millisecond precision)
 * @param entities   the entities of the relations to add; an entity whose name already exists in the
 *                   exact scope is reused (its type and embedding are kept), any other is created
 * @param add        relations to add; both ends must be among {@code entities}; a triple that already
 *                   has a valid relation in the exact scope is left as it is
 * @param invalidate ids of relations to mark invalid (ids that are unknown or already invalid are
 *                   ignored); they may be in any scope that matches {@code scope} (see
 *                   {@link GraphStore})
 */
public record GraphWrite(Scope scope, Instant now, List<GraphEntity> entities, List<Relation> add,
                         List<String> invalidate) {

    /**
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) for an empty scope,
     *                             ({@link ErrorCode#INVALID_ARGUMENT}) for a relation with a blank part
     *                             or an end that is not among the entities, or duplicate entity names
     */
    public GraphWrite {
        if (scope == null || scope.isEmpty()) {
            throw new ValidationException(ErrorCode.MISSING_SCOPE, "a graph write needs a user_id, agent_id or run_id");
        }
        Objects.requireNonNull(now, "now");
        entities = entities == null ? List.of() : List.copyOf(entities);
        add = add == null ? List.of() : List.copyOf(add);
        invalidate = invalidate == null ? List.of() : List.copyOf(invalidate);
        Set<String> names = new HashSet<>();
        for (GraphEntity e : entities) {
            if (!names.add(e.name())) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "graph entity '" + e.name() + "' is given twice");
            }
        }
        for (Relation r : add) {
            if (r.source() == null || r.source().isBlank() || r.relationship() == null || r.relationship().isBlank()
                    || r.destination() == null || r.destination().isBlank()) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "relation " + r + " has a blank part");
            }
            if (!names.contains(r.source()) || !names.contains(r.destination())) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "both ends of relation " + r + " must be among the write's entities");
            }
        }
    }

    /** @return true when the write changes nothing */
    public boolean isEmpty() {
        return add.isEmpty() && invalidate.isEmpty();
    }
}

package dev.memlayer.api.graph;

import dev.memlayer.api.GraphChanges;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link GraphStore#write} changed; enough to {@link GraphStore#revert} it.
 *
 * @param scope           the exact scope of the write, or null for {@link #EMPTY}
 * @param added           the relations created, as stored (valid)
 * @param invalidated     the relations marked invalid, as they were BEFORE the write (still valid,
 *                        with their previous {@code updatedAt})
 * @param createdEntities the names of the entities the write created in its exact scope
 */
public record GraphWriteResult(Scope scope, List<StoredRelation> added, List<StoredRelation> invalidated,
                               List<String> createdEntities) {

    /** Nothing changed. */
    public static final GraphWriteResult EMPTY = new GraphWriteResult(null, List.of(), List.of(), List.of());

    public GraphWriteResult {
        added = List.copyOf(added);
        invalidated = List.copyOf(invalidated);
        createdEntities = List.copyOf(createdEntities);
    }

    /** @return true when nothing changed */
    public boolean isEmpty() {
        return added.isEmpty() && invalidated.isEmpty() && createdEntities.isEmpty();
    }

    /** @return the change as {@code AddResult.relations} reports it (Mem0's added/deleted entities) */
    public GraphChanges toChanges() {
        List<Relation> a = new ArrayList<>(added.size());
        added.forEach(r -> a.add(r.toRelation()));
        List<Relation> d = new ArrayList<>(invalidated.size());
        invalidated.forEach(r -> d.add(r.toRelation()));
        return new GraphChanges(a, d);
    }
}

package dev.memlayer.api;

import java.util.List;

/**
 * What an {@code add} changed in graph memory: Mem0's {@code relations} object with
 * {@code added_entities} and {@code deleted_entities} (both lists of relations).
 *
 * @param added   relations added
 * @param deleted relations marked invalid (soft-deleted)
 */
public record GraphChanges(List<Relation> added, List<Relation> deleted) {
    public GraphChanges {
        added = List.copyOf(added);
        deleted = List.copyOf(deleted);
    }

    /** @return no changes */
    public static GraphChanges empty() {
        return new GraphChanges(List.of(), List.of());
    }
}

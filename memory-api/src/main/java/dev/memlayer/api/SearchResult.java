package dev.memlayer.api;

import java.util.List;

/**
 * The output of {@link Memory#search}: memories ordered by score descending, ties by id; and,
 * when graph memory is on, the relations most relevant to the query.
 *
 * @param results   the memories, each with a score in [0,1]
 * @param relations graph relations, empty when graph memory is off
 */
public record SearchResult(List<MemoryItem> results, List<Relation> relations) {
    public SearchResult {
        results = List.copyOf(results);
        relations = relations == null ? List.of() : List.copyOf(relations);
    }
}

package dev.memlayer.api.graph;

import java.util.List;

/**
 * The answer to a {@link GraphQuery}.
 *
 * @param entities  the matched entities, each once (with its best score over the query embeddings),
 *                  ordered by score descending, then name, then scope
 * @param relations the relations whose source or destination is a matched entity, newest first
 *                  ({@code createdAt} descending, then source, relationship, destination, id); at most
 *                  the query's relation limit
 */
public record GraphSearchResult(List<ScoredEntity> entities, List<StoredRelation> relations) {

    /** No match. */
    public static final GraphSearchResult EMPTY = new GraphSearchResult(List.of(), List.of());

    public GraphSearchResult {
        entities = List.copyOf(entities);
        relations = List.copyOf(relations);
    }
}

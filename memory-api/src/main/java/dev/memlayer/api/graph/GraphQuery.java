package dev.memlayer.api.graph;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Scope;
import dev.memlayer.api.ValidationException;
import java.util.List;

/**
 * A neighbourhood query ({@link GraphStore#search}): the entities of a scope most similar to each of
 * some embeddings (typically the embeddings of the entities named in a search query or in new
 * information), and the relations touching them.
 *
 * @param scope          the scope; matches entities and relations as {@link GraphStore} describes;
 *                       not empty
 * @param embeddings     query embeddings (unit vectors of the entities' dimension), at least one
 * @param threshold      minimum similarity in [0,1] for an entity to match (Mem0: 0.7)
 * @param entityLimit    top-k entities per embedding, at least 1
 * @param relationLimit  the maximum number of relations returned, at least 1
 * @param includeInvalid true to include relations marked invalid
 */
public record GraphQuery(Scope scope, List<float[]> embeddings, double threshold, int entityLimit, int relationLimit,
                         boolean includeInvalid) {

    /**
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) for an empty scope,
     *                             ({@link ErrorCode#INVALID_ARGUMENT}) for no or empty embeddings, a
     *                             threshold outside [0,1] or a limit below 1
     */
    public GraphQuery {
        if (scope == null || scope.isEmpty()) {
            throw new ValidationException(ErrorCode.MISSING_SCOPE, "a graph query needs a user_id, agent_id or run_id");
        }
        embeddings = embeddings == null ? List.of() : List.copyOf(embeddings);
        if (embeddings.isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "a graph query needs at least one embedding");
        }
        for (float[] e : embeddings) {
            if (e.length == 0) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "a graph query embedding is empty");
            }
        }
        if (Double.isNaN(threshold) || threshold < 0 || threshold > 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "threshold is a similarity in [0,1], got " + threshold);
        }
        if (entityLimit < 1 || relationLimit < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "entityLimit and relationLimit must be at least 1, got " + entityLimit + " and " + relationLimit);
        }
    }
}

package dev.memlayer.api.graph;

import dev.memlayer.api.Scope;
import java.util.List;

/**
 * Keeps graph memory: entities (name, type, embedding) and relations between them
 * ({@code source --relationship--> destination}), per scope, with soft deletion of relations that new
 * information made outdated. Embedding, extraction and ranking happen in the engine; a store stores,
 * finds by similarity and lists. Implementations are thread-safe and must pass conformance-tests'
 * {@code GraphStoreContract}.
 *
 * <p><b>Scopes.</b> Entities and relations are stored in an exact scope (the scope of the
 * {@link GraphWrite}); an entity name is unique per exact scope. A read or delete with a scope
 * {@code s} matches everything whose stored scope has every id that {@code s} sets (the AND semantics
 * of SPEC §1): {@code Scope.user("alice")} matches alice's graph including what was stored with an
 * agent or run id too, and never another user's.
 *
 * <p><b>Scores</b> are cosine similarities of unit vectors clamped to [0,1], as
 * {@link dev.memlayer.api.spi.ScoredRecord#similarity} defines them. Names and relationship types are
 * stored and compared literally (case-sensitive, any characters).
 *
 * <p><b>Failures</b> of the backend surface as {@link dev.memlayer.api.StoreException} (with
 * {@code retryable()} true for connection loss and timeouts); a failed call changed nothing.
 */
public interface GraphStore extends AutoCloseable {

    /**
     * The entities of the scope most similar to an embedding.
     *
     * @param scope     the scope (matching as described above), not empty
     * @param embedding the query embedding, a unit vector
     * @param threshold the minimum similarity in [0,1]
     * @param limit     top-k, at least 1
     * @return at most {@code limit} entities with {@code score >= threshold}, ordered by score
     *         descending, then name, then scope
     */
    List<ScoredEntity> searchEntities(Scope scope, float[] embedding, double threshold, int limit);

    /**
     * The neighbourhood of some embeddings: matched entities and the relations touching them (see
     * {@link GraphQuery} and {@link GraphSearchResult}).
     */
    GraphSearchResult search(GraphQuery query);

    /**
     * Applies a write as one unit (one transaction where the backend has them): creates missing
     * entities in the write's exact scope, adds relations whose triple has no valid relation there yet,
     * and marks the listed relations invalid ({@code valid = false}, {@code invalidatedAt} and
     * {@code updatedAt} = the write's time).
     *
     * @return what changed, in the order of the write's lists
     */
    GraphWriteResult write(GraphWrite write);

    /**
     * Undoes a {@link #write} (the engine's compensation when the vector side of the same {@code add}
     * failed): deletes the relations it added, makes the relations it invalidated valid again with their
     * previous {@code updatedAt}, and deletes the entities it created that have no relation left.
     *
     * @param result the result of a write on this store
     */
    void revert(GraphWriteResult result);

    /**
     * Every relation of the scope: the graph part of {@code getAll}, and, with invalid relations, its
     * history.
     *
     * @param scope          the scope (matching as described above), not empty
     * @param includeInvalid true to include relations marked invalid
     * @return the relations in the order they were added ({@code createdAt} ascending, then source,
     *         relationship, destination, id)
     */
    List<StoredRelation> relations(Scope scope, boolean includeInvalid);

    /**
     * Deletes (for good) every entity and relation of the scope, valid or not.
     *
     * @param scope the scope (matching as described above), not empty
     * @return how many relations were deleted
     */
    long deleteAll(Scope scope);

    /** Deletes every entity and relation of this store's collection. */
    void reset();

    /** Releases connections. The default does nothing. */
    @Override
    default void close() {
    }
}

package dev.memlayer.api;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.graph.StoredRelation;
import java.util.List;
import java.util.ServiceLoader;

/**
 * memlayer's synchronous facade: long-term memory for AI agents (SPEC.md). Thread-safe; close it to
 * release backend connections. Obtain one from Guice ({@code MemoryModule} plus backend modules)
 * or from {@link #builder()}.
 *
 * <p>Every method throws {@link ValidationException} for bad input (nothing written),
 * {@link StoreException} for backend failures and {@link LlmException} for LLM failures; an
 * operation that failed wrote nothing it did not report.
 */
public interface Memory extends AutoCloseable {

    /**
     * Remembers a conversation (SPEC §2): with {@code infer}, extracts facts and reconciles them
     * with what the scope already holds; without, stores each non-system message verbatim.
     *
     * @return the ADD/UPDATE/DELETE events, and graph changes when graph memory is on
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}, {@link ErrorCode#INVALID_MESSAGES},
     *                             {@link ErrorCode#RESERVED_METADATA_KEY},
     *                             {@link ErrorCode#LLM_NOT_CONFIGURED}, ...)
     * @throws LlmException        when the LLM fails or answers unparseably; nothing is written
     */
    AddResult add(AddRequest request);

    /** Remembers what a user said, with inference. */
    default AddResult add(String userText, Scope scope) {
        return add(AddRequest.of(userText, scope));
    }

    /** Remembers a conversation, with inference. */
    default AddResult add(List<Message> messages, Scope scope) {
        return add(AddRequest.builder().messages(messages).scope(scope).build());
    }

    /**
     * Semantic search in a scope (SPEC §3): results ordered by similarity descending (ties by id),
     * at most {@code limit}, none below {@code threshold}; expired memories excluded unless asked.
     *
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) when the scope is empty and the
     *                             filter does not select user_id, agent_id or run_id positively: an
     *                             {@code eq} or {@code in} on one of them, reached through AND only or
     *                             present in every branch of an OR, never under NOT (filters such as
     *                             {@code {"user_id": "*"}}, {@code ne}, {@code nin} or NOT could reach
     *                             every user's memories)
     */
    SearchResult search(SearchRequest request);

    /** Searches a scope with the default limit. */
    default SearchResult search(String query, Scope scope) {
        return search(SearchRequest.of(query, scope));
    }

    /**
     * @return the memory, without a score
     * @throws MemoryNotFoundException for an unknown id
     */
    MemoryItem get(String memoryId);

    /**
     * A page of a scope's memories, newest first (created_at descending, then id). Never scored.
     *
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) when the scope is empty and the
     *                             filter does not select user_id, agent_id or run_id positively: an
     *                             {@code eq} or {@code in} on one of them, reached through AND only or
     *                             present in every branch of an OR, never under NOT (filters such as
     *                             {@code {"user_id": "*"}}, {@code ne}, {@code nin} or NOT could reach
     *                             every user's memories)
     */
    Page<MemoryItem> getAll(GetAllRequest request);

    /** The first page (100 items) of a scope's memories. */
    default Page<MemoryItem> getAll(Scope scope) {
        return getAll(GetAllRequest.of(scope));
    }

    /**
     * Changes a memory's text, metadata (merged; null values remove keys) and/or timestamp;
     * records history UPDATE.
     *
     * @return the memory after the change
     * @throws MemoryNotFoundException  for an unknown id
     * @throws ImmutableMemoryException for an immutable memory
     */
    MemoryItem update(MemoryUpdate update);

    /** Changes a memory's text. */
    default MemoryItem update(String memoryId, String text) {
        return update(MemoryUpdate.text(memoryId, text));
    }

    /**
     * Deletes a memory; records history DELETE (history is kept).
     *
     * @throws MemoryNotFoundException for an unknown id
     */
    void delete(String memoryId);

    /**
     * Deletes every memory of a scope and/or filter, however many (SPEC §5; we differ from Mem0 1.x,
     * which stopped at 100). Use {@link #reset()} to delete everything.
     *
     * @param scope  the scope, may be empty if the filter selects a scope
     * @param filter an additional filter, or null
     * @return how many memories were deleted
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) when the scope is empty and the
     *                             filter is null or does not select user_id, agent_id or run_id
     *                             positively: an {@code eq} or {@code in} on one of them, reached
     *                             through AND only or present in every branch of an OR, never under NOT
     *                             (filters such as {@code {"user_id": "*"}}, {@code ne}, {@code nin} or
     *                             NOT could reach every user's memories); nothing is deleted
     * @throws StoreException      when a backend fails; the memories are restored if their history
     *                             could not be written; with graph memory, a failure of the final graph
     *                             deletion (after the memories were deleted) is retryable and says so:
     *                             calling {@code deleteAll} again deletes the graph
     */
    long deleteAll(Scope scope, Filter filter);

    /** Deletes every memory of a scope. */
    default long deleteAll(Scope scope) {
        return deleteAll(scope, null);
    }

    /**
     * @return the memory's history in the order it happened; it survives deletion
     * @throws MemoryNotFoundException if the id never existed (no history)
     */
    List<HistoryEntry> history(String memoryId);

    /** @return every user, agent and run that has memories (Mem0's {@code users()}) */
    List<EntitySummary> entities();

    /**
     * Deletes all memories of one entity, or of every entity.
     *
     * @param type the entity type, or null together with a null id for all entities
     * @param id   the entity's id, or null for every entity of the type
     * @return how many memories were deleted
     */
    long deleteEntities(EntityType type, String id);

    /**
     * Updates up to 1000 memories, all or nothing: unknown, immutable or duplicate ids fail the whole
     * batch with {@link ErrorCode#INVALID_BATCH} listing them, and nothing changes.
     *
     * @throws ValidationException ({@link ErrorCode#BATCH_TOO_LARGE}) above 1000 items;
     *                             ({@link ErrorCode#INVALID_BATCH}) for a null item, or unknown,
     *                             immutable or duplicate ids (listed)
     */
    BatchResult batchUpdate(List<MemoryUpdate> updates);

    /**
     * Deletes up to 1000 memories, all or nothing: unknown or duplicate ids fail the whole batch with
     * {@link ErrorCode#INVALID_BATCH} listing them, and nothing changes.
     *
     * @throws ValidationException ({@link ErrorCode#BATCH_TOO_LARGE}) above 1000 items;
     *                             ({@link ErrorCode#INVALID_BATCH}) for unknown or duplicate ids
     *                             (listed); ({@link ErrorCode#INVALID_ID}) for a null, blank or
     *                             malformed id
     */
    BatchResult batchDelete(List<String> memoryIds);

    /**
     * The graph part of {@code getAll} (Mem0's {@code relations}): every valid relation of a scope, in
     * the order they were added. Empty when graph memory is off (the default implementation).
     *
     * @param scope the scope, not empty (matches as {@link dev.memlayer.api.graph.GraphStore} says)
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) for an empty scope
     */
    default List<Relation> relations(Scope scope) {
        return relationHistory(scope).stream().filter(StoredRelation::valid).map(StoredRelation::toRelation).toList();
    }

    /**
     * Every relation of a scope, including those marked invalid because later information made them
     * outdated, with their timestamps: graph memory's history. Empty when graph memory is off (the
     * default implementation).
     *
     * @param scope the scope, not empty
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) for an empty scope
     */
    default List<StoredRelation> relationHistory(Scope scope) {
        if (scope == null || scope.isEmpty()) {
            throw new ValidationException(ErrorCode.MISSING_SCOPE, "relations need a user_id, agent_id or run_id");
        }
        return List.of();
    }

    /** Removes all memories, history and graph data of the configured collection. */
    void reset();

    /** @return the asynchronous view of this memory (same state) */
    AsyncMemory async();

    /** Closes backends that this memory owns. */
    @Override
    void close();

    /**
     * A plain builder, without Guice. memory-core provides it (found with {@link ServiceLoader}).
     *
     * @throws IllegalStateException if memory-core is not on the class path
     */
    static MemoryBuilder builder() {
        return ServiceLoader.load(MemoryBuilder.class, Memory.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "No MemoryBuilder found: add the dev.memlayer:memory-core dependency"));
    }
}

package dev.memlayer.core.internal;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.AsyncMemory;
import dev.memlayer.api.BatchResult;
import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.GetAllRequest;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.Ids;
import dev.memlayer.api.ImmutableMemoryException;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.MemoryNotFoundException;
import dev.memlayer.api.MemoryUpdate;
import dev.memlayer.api.Page;
import dev.memlayer.api.Scope;
import dev.memlayer.api.SearchRequest;
import dev.memlayer.api.SearchResult;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.graph.GraphConfig;
import dev.memlayer.api.graph.GraphExtractor;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.StoredRelation;
import dev.memlayer.api.Relation;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LlmExtractor;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memlayer's engine: the {@link Memory} facade (SPEC §1–§6) over a {@link VectorStore}, a
 * {@link HistoryStore}, an {@link Embedder} and an optional {@link LlmExtractor}. Thread-safe.
 * Writes of one operation are applied as one {@link WriteBatch}; {@code add} with inference,
 * updates and deletions of one scope are serialised by {@link ScopeLocks} (and, for reconciliation,
 * by {@link VectorStore#withScopeLock} across processes).
 *
 * <p>With a {@link GraphStore}, graph memory is on ({@link GraphMemory}): {@code add} with inference
 * also learns entities and relations (in parallel with the vector pipeline, on virtual threads) and
 * reports them in {@code AddResult.relations}; {@code search} also returns the relations most relevant
 * to the query; {@link #relations} and {@link #relationHistory} list a scope's graph;
 * {@code deleteAll} (without a filter), {@code deleteEntities} and {@code reset} clean the graph too,
 * graph last: the memories and their history go first (restored when the history write fails, so the
 * graph is never lost to a failed deletion); when the graph step then fails, a retryable
 * {@link StoreException} says that the memories are gone but the graph is not, and repeating the call
 * deletes the graph. {@code delete} of one memory leaves the graph alone (relations are not tied to
 * single memories; Mem0 does the same). Failure behaviour of {@code add}: the graph write is applied
 * before the vector batch, so a graph failure throws before anything is written; a vector failure
 * reverts the graph write.
 *
 * <p>Reconciliation never changes the scope ids of an existing memory: a session (run_id) or agent add
 * sees the user's long-term memories (for deduplication and to update a long-term fact), but an UPDATE
 * keeps the memory's user_id/agent_id/run_id and a NONE changes nothing ({@link AddPipeline}).
 *
 * <p>Reads and deletions without a scope need a filter that selects scope ids positively
 * ({@link Validation#requireScopeOrFilter}); {@code deleteAll} with such a filter holds the locks of
 * the scopes the filter names.
 *
 * <p>{@code rerank=true} is accepted and ignored (logged once, at DEBUG): memlayer has no reranker
 * SPI yet, and Mem0 OSS reranks only when a reranker is configured.
 */
public final class MemoryEngine implements Memory {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryEngine.class);
    /** The largest batch of {@link #batchUpdate} and {@link #batchDelete} (SPEC §5). */
    public static final int MAX_BATCH = 1000;

    private final EngineParts parts;
    private final AddPipeline addPipeline;
    private final List<AutoCloseable> owned;
    private final AsyncMemoryAdapter async;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean rerankNoted = new AtomicBoolean();

    /**
     * An engine without graph memory.
     *
     * @param config    engine settings, not null
     * @param store     the vector store, not null
     * @param history   the history store, not null
     * @param embedder  the embedder, not null; its dimension must equal the store's
     * @param extractor the LLM extractor, or null (then infer=true and procedural memory fail with
     *                  {@link ErrorCode#LLM_NOT_CONFIGURED})
     * @param owned     components closed by {@link #close()}, in order (duplicates closed once)
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for a missing component or
     *                             different dimensions of embedder and store
     */
    public MemoryEngine(MemoryConfig config, VectorStore store, HistoryStore history, Embedder embedder,
                        LlmExtractor extractor, List<?> owned) {
        this(config, store, history, embedder, extractor, null, null, null, owned);
    }

    /**
     * An engine with graph memory when {@code graphStore} is given: {@code add} (with inference) also
     * writes entities and relations, {@code search} also returns relations, and the deletions and
     * {@code reset} clean the graph too.
     *
     * @param config         engine settings, not null
     * @param store          the vector store, not null
     * @param history        the history store, not null
     * @param embedder       the embedder, not null; its dimension must equal the store's
     * @param extractor      the LLM extractor, or null
     * @param graphStore     the graph store, or null for no graph memory
     * @param graphExtractor the graph extractor; needed with a graph store when {@code extractor} is
     *                       given (null otherwise: graph search then uses the query's embedding)
     * @param graphConfig    graph thresholds and limits, or null for {@link GraphConfig#defaults()}
     * @param owned          components closed by {@link #close()}, in order (duplicates closed once)
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for a missing component,
     *                             different dimensions of embedder and store, or a graph store with an
     *                             LLM extractor but no graph extractor
     */
    public MemoryEngine(MemoryConfig config, VectorStore store, HistoryStore history, Embedder embedder,
                        LlmExtractor extractor, GraphStore graphStore, GraphExtractor graphExtractor,
                        GraphConfig graphConfig, List<?> owned) {
        require(config, "a MemoryConfig");
        require(store, "a VectorStore");
        require(history, "a HistoryStore");
        require(embedder, "an Embedder");
        int storeDims = store.dimensions();
        int embedderDims = embedder.dimensions();
        if (storeDims != embedderDims) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "The embedder produces " + embedderDims
                    + "-dimensional vectors but the vector store holds " + storeDims
                    + "-dimensional ones; configure the store with the embedder's dimension (or use another embedder)");
        }
        if (graphStore != null && extractor != null && graphExtractor == null) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "Graph memory needs a language model or a"
                    + " GraphExtractor to learn relations: configure a LanguageModel (rather than only an LlmExtractor)"
                    + " or pass a GraphExtractor");
        }
        Embeddings embeddings = new Embeddings(embedder, storeDims);
        GraphMemory graph = graphStore == null ? null : new GraphMemory(graphStore, graphExtractor,
                graphConfig == null ? GraphConfig.defaults() : graphConfig, embeddings);
        this.parts = new EngineParts(config, store, history, embeddings, extractor, new ScopeLocks(), graph);
        this.addPipeline = new AddPipeline(parts);
        List<AutoCloseable> closeables = new ArrayList<>();
        Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Object o : owned == null ? List.of() : owned) {
            if (o instanceof AutoCloseable c && seen.add(o)) {
                closeables.add(c);
            }
        }
        this.owned = List.copyOf(closeables);
        this.async = new AsyncMemoryAdapter(this);
    }

    private static void require(Object component, String what) {
        if (component == null) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "memlayer needs " + what);
        }
    }

    // ---------------------------------------------------------------- add, search

    @Override
    public AddResult add(AddRequest request) {
        return addPipeline.add(request);
    }

    @Override
    public SearchResult search(SearchRequest request) {
        if (request == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "search needs a request");
        }
        Validation.requireScopeOrFilter(request.scope(), request.filter(), "search");
        Scope graphScope = graphScope(request.scope(), request.filter());
        Future<List<Relation>> relations = parts.graph() == null || graphScope.isEmpty() ? null
                : GraphMemory.EXECUTOR.submit(() -> parts.graph().search(request.query(), graphScope, parts.today()));
        try {
            List<MemoryItem> items = vectorSearch(request);
            return new SearchResult(items, relations == null ? List.of() : GraphMemory.await(relations));
        } finally {
            if (relations != null) {
                relations.cancel(true);
            }
        }
    }

    /**
     * The scope graph search runs in: the request's scope, completed by the user_id, agent_id and
     * run_id a filter requires at its top level (empty when neither names one).
     */
    private static Scope graphScope(Scope scope, Filter filter) {
        Map<String, Object> eq = Filters.equalityConstraints(filter);
        String user = scope.userId() != null ? scope.userId() : string(eq.get(FilterFields.USER_ID));
        String agent = scope.agentId() != null ? scope.agentId() : string(eq.get(FilterFields.AGENT_ID));
        String run = scope.runId() != null ? scope.runId() : string(eq.get(FilterFields.RUN_ID));
        try {
            return new Scope(user, agent, run);
        } catch (ValidationException e) {
            return scope;
        }
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    private List<MemoryItem> vectorSearch(SearchRequest request) {
        float[] vector = parts.embeddings().embed(request.query(), EmbeddingPurpose.SEARCH);
        Filter filter = Filters.allOf(Filters.scope(request.scope()), request.filter(),
                request.includeExpired() ? null : parts.notExpired());
        List<ScoredRecord> hits = EngineParts.backend("Vector search",
                () -> parts.store().search(new VectorQuery(vector, filter, request.limit())));
        double threshold = request.threshold() == null ? 0.0 : request.threshold();
        List<ScoredRecord> kept = new ArrayList<>(hits.size());
        for (ScoredRecord h : hits) {
            if (h.score() >= threshold) {
                kept.add(h);
            }
        }
        kept.sort(Comparator.comparingDouble(ScoredRecord::score).reversed()
                .thenComparing(h -> h.record().id()));
        if (request.rerank() && rerankNoted.compareAndSet(false, true)) {
            // once per engine: rerank is an accepted no-op until memlayer has a reranker SPI
            LOG.debug("rerank=true but memlayer has no reranker; results keep their similarity order (Mem0 OSS"
                    + " reranks only when a reranker is configured)");
        }
        List<MemoryItem> items = new ArrayList<>(Math.min(kept.size(), request.limit()));
        for (int i = 0; i < kept.size() && i < request.limit(); i++) {
            ScoredRecord h = kept.get(i);
            items.add(h.record().toItem(h.score()));
        }
        return items;
    }

    // ---------------------------------------------------------------- graph relations

    /**
     * {@inheritDoc} Empty when graph memory is off.
     */
    @Override
    public List<Relation> relations(Scope scope) {
        Scope s = Validation.requireScope(scope, "relations");
        if (parts.graph() == null) {
            return List.of();
        }
        return parts.graph().relations(s, false).stream().map(StoredRelation::toRelation).toList();
    }

    /**
     * {@inheritDoc} Empty when graph memory is off.
     */
    @Override
    public List<StoredRelation> relationHistory(Scope scope) {
        Scope s = Validation.requireScope(scope, "relationHistory");
        return parts.graph() == null ? List.of() : List.copyOf(parts.graph().relations(s, true));
    }

    // ---------------------------------------------------------------- get, getAll

    @Override
    public MemoryItem get(String memoryId) {
        return load(memoryId).toItem(null);
    }

    private MemoryRecord load(String memoryId) {
        String id = Ids.require("memory_id", memoryId);
        return EngineParts.backend("Reading memory " + id, () -> parts.store().get(id))
                .orElseThrow(() -> new MemoryNotFoundException(id));
    }

    @Override
    public Page<MemoryItem> getAll(GetAllRequest request) {
        if (request == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "getAll needs a request");
        }
        Validation.requireScopeOrFilter(request.scope(), request.filter(), "getAll");
        Filter filter = Filters.allOf(Filters.scope(request.scope()), request.filter(),
                request.includeExpired() ? null : parts.notExpired());
        long count = EngineParts.backend("Counting memories", () -> parts.store().count(filter));
        long offset = (long) (request.page() - 1) * request.pageSize();
        List<MemoryItem> items = new ArrayList<>();
        if (offset < count) {
            for (MemoryRecord r : EngineParts.backend("Listing memories",
                    () -> parts.store().list(filter, offset, request.pageSize()))) {
                items.add(r.toItem(null));
            }
        }
        return new Page<>(count, request.page(), request.pageSize(), items);
    }

    // ---------------------------------------------------------------- update, delete

    @Override
    public MemoryItem update(MemoryUpdate update) {
        if (update == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "update needs a MemoryUpdate");
        }
        Map<String, Object> patch = Validation.metadata(update.metadata(), "update of " + update.memoryId());
        MemoryRecord first = load(update.memoryId());
        return parts.locks().withLock(first.scope(), () -> {
            MemoryRecord before = load(update.memoryId());
            if (before.immutable()) {
                throw new ImmutableMemoryException(before.id());
            }
            float[] vector = update.text() == null ? null : parts.embeddings().embed(update.text(), EmbeddingPurpose.UPDATE);
            Instant now = parts.now();
            MemoryRecord after = applyUpdate(before, update, patch, vector, now);
            WriteBatch batch = new WriteBatch();
            batch.replace(before, after, WriteBatch.entry(after, before.memory(), after.memory(), EventType.UPDATE, now));
            parts.commit(batch);
            return after.toItem(null);
        });
    }

    private MemoryRecord applyUpdate(MemoryRecord before, MemoryUpdate update, Map<String, Object> patch, float[] vector,
                                     Instant now) {
        MemoryRecord.Builder b = before.toBuilder();
        if (update.text() != null) {
            b.memory(update.text()).hash(Hashing.md5Hex(update.text())).embedding(vector);
        } else if (before.embedding() == null) {
            b.embedding(parts.reembed(before));
        }
        if (!patch.isEmpty()) {
            Map<String, Object> merged = new LinkedHashMap<>(before.metadata());
            patch.forEach((k, v) -> {
                if (v == null) {
                    merged.remove(k);
                } else {
                    merged.put(k, v);
                }
            });
            b.metadata(merged);
        }
        b.updatedAt(update.timestamp() != null ? update.timestamp().truncatedTo(ChronoUnit.MILLIS) : now);
        return b.build();
    }

    @Override
    public void delete(String memoryId) {
        MemoryRecord first = load(memoryId);
        parts.locks().withLock(first.scope(), () -> {
            MemoryRecord before = load(memoryId);
            WriteBatch batch = new WriteBatch();
            batch.delete(before, WriteBatch.entry(before, before.memory(), null, EventType.DELETE, parts.now()));
            parts.commit(batch);
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Order and locking: the memories and their history DELETE rows go first (compensated as one
     * step: when the history write fails, the memories are restored); without a filter, the scope's
     * graph is deleted last. When that graph step fails after the memories were deleted, a retryable
     * {@link StoreException} says so; calling {@code deleteAll} again deletes the graph (and no
     * memories, as none are left). The scope's locks are held throughout; with an empty scope, the
     * locks of the scopes the filter names positively ({@link Validation#positiveScopes}).
     */
    @Override
    public long deleteAll(Scope scope, Filter filter) {
        Scope s = scope == null ? Scope.none() : scope;
        Validation.requireScopeOrFilter(s, filter, "deleteAll");
        Filter f = Filters.allOf(Filters.scope(s), filter);
        List<Scope> lockScopes = s.isEmpty() ? Validation.positiveScopes(filter) : List.of(s);
        return parts.locks().withLocks(lockScopes, () -> {
            long deleted = deleteWhere(f).size();
            if (filter == null && parts.graph() != null) {
                // graph last: a filter selects memories only
                deleteGraphs(List.of(s), deleted, "call deleteAll(" + s + ") again");
            }
            return deleted;
        });
    }

    /**
     * Deletes every match, writes a history DELETE per deleted memory, compensates on failure.
     *
     * @return the deleted records
     */
    private List<MemoryRecord> deleteWhere(Filter filter) {
        List<MemoryRecord> deleted = EngineParts.backend("Deleting memories", () -> parts.store().deleteWhere(filter));
        if (deleted.isEmpty()) {
            return List.of();
        }
        Instant now = parts.now();
        List<HistoryEntry> entries = new ArrayList<>(deleted.size());
        for (MemoryRecord r : deleted) {
            entries.add(WriteBatch.entry(r, r.memory(), null, EventType.DELETE, now));
        }
        try {
            parts.history().append(entries);
        } catch (RuntimeException e) {
            try {
                List<MemoryRecord> restore = new ArrayList<>(deleted.size());
                for (MemoryRecord r : deleted) {
                    // the store's embedding when it returned one; re-embedding is only the fallback
                    restore.add(r.embedding() != null ? r : r.withEmbedding(parts.reembed(r)));
                }
                parts.store().upsert(restore);
            } catch (RuntimeException rollbackFailure) {
                LOG.error("Could not restore {} deleted memories after the history store failed", deleted.size(),
                        rollbackFailure);
                e.addSuppressed(rollbackFailure);
            }
            throw new StoreException("The history store failed to record " + entries.size()
                    + " deletions; the memories were restored: " + e.getMessage(),
                    e instanceof StoreException se && se.retryable(), e);
        }
        return deleted;
    }

    /**
     * Deletes the graphs of scopes after their memories were deleted; tries every scope.
     *
     * @param retry what the caller should do to finish the job, e.g. "call deleteAll(...) again"
     * @throws StoreException (retryable) naming the scopes whose graphs could not be deleted
     */
    private void deleteGraphs(java.util.Collection<Scope> scopes, long deletedMemories, String retry) {
        List<Scope> failed = new ArrayList<>();
        RuntimeException failure = null;
        for (Scope scope : scopes) {
            try {
                parts.graph().deleteAll(scope);
            } catch (RuntimeException e) {
                failed.add(scope);
                if (failure == null) {
                    failure = e;
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            String which = failed.size() <= 10 ? failed.toString()
                    : failed.subList(0, 10) + " and " + (failed.size() - 10) + " more";
            throw graphFailure(deletedMemories, "the graph of " + which, retry, failure);
        }
    }

    private static StoreException graphFailure(long deletedMemories, String what, String retry, RuntimeException e) {
        return new StoreException(deletedMemories + " memories were deleted (with their history), but deleting " + what
                + " failed, so the graph may still hold their entities and relations; " + retry
                + " to delete them: " + e.getMessage(), true, e);
    }

    // ---------------------------------------------------------------- history, entities

    @Override
    public List<HistoryEntry> history(String memoryId) {
        String id = Ids.require("memory_id", memoryId);
        List<HistoryEntry> entries = EngineParts.backend("Reading history", () -> parts.history().history(id));
        if (entries.isEmpty() && EngineParts.backend("Reading memory " + id, () -> parts.store().get(id)).isEmpty()) {
            throw new MemoryNotFoundException(id);
        }
        return List.copyOf(entries);
    }

    @Override
    public List<EntitySummary> entities() {
        return List.copyOf(EngineParts.backend("Listing entities", () -> parts.store().entities()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Memories and history first, graph last, as {@link #deleteAll}: a graph failure after the
     * memories were deleted is a retryable {@link StoreException} naming the entities whose graph is
     * left. Calling {@code deleteEntities} again for one entity (or for everything) cleans it; after a
     * failure for a whole type, the message names the entities to call it for. The locks of every
     * affected entity are held throughout: the entity itself, or every entity of the type (or of every
     * type) listed before deleting. For a whole type, the graph of each of those entities, and of any
     * entity found among the deleted memories, is deleted; for everything, the graph store is reset.
     */
    @Override
    public long deleteEntities(EntityType type, String id) {
        if (type == null) {
            if (id != null) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "deleteEntities needs the entity type (user, agent or run) of id '" + id + "'");
            }
            return parts.locks().withLocks(entityScopes(null), () -> {
                long deleted = deleteWhere(Filters.or(Filters.exists(FilterFields.USER_ID),
                        Filters.exists(FilterFields.AGENT_ID), Filters.exists(FilterFields.RUN_ID))).size();
                if (parts.graph() != null) {
                    try {
                        parts.graph().reset();
                    } catch (RuntimeException e) {
                        throw graphFailure(deleted, "every graph", "call deleteEntities(null, null) again", e);
                    }
                }
                return deleted;
            });
        }
        if (id == null) {
            List<Scope> listed = entityScopes(type);
            return parts.locks().withLocks(listed, () -> {
                List<MemoryRecord> deleted = deleteWhere(Filters.exists(type.field()));
                if (parts.graph() != null) {
                    Set<Scope> graphs = new LinkedHashSet<>(listed);
                    for (MemoryRecord r : deleted) {
                        String entityId = r.scope().asMap().get(type.field());
                        if (entityId != null) {
                            graphs.add(entityScope(type, entityId));
                        }
                    }
                    deleteGraphs(graphs, deleted.size(), "call deleteEntities(" + type + ", id) for each of those ids (a"
                            + " repeated deleteEntities(" + type + ", null) no longer finds entities without memories)");
                }
                return (long) deleted.size();
            });
        }
        String entityId = Ids.require(type.field(), id);
        Scope scope = entityScope(type, entityId);
        return parts.locks().withLock(scope, () -> {
            long deleted = deleteWhere(Filters.eq(type.field(), entityId)).size();
            if (parts.graph() != null) {
                deleteGraphs(List.of(scope), deleted, "call deleteEntities(" + type + ", \"" + entityId + "\") again");
            }
            return deleted;
        });
    }

    /** @return one single-id scope per listed entity of the type (every type when null) */
    private List<Scope> entityScopes(EntityType type) {
        List<Scope> out = new ArrayList<>();
        for (EntitySummary e : EngineParts.backend("Listing entities", () -> parts.store().entities())) {
            if (type == null || e.type() == type) {
                out.add(entityScope(e.type(), e.id()));
            }
        }
        return out;
    }

    private static Scope entityScope(EntityType type, String id) {
        return switch (type) {
            case USER -> Scope.user(id);
            case AGENT -> Scope.agent(id);
            case RUN -> Scope.run(id);
        };
    }

    // ---------------------------------------------------------------- batches

    @Override
    public BatchResult batchUpdate(List<MemoryUpdate> updates) {
        if (updates == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "batchUpdate needs a list of updates");
        }
        checkBatchSize(updates.size(), "batchUpdate");
        if (updates.isEmpty()) {
            return new BatchResult(List.of());
        }
        List<String> ids = new ArrayList<>(updates.size());
        Map<String, Map<String, Object>> patches = new HashMap<>();
        for (MemoryUpdate u : updates) {
            if (u == null) {
                throw new ValidationException(ErrorCode.INVALID_BATCH, "batchUpdate: the list contains null");
            }
            ids.add(u.memoryId());
            patches.put(u.memoryId(), Validation.metadata(u.metadata(), "batchUpdate of " + u.memoryId()));
        }
        Map<String, MemoryRecord> first = loadBatch(ids, true, "batchUpdate");
        return parts.locks().withLocks(scopes(first.values()), () -> {
            Map<String, MemoryRecord> records = loadBatch(ids, true, "batchUpdate");
            List<String> texts = new ArrayList<>();
            for (MemoryUpdate u : updates) {
                if (u.text() != null) {
                    texts.add(u.text());
                }
            }
            List<float[]> vectors = parts.embeddings().embedAll(texts, EmbeddingPurpose.UPDATE);
            Instant now = parts.now();
            WriteBatch batch = new WriteBatch();
            int v = 0;
            for (MemoryUpdate u : updates) {
                MemoryRecord before = records.get(u.memoryId());
                float[] vector = u.text() == null ? null : vectors.get(v++);
                MemoryRecord after = applyUpdate(before, u, patches.get(u.memoryId()), vector, now);
                batch.replace(before, after, WriteBatch.entry(after, before.memory(), after.memory(), EventType.UPDATE, now));
            }
            parts.commit(batch);
            return new BatchResult(ids);
        });
    }

    @Override
    public BatchResult batchDelete(List<String> memoryIds) {
        if (memoryIds == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "batchDelete needs a list of memory ids");
        }
        checkBatchSize(memoryIds.size(), "batchDelete");
        if (memoryIds.isEmpty()) {
            return new BatchResult(List.of());
        }
        List<String> ids = new ArrayList<>(memoryIds.size());
        for (String id : memoryIds) {
            ids.add(Ids.require("memory_id", id));
        }
        Map<String, MemoryRecord> first = loadBatch(ids, false, "batchDelete");
        return parts.locks().withLocks(scopes(first.values()), () -> {
            Map<String, MemoryRecord> records = loadBatch(ids, false, "batchDelete");
            Instant now = parts.now();
            WriteBatch batch = new WriteBatch();
            for (String id : ids) {
                MemoryRecord before = records.get(id);
                batch.delete(before, WriteBatch.entry(before, before.memory(), null, EventType.DELETE, now));
            }
            parts.commit(batch);
            return new BatchResult(ids);
        });
    }

    private static void checkBatchSize(int size, String operation) {
        if (size > MAX_BATCH) {
            throw new ValidationException(ErrorCode.BATCH_TOO_LARGE, operation + " takes at most " + MAX_BATCH
                    + " items, got " + size + "; split it into smaller batches");
        }
    }

    /**
     * Loads the records of a batch, validating it as a whole.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_BATCH}) listing duplicate, unknown and (for
     *                             updates) immutable ids
     */
    private Map<String, MemoryRecord> loadBatch(List<String> ids, boolean refuseImmutable, String operation) {
        Set<String> unique = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (String id : ids) {
            if (!unique.add(id)) {
                duplicates.add(id);
            }
        }
        Map<String, MemoryRecord> records = new HashMap<>();
        for (MemoryRecord r : EngineParts.backend("Reading memories", () -> parts.store().get(List.copyOf(unique)))) {
            records.put(r.id(), r);
        }
        List<String> unknown = new ArrayList<>();
        List<String> immutable = new ArrayList<>();
        for (String id : unique) {
            MemoryRecord r = records.get(id);
            if (r == null) {
                unknown.add(id);
            } else if (refuseImmutable && r.immutable()) {
                immutable.add(id);
            }
        }
        if (!duplicates.isEmpty() || !unknown.isEmpty() || !immutable.isEmpty()) {
            List<String> problems = new ArrayList<>();
            if (!unknown.isEmpty()) {
                problems.add("unknown memory ids " + unknown);
            }
            if (!immutable.isEmpty()) {
                problems.add("immutable memory ids " + immutable + " (delete and re-add them instead)");
            }
            if (!duplicates.isEmpty()) {
                problems.add("duplicate memory ids " + duplicates);
            }
            throw new ValidationException(ErrorCode.INVALID_BATCH, operation + " rejected, nothing was changed: "
                    + String.join("; ", problems));
        }
        return records;
    }

    private static List<Scope> scopes(java.util.Collection<MemoryRecord> records) {
        Set<Scope> out = new LinkedHashSet<>();
        for (MemoryRecord r : records) {
            out.add(r.scope());
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- reset, async, close

    @Override
    public void reset() {
        EngineParts.backend("Resetting the vector store", () -> {
            parts.store().reset();
            return null;
        });
        EngineParts.backend("Resetting the history store", () -> {
            parts.history().reset();
            return null;
        });
        if (parts.graph() != null) {
            try {
                parts.graph().reset();
            } catch (RuntimeException e) {
                throw new StoreException("Every memory and all history were deleted, but resetting the graph store"
                        + " failed; call reset() again to delete the graph: " + e.getMessage(), true, e);
            }
        }
    }

    @Override
    public AsyncMemory async() {
        return async;
    }

    /** Closes the owned components (once), then stops the asynchronous executor. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        async.shutdown();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", c.getClass().getName(), e);
            }
        }
    }

    /** @return the configuration */
    public MemoryConfig config() {
        return parts.config();
    }
}

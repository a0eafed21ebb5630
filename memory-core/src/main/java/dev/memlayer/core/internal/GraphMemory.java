package dev.memlayer.core.internal;

import dev.memlayer.api.LlmException;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.Message;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.graph.ExtractedEntity;
import dev.memlayer.api.graph.GraphConfig;
import dev.memlayer.api.graph.GraphContext;
import dev.memlayer.api.graph.GraphEntity;
import dev.memlayer.api.graph.GraphExtractor;
import dev.memlayer.api.graph.GraphQuery;
import dev.memlayer.api.graph.GraphSearchResult;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.graph.GraphWriteResult;
import dev.memlayer.api.graph.ScoredEntity;
import dev.memlayer.api.graph.StoredRelation;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.core.internal.llm.Transcripts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's graph memory (Mem0's {@code MemoryGraph}), on a {@link GraphStore} and a
 * {@link GraphExtractor}. An {@code add} runs in three phases:
 *
 * <ol>
 *   <li>{@link #extract} (outside the scope lock, beside fact extraction): entities and their types,
 *       relations among them (two LLM calls), names normalised ({@link GraphNames}); each name is
 *       embedded and replaced by an existing entity's name when one of the scope is at least
 *       {@link GraphConfig#entityMatchThreshold()} similar (entity dedup);</li>
 *   <li>{@link #plan} (under the scope lock, beside reconciliation): the relations of the scope around
 *       those entities (similarity at least {@link GraphConfig#searchThreshold()}) are shown to the
 *       LLM, which names the outdated ones; the result is one {@link GraphWrite} that adds the new
 *       relations and marks the outdated ones invalid;</li>
 *   <li>the engine applies the graph write, then the vector batch; if the vector batch fails, the
 *       graph write is reverted ({@link #revert}).</li>
 * </ol>
 *
 * {@link #search} finds the entities of a query (LLM) or, without an extractor, uses the query's own
 * embedding, gathers the relations around the nearest entities and ranks them with BM25
 * ({@link Bm25}) against the query's words. Thread-safe.
 */
final class GraphMemory {

    private static final Logger LOG = LoggerFactory.getLogger(GraphMemory.class);
    /** Runs graph work beside the vector pipeline, one virtual thread per task. */
    static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

    private final GraphStore store;
    private final GraphExtractor extractor;
    private final GraphConfig config;
    private final Embeddings embeddings;

    /** What phase 1 learned from the new messages. */
    record Extraction(String text, GraphContext context, List<GraphEntity> entities, List<Relation> relations) {
        boolean isEmpty() {
            return entities.isEmpty();
        }
    }

    /**
     * @param store      the graph store
     * @param extractor  the graph extractor, or null (then {@code add} cannot build the graph and search
     *                   uses the query's embedding)
     * @param config     thresholds and limits
     * @param embeddings the engine's checked embedder
     */
    GraphMemory(GraphStore store, GraphExtractor extractor, GraphConfig config, Embeddings embeddings) {
        this.store = Objects.requireNonNull(store, "store");
        this.extractor = extractor;
        this.config = Objects.requireNonNull(config, "config");
        this.embeddings = Objects.requireNonNull(embeddings, "embeddings");
    }

    /** @return the store */
    GraphStore store() {
        return store;
    }

    // ---------------------------------------------------------------- add

    /** Phase 1: entities, relations, embeddings and entity dedup. */
    Extraction extract(List<Message> messages, Scope scope, LocalDate today) {
        if (extractor == null) {
            throw new LlmException("Graph memory needs a GraphExtractor (or a language model) to learn relations;"
                    + " nothing was written");
        }
        List<Message> said = messages.stream().filter(m -> m.role() != Role.SYSTEM).toList();
        String text = Transcripts.of(said);
        GraphContext context = GraphContext.of(scope, today);
        if (text.isBlank()) {
            return new Extraction(text, context, List.of(), List.of());
        }
        List<ExtractedEntity> found = llm("graph entity extraction", () -> extractor.extractEntities(text, context));
        Map<String, String> types = new LinkedHashMap<>();
        List<ExtractedEntity> normalised = new ArrayList<>();
        for (ExtractedEntity e : found == null ? List.<ExtractedEntity>of() : found) {
            String name = e == null ? null : GraphNames.normalise(e.name());
            if (name != null && !types.containsKey(name)) {
                String type = GraphNames.normalise(e.type());
                types.put(name, type == null ? GraphEntity.UNKNOWN_TYPE : type);
                normalised.add(new ExtractedEntity(name, types.get(name)));
            }
        }
        if (normalised.isEmpty()) {
            return new Extraction(text, context, List.of(), List.of());
        }
        List<Relation> stated = llm("graph relation extraction",
                () -> extractor.establishRelations(text, normalised, context));
        Set<Relation> relations = new LinkedHashSet<>();
        for (Relation r : stated == null ? List.<Relation>of() : stated) {
            Relation n = normalise(r);
            if (n != null) {
                relations.add(n);
                types.putIfAbsent(n.source(), GraphEntity.UNKNOWN_TYPE);
                types.putIfAbsent(n.destination(), GraphEntity.UNKNOWN_TYPE);
            }
        }
        // embed every name, then reuse the name of a near-identical entity the scope already has
        List<String> names = List.copyOf(types.keySet());
        List<float[]> vectors = embeddings.embedAll(names, EmbeddingPurpose.ADD);
        Map<String, String> canonical = new HashMap<>();
        Map<String, float[]> vectorOf = new HashMap<>();
        Map<String, String> typeOf = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            float[] v = vectors.get(i);
            List<ScoredEntity> same = EngineParts.backend("Graph entity search",
                    () -> store.searchEntities(scope, v, config.entityMatchThreshold(), 1));
            String target = same.isEmpty() ? name : same.get(0).name();
            if (!target.equals(name)) {
                LOG.debug("Graph entity '{}' is the existing entity '{}' (similarity {})", name, target,
                        same.get(0).score());
            }
            canonical.put(name, target);
            typeOf.putIfAbsent(target, same.isEmpty() ? types.get(name) : same.get(0).type());
            if (target.equals(name)) {
                vectorOf.put(target, v);
            }
        }
        List<String> missing = typeOf.keySet().stream().filter(n -> !vectorOf.containsKey(n)).toList();
        List<float[]> more = embeddings.embedAll(missing, EmbeddingPurpose.ADD);
        for (int i = 0; i < missing.size(); i++) {
            vectorOf.put(missing.get(i), more.get(i));
        }
        List<GraphEntity> entities = new ArrayList<>();
        typeOf.forEach((name, type) -> entities.add(new GraphEntity(name, type, vectorOf.get(name))));
        Set<Relation> resolved = new LinkedHashSet<>();
        for (Relation r : relations) {
            resolved.add(new Relation(canonical.get(r.source()), r.relationship(), canonical.get(r.destination())));
        }
        return new Extraction(text, context, entities, List.copyOf(resolved));
    }

    /** Phase 2: the relations around the new entities, the outdated ones, and the write. */
    GraphWrite plan(Extraction x, Scope scope, Instant now) {
        if (x.isEmpty()) {
            return new GraphWrite(scope, now, List.of(), List.of(), List.of());
        }
        List<float[]> vectors = x.entities().stream().map(GraphEntity::embedding).toList();
        GraphSearchResult around = EngineParts.backend("Graph search", () -> store.search(new GraphQuery(scope, vectors,
                config.searchThreshold(), config.entitiesPerQuery(), config.candidateRelations(), false)));
        List<String> invalidate = new ArrayList<>();
        if (!around.relations().isEmpty()) {
            Map<Relation, List<String>> idsByTriple = new LinkedHashMap<>();
            for (StoredRelation r : around.relations()) {
                idsByTriple.computeIfAbsent(r.toRelation(), k -> new ArrayList<>()).add(r.id());
            }
            List<Relation> existing = List.copyOf(idsByTriple.keySet());
            List<Relation> outdated = llm("graph outdated-relation decision",
                    () -> extractor.findOutdated(existing, x.relations(), x.text(), x.context()));
            Set<Relation> newOnes = Set.copyOf(x.relations());
            for (Relation o : outdated == null ? List.<Relation>of() : outdated) {
                Relation n = normalise(o);
                List<String> ids = n == null ? null : idsByTriple.get(n);
                if (ids == null) {
                    LOG.warn("Ignoring an outdated relation the model invented (not among the {} shown): {}",
                            existing.size(), o);
                } else if (newOnes.contains(n)) {
                    LOG.debug("Keeping {}: the new information states it again", n);
                } else {
                    ids.forEach(id -> {
                        if (!invalidate.contains(id)) {
                            invalidate.add(id);
                        }
                    });
                }
            }
        }
        return new GraphWrite(scope, now, x.entities(), x.relations(), invalidate);
    }

    /** Phase 3: applies a write. */
    GraphWriteResult write(GraphWrite write) {
        if (write.isEmpty()) {
            return new GraphWriteResult(write.scope(), List.of(), List.of(), List.of());
        }
        return EngineParts.backend("Writing graph memory", () -> store.write(write));
    }

    /** Undoes a write after the vector side of the same add failed; a failure is added to {@code cause}. */
    void revert(GraphWriteResult applied, RuntimeException cause) {
        if (applied.isEmpty()) {
            return;
        }
        try {
            store.revert(applied);
        } catch (RuntimeException e) {
            LOG.error("Could not revert graph changes after the vector store failed ({} added, {} invalidated);"
                    + " the graph may hold relations that no memory describes", applied.added().size(),
                    applied.invalidated().size(), e);
            cause.addSuppressed(e);
        }
    }

    /**
     * Runs the graph side of one {@code add}: phase 1 starts at once on a virtual thread; phase 2
     * ({@link #startPlanning}) when the caller holds the scope lock; {@link #awaitPlan} gives the write.
     * Closing cancels what is still running.
     */
    final class Task implements AutoCloseable {
        private final Scope scope;
        private final Future<Extraction> extraction;
        private Future<GraphWrite> planning;

        Task(List<Message> messages, Scope scope, LocalDate today) {
            this.scope = scope;
            this.extraction = EXECUTOR.submit(() -> extract(messages, scope, today));
        }

        /** Starts phase 2 (call with the scope lock held). */
        void startPlanning(Supplier<Instant> now) {
            if (planning == null) {
                planning = EXECUTOR.submit(() -> plan(await(extraction), scope, now.get()));
            }
        }

        /** @return the graph write of this add */
        GraphWrite awaitPlan(Supplier<Instant> now) {
            startPlanning(now);
            return await(planning);
        }

        @Override
        public void close() {
            extraction.cancel(true);
            if (planning != null) {
                planning.cancel(true);
            }
        }
    }

    /** @return a new task for the graph side of an add */
    Task start(List<Message> messages, Scope scope, LocalDate today) {
        return new Task(messages, scope, today);
    }

    // ---------------------------------------------------------------- search

    /**
     * The relations most relevant to a query: the relations around the query's entities, ranked by
     * BM25 against the query's words, at most {@link GraphConfig#relationLimit()}.
     */
    List<Relation> search(String query, Scope scope, LocalDate today) {
        List<String> names = new ArrayList<>();
        if (extractor != null) {
            GraphContext context = GraphContext.of(scope, today);
            List<ExtractedEntity> found = llm("graph entity extraction", () -> extractor.extractEntities(query, context));
            for (ExtractedEntity e : found == null ? List.<ExtractedEntity>of() : found) {
                String n = e == null ? null : GraphNames.normalise(e.name());
                if (n != null && !names.contains(n)) {
                    names.add(n);
                }
            }
        }
        List<float[]> vectors = names.isEmpty() ? List.of(embeddings.embed(query, EmbeddingPurpose.SEARCH))
                : embeddings.embedAll(names, EmbeddingPurpose.ADD);
        GraphSearchResult around = EngineParts.backend("Graph search", () -> store.search(new GraphQuery(scope, vectors,
                config.searchThreshold(), config.entitiesPerQuery(), config.candidateRelations(), false)));
        Set<Relation> triples = new LinkedHashSet<>();
        around.relations().forEach(r -> triples.add(r.toRelation()));
        List<String> terms = new ArrayList<>(Bm25.tokens(query));
        names.forEach(n -> terms.addAll(Bm25.tokens(n)));
        List<Relation> ranked = Bm25.rank(List.copyOf(triples),
                r -> r.source() + " " + r.relationship() + " " + r.destination(), terms);
        return ranked.size() > config.relationLimit() ? List.copyOf(ranked.subList(0, config.relationLimit())) : ranked;
    }

    // ---------------------------------------------------------------- listing and deletion

    /** @return the scope's relations (all, or only valid ones) */
    List<StoredRelation> relations(Scope scope, boolean includeInvalid) {
        return EngineParts.backend("Listing graph relations", () -> store.relations(scope, includeInvalid));
    }

    /** Deletes the scope's graph. */
    long deleteAll(Scope scope) {
        return EngineParts.backend("Deleting graph memory", () -> store.deleteAll(scope));
    }

    /** Deletes every graph. */
    void reset() {
        EngineParts.backend("Resetting graph memory", () -> {
            store.reset();
            return null;
        });
    }

    // ---------------------------------------------------------------- helpers

    private static Relation normalise(Relation r) {
        if (r == null) {
            return null;
        }
        String s = GraphNames.normalise(r.source());
        String rel = GraphNames.normalise(r.relationship());
        String d = GraphNames.normalise(r.destination());
        return s == null || rel == null || d == null ? null : new Relation(s, rel, d);
    }

    private static <T> T llm(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (MemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LlmException("The graph extractor failed during " + what + "; nothing was written: "
                    + e.getMessage(), e);
        }
    }

    /** Waits for graph work, rethrowing its memlayer exception as it is. */
    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MemoryException me) {
                throw me;
            }
            throw new StoreException("Graph memory failed: " + cause, false, cause);
        } catch (CancellationException e) {
            throw new StoreException("Graph memory work was cancelled; nothing was written", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for graph memory; nothing was written", true, e);
        }
    }
}

package dev.memlayer.core.internal;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.GraphChanges;
import dev.memlayer.api.Ids;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Message;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.graph.GraphWriteResult;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.ExistingMemory;
import dev.memlayer.api.spi.ExtractionContext;
import dev.memlayer.api.spi.Fact;
import dev.memlayer.api.spi.MemoryAction;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.core.internal.llm.ExtractedFacts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three ways of {@code add} (SPEC §2): verbatim (infer=false), inferred (extract facts, search
 * candidates, reconcile, apply — the candidate search, reconciliation and writes under the scope
 * lock) and procedural. All writes of one call go through one {@link WriteBatch}. With graph memory,
 * an inferred add also runs the graph side ({@link GraphMemory.Task}) beside it and applies the graph
 * write just before the batch ({@link #finish}).
 *
 * <p>Scopes in reconciliation: an add sees the memories of its own scope and of the broader scopes
 * it lies in ({@link #candidateFilter}), so a session (user + run_id) or agent (user + agent_id) add
 * can recognise and update the user's long-term memories. It never changes their scope ids: UPDATE
 * changes the text, embedding, hash, metadata, categories and updated_at only, and NONE changes
 * nothing. (We differ from SPEC §2's "NONE records the new agent_id/run_id association": that moved
 * long-term memories into the session, so later long-term adds duplicated them, other agents lost
 * them, and deleting the session deleted them.) Immutable memories are never changed at all.
 *
 * <p>History rows record when the event happened (now), also when the request's {@code timestamp}
 * overrides the memories' created_at/updated_at.
 */
final class AddPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(AddPipeline.class);

    static final String LLM_HINT = "configure one: install OpenAiModule (dev.memlayer:llm-openai, e.g. with"
            + " OPENAI_API_KEY set) or OllamaModule (dev.memlayer:llm-ollama) next to MemoryModule, or call"
            + " Memory.builder().languageModel(...)";

    private final EngineParts parts;

    AddPipeline(EngineParts parts) {
        this.parts = parts;
    }

    /** What every memory written by one add call gets. */
    private record Defaults(Scope scope, Map<String, Object> metadata, List<String> categories, Instant createdAt,
                            boolean immutable, LocalDate expirationDate) {
    }

    AddResult add(AddRequest request) {
        if (request == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "add needs a request");
        }
        Scope scope = Validation.requireScope(request.scope(), "add");
        List<Message> messages = Validation.requireMessages(request.messages());
        Map<String, Object> metadata = Validation.metadata(request.metadata(), "add");
        List<String> categories = Validation.categories(request.categories());
        Instant created = request.timestamp() != null
                ? request.timestamp().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) : parts.now();
        Defaults defaults = new Defaults(scope, metadata, categories, created, request.immutable(),
                request.expirationDate());
        if (request.memoryType() == MemoryType.PROCEDURAL) {
            return procedural(request, messages, defaults);
        }
        if (!request.infer()) {
            return verbatim(messages, defaults);
        }
        return infer(request, messages, defaults);
    }

    // ---------------------------------------------------------------- infer = false

    private AddResult verbatim(List<Message> messages, Defaults d) {
        List<Message> toStore = new ArrayList<>();
        List<String> actors = new ArrayList<>();
        for (Message m : messages) {
            if (m.role() == Role.SYSTEM || m.content().isBlank()) {
                continue;
            }
            actors.add(m.name() == null ? null : Ids.require("actor_id (message name)", m.name()));
            toStore.add(m);
        }
        if (toStore.isEmpty()) {
            return new AddResult(List.of(), noGraphChanges(), List.of("Nothing stored: the messages hold no user or"
                    + " assistant message with content (system messages are never stored)"));
        }
        List<float[]> vectors = parts.embeddings().embedAll(toStore.stream().map(Message::content).toList(),
                EmbeddingPurpose.ADD);
        Instant now = parts.now();
        WriteBatch batch = new WriteBatch();
        List<MemoryEvent> events = new ArrayList<>();
        for (int i = 0; i < toStore.size(); i++) {
            Message m = toStore.get(i);
            MemoryRecord r = newRecord(d, m.content(), vectors.get(i), d.categories())
                    .role(m.role()).actorId(actors.get(i)).build();
            batch.add(r, WriteBatch.entry(r, null, r.memory(), EventType.ADD, now));
            events.add(new MemoryEvent(r.id(), r.memory(), EventType.ADD, null));
        }
        parts.commit(batch);
        return new AddResult(events, noGraphChanges(), List.of());
    }

    // ---------------------------------------------------------------- procedural

    private AddResult procedural(AddRequest request, List<Message> messages, Defaults d) {
        if (d.scope().agentId() == null) {
            throw new ValidationException(ErrorCode.MISSING_SCOPE,
                    "procedural memory needs an agent_id in the scope, e.g. Scope.agent(\"travel-agent\")");
        }
        if (parts.extractor() == null) {
            throw new ValidationException(ErrorCode.LLM_NOT_CONFIGURED,
                    "procedural memory summarises the conversation with a language model, and none is configured; "
                            + LLM_HINT);
        }
        ExtractionContext ctx = new ExtractionContext(ExtractionContext.Target.AGENT, d.scope(), parts.today(),
                blankToNull(request.prompt()));
        String summary = llm("procedural summary", () -> parts.extractor().summarizeProcedure(messages, ctx));
        if (summary == null || summary.isBlank()) {
            throw new LlmException("The procedural summary is empty; nothing was written");
        }
        summary = summary.strip();
        float[] vector = parts.embeddings().embed(summary, EmbeddingPurpose.ADD);
        MemoryRecord r = newRecord(d, summary, vector, d.categories()).memoryType(MemoryType.PROCEDURAL).build();
        WriteBatch batch = new WriteBatch();
        batch.add(r, WriteBatch.entry(r, null, r.memory(), EventType.ADD, parts.now()));
        parts.commit(batch);
        return new AddResult(List.of(new MemoryEvent(r.id(), r.memory(), EventType.ADD, null)), noGraphChanges(),
                List.of());
    }

    // ---------------------------------------------------------------- infer = true

    private AddResult infer(AddRequest request, List<Message> messages, Defaults d) {
        if (parts.extractor() == null) {
            throw new ValidationException(ErrorCode.LLM_NOT_CONFIGURED,
                    "add with infer=true extracts facts with a language model, and none is configured; "
                            + LLM_HINT + "; or pass infer(false) to store the messages verbatim");
        }
        boolean agentTarget = d.scope().agentId() != null
                && messages.stream().anyMatch(m -> m.role() == Role.ASSISTANT && !m.content().isBlank());
        String prompt = blankToNull(request.prompt());
        ExtractionContext ctx = new ExtractionContext(
                agentTarget ? ExtractionContext.Target.AGENT : ExtractionContext.Target.USER, d.scope(), parts.today(),
                prompt != null ? prompt : parts.config().factExtractionPrompt());

        // graph memory (when configured) starts beside fact extraction; see finish() for the write order
        try (GraphMemory.Task graph = parts.graph() == null ? null
                : parts.graph().start(messages, d.scope(), parts.today())) {
            List<String> diagnostics = new ArrayList<>();
            List<Fact> extracted = llm("fact extraction", () -> parts.extractor().extractFacts(messages, ctx));
            if (extracted == null) {
                throw new LlmException("The extractor returned no fact list; nothing was written");
            }
            if (extracted instanceof ExtractedFacts read) {
                read.diagnostics().forEach(message -> skip(diagnostics, message));
            }
            List<Fact> facts = cleanFacts(extracted, diagnostics);
            if (facts.isEmpty()) {
                LOG.debug("No facts extracted for {}; nothing to reconcile", d.scope());
                if (graph == null) {
                    return new AddResult(List.of(), null, diagnostics);
                }
                return parts.locks().withLock(d.scope(), () -> finish(new WriteBatch(), List.of(), diagnostics, graph));
            }
            List<float[]> vectors = parts.embeddings().embedAll(facts.stream().map(Fact::text).toList(),
                    EmbeddingPurpose.ADD);
            return parts.locks().withLock(d.scope(), () -> EngineParts.backend("Reconciling under the store's scope lock",
                    () -> parts.store().withScopeLock(d.scope(),
                            () -> reconcileAndApply(facts, vectors, ctx, d, diagnostics, graph))));
        }
    }

    /** @return empty graph changes when graph memory is on (this add does not use it), else null */
    private GraphChanges noGraphChanges() {
        return parts.graph() == null ? null : GraphChanges.empty();
    }

    /**
     * Applies the writes of an add. With graph memory: waits for the graph write, applies it first (a
     * graph failure throws before anything is written), then commits the vector batch; when the vector
     * batch fails (it compensates itself), the graph write is reverted, so neither side is left
     * half-applied.
     */
    private AddResult finish(WriteBatch batch, List<MemoryEvent> events, List<String> diagnostics,
                             GraphMemory.Task graph) {
        if (graph == null) {
            parts.commit(batch);
            return new AddResult(events, null, diagnostics);
        }
        GraphWrite write = graph.awaitPlan(parts::now);
        GraphWriteResult applied = parts.graph().write(write);
        try {
            parts.commit(batch);
        } catch (RuntimeException e) {
            parts.graph().revert(applied, e);
            throw e;
        }
        return new AddResult(events, applied.toChanges(), diagnostics);
    }

    private static List<Fact> cleanFacts(List<Fact> extracted, List<String> diagnostics) {
        Map<String, Fact> byText = new LinkedHashMap<>();
        for (Fact f : extracted) {
            if (f == null || f.text() == null || f.text().isBlank()) {
                diagnostics.add("Skipped an empty fact from the extractor");
                continue;
            }
            String text = f.text().strip();
            Fact seen = byText.get(text);
            byText.put(text, new Fact(text, Validation.union(seen == null ? List.of() : seen.categories(), f.categories())));
        }
        return List.copyOf(byText.values());
    }

    /** The planned effect of one accepted action. */
    private sealed interface Planned permits PlannedAdd, PlannedUpdate, PlannedDelete {
    }

    private record PlannedAdd(String text) implements Planned {
    }

    private record PlannedUpdate(String id, String text) implements Planned {
    }

    private record PlannedDelete(String id) implements Planned {
    }

    private AddResult reconcileAndApply(List<Fact> facts, List<float[]> vectors, ExtractionContext ctx, Defaults d,
                                        List<String> diagnostics, GraphMemory.Task graph) {
        if (graph != null) {
            // the outdated-relation decision runs beside reconciliation, under the same scope lock
            graph.startPlanning(parts::now);
        }
        // 1. candidates: the most similar memories of the scope per fact, in parallel
        Filter scopeFilter = Filters.allOf(candidateFilter(d.scope()), parts.notExpired());
        List<List<ScoredRecord>> hits = searchCandidates(vectors, scopeFilter);
        Map<String, MemoryRecord> candidates = new LinkedHashMap<>();
        for (List<ScoredRecord> perFact : hits) {
            for (ScoredRecord hit : perFact) {
                candidates.putIfAbsent(hit.record().id(), hit.record());
            }
        }
        // 2. small integer ids instead of UUIDs
        Map<String, String> uuidBySmallId = new HashMap<>();
        List<ExistingMemory> existing = new ArrayList<>(candidates.size());
        int next = 0;
        for (MemoryRecord r : candidates.values()) {
            String small = Integer.toString(next++);
            uuidBySmallId.put(small, r.id());
            existing.add(new ExistingMemory(small, r.memory(), r.immutable()));
        }
        // 3. reconcile
        List<MemoryAction> actions = llm("reconciliation", () -> parts.extractor().reconcile(existing, facts, ctx));
        if (actions == null) {
            throw new LlmException("The extractor returned no action list; nothing was written");
        }
        // 4. plan: validate every action, first action per memory wins
        List<Planned> plan = plan(actions, candidates, uuidBySmallId, diagnostics);
        plan = dropDuplicateAdds(plan, candidates, diagnostics);
        if (plan.isEmpty()) {
            return finish(new WriteBatch(), List.of(), diagnostics, graph);
        }
        // 5. fresh copies (with embeddings) of the memories to change
        List<String> targets = new ArrayList<>();
        for (Planned p : plan) {
            switch (p) {
                case PlannedUpdate u -> targets.add(u.id());
                case PlannedDelete del -> targets.add(del.id());
                case PlannedAdd ignored -> { }
            }
        }
        Map<String, MemoryRecord> current = new HashMap<>();
        if (!targets.isEmpty()) {
            for (MemoryRecord r : EngineParts.backend("Reading memories to reconcile", () -> parts.store().get(targets))) {
                current.put(r.id(), r);
            }
        }
        // 6. embeddings: reuse a fact's vector when the text is the fact's
        Map<String, Integer> factIndex = new HashMap<>();
        for (int i = 0; i < facts.size(); i++) {
            factIndex.putIfAbsent(facts.get(i).text(), i);
        }
        List<String> addTexts = new ArrayList<>();
        List<String> updateTexts = new ArrayList<>();
        for (Planned p : plan) {
            if (p instanceof PlannedAdd a && !factIndex.containsKey(a.text())) {
                addTexts.add(a.text());
            } else if (p instanceof PlannedUpdate u && current.containsKey(u.id())) {
                updateTexts.add(u.text());
            }
        }
        Map<String, float[]> addVectors = zip(addTexts, parts.embeddings().embedAll(addTexts, EmbeddingPurpose.ADD));
        Map<String, float[]> updateVectors = zip(updateTexts, parts.embeddings().embedAll(updateTexts, EmbeddingPurpose.UPDATE));

        // 7. apply
        Instant now = parts.now();
        WriteBatch batch = new WriteBatch();
        List<MemoryEvent> events = new ArrayList<>();
        for (Planned p : plan) {
            switch (p) {
                case PlannedAdd a -> {
                    Integer fi = factIndex.get(a.text());
                    float[] vector = fi != null ? vectors.get(fi) : addVectors.get(a.text());
                    List<String> cats = Validation.union(fi != null ? facts.get(fi).categories() : List.of(), d.categories());
                    MemoryRecord r = newRecord(d, a.text(), vector, cats).build();
                    batch.add(r, WriteBatch.entry(r, null, r.memory(), EventType.ADD, now));
                    events.add(new MemoryEvent(r.id(), r.memory(), EventType.ADD, null));
                }
                case PlannedUpdate u -> {
                    MemoryRecord before = current.get(u.id());
                    if (before == null) {
                        skip(diagnostics, "Skipped UPDATE of memory " + u.id() + ": it was deleted meanwhile");
                        continue;
                    }
                    Integer fi = factIndex.get(u.text());
                    Map<String, Object> metadata = new LinkedHashMap<>(before.metadata());
                    metadata.putAll(d.metadata());
                    // the memory keeps its scope ids: a session or agent add never moves a memory
                    MemoryRecord after = before.toBuilder()
                            .memory(u.text())
                            .hash(Hashing.md5Hex(u.text()))
                            .embedding(updateVectors.get(u.text()))
                            .metadata(metadata)
                            .categories(Validation.union(before.categories(),
                                    fi != null ? facts.get(fi).categories() : List.of(), d.categories()))
                            .updatedAt(now)
                            .build();
                    batch.replace(before, after, WriteBatch.entry(after, before.memory(), after.memory(), EventType.UPDATE, now));
                    events.add(new MemoryEvent(after.id(), after.memory(), EventType.UPDATE, before.memory()));
                }
                case PlannedDelete del -> {
                    MemoryRecord before = current.get(del.id());
                    if (before == null) {
                        skip(diagnostics, "Skipped DELETE of memory " + del.id() + ": it was deleted meanwhile");
                        continue;
                    }
                    batch.delete(before, WriteBatch.entry(before, before.memory(), null, EventType.DELETE, now));
                    events.add(new MemoryEvent(before.id(), before.memory(), EventType.DELETE, null));
                }
            }
        }
        return finish(batch, events, diagnostics, graph);
    }

    /**
     * The memories reconciliation may see and change for a call's scope: those of the scope itself
     * and of the broader scopes it lies in. The first id of the scope (user_id, else agent_id, else
     * run_id) must match; each other id of the scope must match or be absent from the memory (so a
     * session add sees the user's long-term memories, to avoid duplicating them and to update them);
     * ids the scope lacks must be absent from the memory (a long-term add never touches session or
     * agent memories). Seeing a broader memory never moves it: reconciliation keeps every memory's
     * scope ids. Procedural memories are never candidates.
     */
    static Filter candidateFilter(Scope scope) {
        List<Filter> parts = new ArrayList<>();
        boolean primaryDone = false;
        String[][] fields = {
                {FilterFields.USER_ID, scope.userId()},
                {FilterFields.AGENT_ID, scope.agentId()},
                {FilterFields.RUN_ID, scope.runId()}};
        for (String[] f : fields) {
            String field = f[0];
            String value = f[1];
            if (value == null) {
                parts.add(Filters.not(Filters.exists(field)));
            } else if (!primaryDone) {
                parts.add(0, Filters.eq(field, value));
                primaryDone = true;
            } else {
                parts.add(Filters.or(Filters.eq(field, value), Filters.not(Filters.exists(field))));
            }
        }
        parts.add(Filters.ne(FilterFields.MEMORY_TYPE, MemoryType.PROCEDURAL.wireName()));
        return Filters.and(parts);
    }

    private List<List<ScoredRecord>> searchCandidates(List<float[]> vectors, Filter scopeFilter) {
        int k = parts.config().searchCandidatesPerFact();
        if (vectors.size() == 1) {
            return List.of(EngineParts.backend("Searching candidate memories",
                    () -> parts.store().search(new VectorQuery(vectors.get(0), scopeFilter, k))));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<ScoredRecord>>> futures = new ArrayList<>(vectors.size());
            for (float[] v : vectors) {
                futures.add(executor.submit(() -> parts.store().search(new VectorQuery(v, scopeFilter, k))));
            }
            List<List<ScoredRecord>> out = new ArrayList<>(futures.size());
            for (Future<List<ScoredRecord>> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MemoryException me) {
                throw me;
            }
            throw new StoreException("Searching candidate memories failed: " + cause, false, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while searching candidate memories; nothing was written", true, e);
        }
    }

    private static List<Planned> plan(List<MemoryAction> actions, Map<String, MemoryRecord> candidates,
                                      Map<String, String> uuidBySmallId, List<String> diagnostics) {
        List<Planned> plan = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        for (MemoryAction action : actions) {
            if (action == null) {
                continue;
            }
            EventType event = action.event();
            if (event == null) {
                skip(diagnostics, "Skipped an action with a missing or unknown event (id " + quote(action.id())
                        + ", text " + quote(action.text()) + ")");
                continue;
            }
            if (event == EventType.ADD) {
                String text = strip(action.text());
                if (text == null) {
                    skip(diagnostics, "Skipped an ADD with empty text");
                } else {
                    plan.add(new PlannedAdd(text));
                }
                continue;
            }
            String smallId = strip(action.id());
            String uuid = smallId == null ? null : uuidBySmallId.get(smallId);
            if (uuid == null) {
                skip(diagnostics, "Skipped " + event + " of id " + quote(action.id()) + ": not one of the memories shown to"
                        + " the model (" + (uuidBySmallId.isEmpty() ? "none were shown"
                        : "ids 0.." + (uuidBySmallId.size() - 1)) + ")");
                continue;
            }
            if (!claimed.add(uuid)) {
                skip(diagnostics, "Skipped a second action (" + event + ") on memory " + uuid
                        + "; only the first action per memory is applied");
                continue;
            }
            MemoryRecord memory = candidates.get(uuid);
            if (event != EventType.NONE && memory.immutable()) {
                skip(diagnostics, "Memory " + uuid + " is immutable: " + event + " treated as NONE");
                event = EventType.NONE;
            }
            switch (event) {
                case UPDATE -> {
                    String text = strip(action.text());
                    if (text == null) {
                        skip(diagnostics, "Skipped UPDATE of memory " + uuid + " with empty text");
                    } else if (!text.equals(memory.memory())) {
                        plan.add(new PlannedUpdate(uuid, text));
                    } // the same text: nothing changes, as NONE
                }
                case DELETE -> plan.add(new PlannedDelete(uuid));
                case NONE -> {
                    // nothing changes, not even the memory's scope ids
                }
                case ADD -> throw new IllegalStateException("unreachable");
            }
        }
        return plan;
    }

    /** Drops ADDs whose text equals a memory that survives this call or an earlier ADD of it. */
    private static List<Planned> dropDuplicateAdds(List<Planned> plan, Map<String, MemoryRecord> candidates,
                                                   List<String> diagnostics) {
        Map<String, String> finalText = new HashMap<>();
        candidates.values().forEach(r -> finalText.put(r.id(), r.memory()));
        for (Planned p : plan) {
            if (p instanceof PlannedUpdate u) {
                finalText.put(u.id(), u.text());
            } else if (p instanceof PlannedDelete del) {
                finalText.remove(del.id());
            }
        }
        Set<String> taken = new HashSet<>(finalText.values());
        List<Planned> out = new ArrayList<>(plan.size());
        for (Planned p : plan) {
            if (p instanceof PlannedAdd a && !taken.add(a.text())) {
                skip(diagnostics, "Skipped ADD of " + quote(a.text()) + ": the scope already holds that memory");
                continue;
            }
            out.add(p);
        }
        return out;
    }

    private static MemoryRecord.Builder newRecord(Defaults d, String text, float[] vector, List<String> categories) {
        return MemoryRecord.builder()
                .id(UUID.randomUUID().toString())
                .memory(text)
                .hash(Hashing.md5Hex(text))
                .embedding(vector)
                .metadata(d.metadata())
                .categories(categories)
                .createdAt(d.createdAt())
                .updatedAt(d.createdAt())
                .scope(d.scope())
                .immutable(d.immutable())
                .expirationDate(d.expirationDate());
    }

    private static Map<String, float[]> zip(List<String> texts, List<float[]> vectors) {
        Map<String, float[]> out = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            out.putIfAbsent(texts.get(i), vectors.get(i));
        }
        return out;
    }

    /** Runs an extractor call; a failure that is not a memlayer exception becomes an {@link LlmException}. */
    private static <T> T llm(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (MemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LlmException("The LLM extractor failed during " + what + "; nothing was written: " + e.getMessage(), e);
        }
    }

    private static void skip(List<String> diagnostics, String message) {
        LOG.warn(message);
        diagnostics.add(message);
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
}

package dev.memlayer.conformance.memory;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.contains;
import static dev.memlayer.api.filter.Filters.eq;
import static dev.memlayer.api.filter.Filters.exists;
import static dev.memlayer.api.filter.Filters.gte;
import static dev.memlayer.api.filter.Filters.keywords;
import static dev.memlayer.api.filter.Filters.lt;
import static dev.memlayer.api.filter.Filters.lte;
import static dev.memlayer.api.filter.Filters.ne;
import static dev.memlayer.api.filter.Filters.nin;
import static dev.memlayer.api.filter.Filters.none;
import static dev.memlayer.api.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import dev.memlayer.api.ImmutableMemoryException;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryBuilder;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.MemoryNotFoundException;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.MemoryUpdate;
import dev.memlayer.api.Message;
import dev.memlayer.api.Page;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.SearchRequest;
import dev.memlayer.api.SearchResult;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.filter.Operator;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.ExistingMemory;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.MemoryAction;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.memory.ScriptedLanguageModel.CallKind;
import dev.memlayer.conformance.memory.ScriptedLanguageModel.ReconcileInput;
import dev.memlayer.conformance.memory.ScriptedLanguageModel.TranscriptLine;
import dev.memlayer.core.json.FilterJsonParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour contract of the whole engine (SPEC.md §1–§6), exercised through the {@link Memory}
 * facade. A backend runs it with one subclass that supplies its stores:
 *
 * <pre>{@code
 * class PgVectorMemoryConformanceTest extends MemoryContract {
 *     protected VectorStore createVectorStore(int dimensions) { return new PgVectorStore(...); }
 *     protected HistoryStore createHistoryStore() { return new PgHistoryStore(...); }
 * }
 * }</pre>
 *
 * <p>Before every test the suite builds a {@link Memory} with {@link Memory#builder()} from
 * <ul>
 *   <li>the stores of the hooks (the history store wrapped in a {@link RecordingHistoryStore}, so a
 *       test can prove that a failed call appended nothing),</li>
 *   <li>a {@link ScriptedLanguageModel} (through {@link #createLanguageModel()}),</li>
 *   <li>a {@link ScriptEmbedder} of {@value ScriptEmbedder#DEFAULT_DIMENSIONS} dimensions (through
 *       {@link #createEmbedder()}),</li>
 *   <li>a {@link MutableClock} in {@link MemoryConfig}, starting at {@link #START} (whole seconds, so
 *       every backend stores instants exactly),</li>
 * </ul>
 * and calls {@link Memory#reset()}; after it, it closes the memory. The hooks may be called more than
 * once per test (a few tests build a second memory); each call must return a new, independent store
 * on the same collection.
 *
 * <p>Tests that check "nothing was written" compare a {@link Snapshot} of the vector store's records
 * and of the history journal before and after the failing call.
 */
public abstract class MemoryContract {

    /** The instant the clock shows when a test starts: 2025-03-10T09:00:00Z. */
    protected static final Instant START = Instant.parse("2025-03-10T09:00:00Z");
    /** Alex's long-term scope. */
    protected static final Scope ALEX = Scope.user("alex");
    /** Bob's long-term scope. */
    protected static final Scope BOB = Scope.user("bob");

    private static final Pattern SMALL_INT = Pattern.compile("\\d+");
    private static final Duration FUTURE_TIMEOUT = Duration.ofSeconds(30);

    private MutableClock clock;
    private ScriptedLanguageModel llm;
    private ScriptEmbedder embedder;
    private LanguageModel languageModel;
    private VectorStore vectorStore;
    private RecordingHistoryStore historyStore;
    private Memory memory;
    private final List<Memory> extraMemories = new ArrayList<>();

    // ================================================================ hooks

    /**
     * @param dimensions the embedder's dimension
     * @return a new vector store on the collection under test
     */
    protected abstract VectorStore createVectorStore(int dimensions);

    /** @return a new history store on the collection under test */
    protected abstract HistoryStore createHistoryStore();

    /**
     * The language model the memory uses. The default is the scripted model itself; end-to-end tests
     * of a provider return a client pointed at a local server that answers with
     * {@link #scriptedModel()}, so every test still scripts and inspects the same calls.
     */
    protected LanguageModel createLanguageModel() {
        return scriptedModel();
    }

    /**
     * The embedder the memory uses. The default is {@link #scriptEmbedder()}; end-to-end tests of a
     * provider return a client pointed at a local server that embeds with it (pinned vectors must
     * survive the trip).
     */
    protected Embedder createEmbedder() {
        return scriptEmbedder();
    }

    // ================================================================ life cycle

    @BeforeEach
    void setUpMemory() {
        clock = new MutableClock(START);
        llm = new ScriptedLanguageModel();
        embedder = new ScriptEmbedder();
        languageModel = createLanguageModel();
        Embedder usedEmbedder = createEmbedder();
        vectorStore = createVectorStore(usedEmbedder.dimensions());
        historyStore = new RecordingHistoryStore(createHistoryStore());
        memory = Memory.builder()
                .config(MemoryConfig.builder().clock(clock).build())
                .vectorStore(vectorStore)
                .historyStore(historyStore)
                .embedder(usedEmbedder)
                .languageModel(languageModel)
                .build();
        memory.reset();
        historyStore.clearJournal();
        llm.clear();
    }

    @AfterEach
    void closeMemory() {
        for (Memory extra : extraMemories) {
            extra.close();
        }
        extraMemories.clear();
        if (memory != null) {
            memory.close();
        }
    }

    // ================================================================ accessors for subclasses

    /** @return the memory under test */
    protected final Memory memory() {
        return memory;
    }

    /** @return the scripted model behind the memory's language model */
    protected final ScriptedLanguageModel scriptedModel() {
        return llm;
    }

    /** @return the scripted embedder behind the memory's embedder */
    protected final ScriptEmbedder scriptEmbedder() {
        return embedder;
    }

    /** @return the clock of the memory under test */
    protected final MutableClock clock() {
        return clock;
    }

    /** @return the vector store of the memory under test */
    protected final VectorStore vectorStore() {
        return vectorStore;
    }

    /** @return the journaling history store of the memory under test */
    protected final RecordingHistoryStore historyStore() {
        return historyStore;
    }

    /**
     * Builds another memory on new stores from the hooks, the same clock and embedder, closed after
     * the test.
     *
     * @param model     the language model, or null for none
     * @param configure adjusts the configuration
     */
    protected final Memory buildExtraMemory(LanguageModel model, UnaryOperator<MemoryConfig.Builder> configure) {
        Embedder usedEmbedder = createEmbedder();
        MemoryBuilder builder = Memory.builder()
                .config(configure.apply(MemoryConfig.builder().clock(clock)).build())
                .vectorStore(createVectorStore(usedEmbedder.dimensions()))
                .historyStore(createHistoryStore())
                .embedder(usedEmbedder);
        if (model != null) {
            builder.languageModel(model);
        }
        Memory extra = builder.build();
        extraMemories.add(extra);
        return extra;
    }

    // ================================================================ helpers

    /** A stored memory without its embedding, comparable with equals. */
    protected record StoredMemory(String id, String memory, String hash, Map<String, Object> metadata,
                                  List<String> categories, Instant createdAt, Instant updatedAt, String userId,
                                  String agentId, String runId, String actorId, Role role, MemoryType memoryType,
                                  boolean immutable, LocalDate expirationDate) {
        static StoredMemory of(MemoryRecord r) {
            return new StoredMemory(r.id(), r.memory(), r.hash(), r.metadata(), r.categories(), r.createdAt(),
                    r.updatedAt(), r.userId(), r.agentId(), r.runId(), r.actorId(), r.role(), r.memoryType(),
                    r.immutable(), r.expirationDate());
        }
    }

    /**
     * Everything stored: every record of the vector store (by id) and the number of history entries
     * appended so far.
     */
    protected record Snapshot(List<StoredMemory> memories, int historyEntries) {
    }

    /** @return the current state of both stores */
    protected final Snapshot snapshot() {
        List<StoredMemory> all = new ArrayList<>();
        for (MemoryRecord r : vectorStore.list(null, 0, 100_000)) {
            all.add(StoredMemory.of(r));
        }
        all.sort(Comparator.comparing(StoredMemory::id));
        return new Snapshot(List.copyOf(all), historyStore.journalSize());
    }

    /** Asserts that nothing was stored, changed, deleted or appended to history since {@code before}. */
    protected final void assertUnchanged(Snapshot before) {
        Snapshot now = snapshot();
        assertThat(now.memories()).as("stored memories").containsExactlyElementsOf(before.memories());
        assertThat(historyStore.journal().subList(before.historyEntries(), now.historyEntries()))
                .as("history entries appended").isEmpty();
    }

    /** @return the stored record of a memory (without embedding), read from the vector store */
    protected final StoredMemory stored(String id) {
        return StoredMemory.of(vectorStore.get(id).orElseThrow(() -> new AssertionError("no memory " + id)));
    }

    /** Asserts that the call throws a {@link ValidationException} with the code. */
    protected static void assertValidation(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code));
    }

    /** Stores each text verbatim (infer=false) as a user message, in one add; returns the ids in order. */
    protected final List<String> remember(Scope scope, String... texts) {
        return remember(AddRequest.builder().scope(scope), texts);
    }

    /** Stores each text verbatim with the builder's other settings; returns the ids in order. */
    protected final List<String> remember(AddRequest.Builder builder, String... texts) {
        for (String t : texts) {
            builder.user(t);
        }
        AddResult result = memory.add(builder.infer(false).build());
        return idsByText(result, List.of(texts));
    }

    /** Stores one text verbatim; returns its id. */
    protected final String rememberOne(Scope scope, String text) {
        return remember(scope, text).get(0);
    }

    /** Stores one text verbatim with the builder's other settings; returns its id. */
    protected final String rememberOne(AddRequest.Builder builder, String text) {
        return remember(builder, text).get(0);
    }

    private static List<String> idsByText(AddResult result, List<String> texts) {
        List<MemoryEvent> events = new ArrayList<>(result.results());
        assertThat(events).as("events of a verbatim add").hasSize(texts.size())
                .allSatisfy(e -> assertThat(e.event()).isEqualTo(EventType.ADD));
        List<String> ids = new ArrayList<>();
        for (String t : texts) {
            MemoryEvent match = events.stream().filter(e -> e.memory().equals(t)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ADD event for '" + t + "' in " + result.results()));
            events.remove(match);
            ids.add(match.id());
        }
        return ids;
    }

    /** @return every memory of the scope (page 1, 1000 per page), newest first */
    protected final List<MemoryItem> all(Scope scope) {
        return memory.getAll(new GetAllRequest(scope, null, 1, GetAllRequest.MAX_PAGE_SIZE, false)).results();
    }

    /** @return every memory matching the filter (page 1, 1000 per page) */
    protected final List<MemoryItem> all(Scope scope, Filter filter) {
        return memory.getAll(new GetAllRequest(scope, filter, 1, GetAllRequest.MAX_PAGE_SIZE, false)).results();
    }

    /** @return the texts of the items, in order */
    protected static List<String> texts(List<MemoryItem> items) {
        return items.stream().map(MemoryItem::memory).toList();
    }

    /** @return the ids of the items, in order */
    protected static List<String> ids(List<MemoryItem> items) {
        return items.stream().map(MemoryItem::id).toList();
    }

    /** @return the events of the history entries, in order */
    protected static List<EventType> events(List<HistoryEntry> history) {
        return history.stream().map(HistoryEntry::event).toList();
    }

    /** MD5 hex of the UTF-8 bytes (SPEC §2). */
    protected static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses Mem0's v2 JSON filter with memory-core's parser. */
    protected static Filter parseFilter(String json) {
        return FilterJsonParser.parse(json);
    }

    /**
     * Passes every call to the embedder it wraps and remembers the threads that made them; closes it
     * (when it is closeable) with the memory.
     */
    private static final class ThreadObservingEmbedder implements Embedder, AutoCloseable {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final Embedder delegate;

        ThreadObservingEmbedder(Embedder delegate) {
            this.delegate = delegate;
        }

        @Override
        public int dimensions() {
            return delegate.dimensions();
        }

        @Override
        public float[] embed(String text, EmbeddingPurpose purpose) {
            threads.add(Thread.currentThread());
            return delegate.embed(text, purpose);
        }

        @Override
        public List<float[]> embedAll(List<String> texts, EmbeddingPurpose purpose) {
            threads.add(Thread.currentThread());
            return delegate.embedAll(texts, purpose);
        }

        @Override
        public void close() throws Exception {
            if (delegate instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private boolean modelIsScripted() {
        return languageModel == llm;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(FUTURE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future failed: " + e, e);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(FUTURE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not complete: " + e, e);
        }
        throw new AssertionError("future completed normally; expected a failure");
    }

    private static double number(Object value) {
        assertThat(value).isInstanceOf(Number.class);
        return ((Number) value).doubleValue();
    }

    // ================================================================ §1 scope and identity

    @Nested
    class ScopeAndIdentity {

        @Test
        void add_without_any_scope_id_is_rejected_and_writes_nothing() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();

            assertValidation(ErrorCode.MISSING_SCOPE,
                    () -> memory.add(AddRequest.builder().user("I like coffee").infer(false).build()));
            assertValidation(ErrorCode.MISSING_SCOPE,
                    () -> memory.add(AddRequest.builder().user("I like coffee").build()));
            assertValidation(ErrorCode.MISSING_SCOPE,
                    () -> memory.add(AddRequest.builder().user("I like coffee").scope(Scope.none()).build()));

            assertThat(llm.requests()).as("LLM calls").isEmpty();
            assertUnchanged(before);
        }

        @Test
        void search_and_getAll_need_a_scope_or_a_filter_naming_one() {
            String id = rememberOne(AddRequest.builder().scope(ALEX).metadata("topic", "drinks"), "Likes tea");
            Snapshot before = snapshot();

            assertValidation(ErrorCode.MISSING_SCOPE, () -> memory.search(SearchRequest.of("tea", Scope.none())));
            assertValidation(ErrorCode.MISSING_SCOPE, () -> memory.getAll(Scope.none()));
            assertValidation(ErrorCode.MISSING_SCOPE, () -> memory.deleteAll(Scope.none(), null));
            assertValidation(ErrorCode.MISSING_SCOPE,
                    () -> memory.search(SearchRequest.builder("tea").filter(eq("topic", "drinks")).build()));
            assertValidation(ErrorCode.MISSING_SCOPE,
                    () -> memory.getAll(new GetAllRequest(Scope.none(), eq("topic", "drinks"), 1, 10, false)));
            assertUnchanged(before);

            assertThat(ids(memory.search(SearchRequest.builder("tea").filter(eq("user_id", "alex")).build()).results()))
                    .containsExactly(id);
            assertThat(ids(all(Scope.none(), eq("user_id", "alex")))).containsExactly(id);
        }

        @Test
        void filters_that_do_not_select_a_scope_positively_read_and_delete_nothing() {
            rememberOne(ALEX, "Likes tea");
            rememberOne(BOB, "Likes tea too");
            rememberOne(new Scope("bob", null, "run-1"), "Likes tea in the morning");
            Snapshot before = snapshot();
            List<Filter> reachEveryone = List.of(
                    parseFilter("{\"user_id\": \"*\"}"),
                    parseFilter("{\"NOT\": [{\"user_id\": \"x\"}]}"),
                    parseFilter("{\"user_id\": {\"ne\": \"x\"}}"),
                    parseFilter("{\"user_id\": {\"nin\": [\"x\"]}}"),
                    parseFilter("{\"OR\": [{\"user_id\": \"alex\"}, {\"memory\": {\"contains\": \"tea\"}}]}"),
                    parseFilter("{\"NOT\": [{\"run_id\": \"*\"}]}"),
                    parseFilter("{\"NOT\": [{\"NOT\": [{\"user_id\": \"bob\"}]}]}"));

            for (Filter filter : reachEveryone) {
                assertValidation(ErrorCode.MISSING_SCOPE, () -> all(Scope.none(), filter));
                assertValidation(ErrorCode.MISSING_SCOPE,
                        () -> memory.search(SearchRequest.builder("tea").filter(filter).build()));
                assertValidation(ErrorCode.MISSING_SCOPE, () -> memory.deleteAll(Scope.none(), filter));
            }

            assertUnchanged(before);
            assertThat(texts(all(Scope.none(), or(eq("user_id", "alex"), Filters.in("user_id", "bob")))))
                    .as("an OR whose every branch selects users").hasSize(3);
            assertThat(texts(all(Scope.none(), and(eq("user_id", "bob"), none(exists("run_id"))))))
                    .as("a positive scope next to a negation").containsExactly("Likes tea too");
        }

        @Test
        void blank_and_whitespace_ids_are_rejected_and_nothing_is_written() {
            String id = rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();

            assertValidation(ErrorCode.INVALID_ID, () -> Scope.user("   "));
            assertValidation(ErrorCode.INVALID_ID, () -> Scope.user(""));
            assertValidation(ErrorCode.INVALID_ID, () -> Scope.user("al ex"));
            assertValidation(ErrorCode.INVALID_ID, () -> new Scope("alex", "travel\tagent", null));
            assertValidation(ErrorCode.INVALID_ID, () -> new Scope(null, null, "run\u0000"));
            assertValidation(ErrorCode.INVALID_ID, () -> new Scope(null, "bot\u200b", null));
            assertValidation(ErrorCode.INVALID_ID, () -> memory.get("   "));
            assertValidation(ErrorCode.INVALID_ID, () -> memory.delete("a b"));
            assertValidation(ErrorCode.INVALID_ID, () -> memory.history("\n"));
            assertValidation(ErrorCode.INVALID_ID, () -> memory.update(" ", "text"));
            assertValidation(ErrorCode.INVALID_ID, () -> memory.deleteEntities(EntityType.USER, " "));
            assertValidation(ErrorCode.INVALID_ID, () -> memory.deleteEntities(EntityType.AGENT, "a\tb"));
            assertThatThrownBy(() -> memory.batchDelete(List.of(id, " "))).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> memory.batchDelete(List.of(id, "x y"))).isInstanceOf(ValidationException.class);

            assertUnchanged(before);
        }

        @Test
        void ids_are_trimmed() {
            String id = rememberOne(new Scope("  alex ", null, null), "Likes tea");

            assertThat(memory.get(id).userId()).isEqualTo("alex");
            assertThat(memory.get("  " + id + " ").id()).isEqualTo(id);
            assertThat(ids(all(ALEX))).containsExactly(id);
            assertThat(ids(all(new Scope("alex\n", null, null)))).containsExactly(id);
        }

        @Test
        void all_scope_ids_are_stored_and_all_are_required_when_reading() {
            Scope full = new Scope("alex", "travel-agent", "run-1");
            String id = rememberOne(full, "Prefers window seats");

            MemoryItem item = memory.get(id);
            assertThat(item.userId()).isEqualTo("alex");
            assertThat(item.agentId()).isEqualTo("travel-agent");
            assertThat(item.runId()).isEqualTo("run-1");
            assertThat(ids(all(ALEX))).containsExactly(id);
            assertThat(ids(all(Scope.agent("travel-agent")))).containsExactly(id);
            assertThat(ids(all(Scope.run("run-1")))).containsExactly(id);
            assertThat(ids(all(new Scope("alex", "travel-agent", null)))).containsExactly(id);
            assertThat(ids(all(full))).containsExactly(id);
            assertThat(all(new Scope("alex", "other-agent", null))).isEmpty();
            assertThat(all(new Scope("alex", "travel-agent", "run-2"))).isEmpty();
            assertThat(all(new Scope("bob", "travel-agent", "run-1"))).isEmpty();
            assertThat(memory.search(SearchRequest.of("window seats", new Scope("alex", null, "run-2"))).results()).isEmpty();
            assertThat(ids(memory.search(SearchRequest.of("window seats", full)).results())).containsExactly(id);
        }

        @Test
        void identity_keys_in_metadata_are_rejected_on_add_and_nothing_is_written() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();

            for (String key : List.of("user_id", "agent_id", "run_id", "actor_id", "role")) {
                assertValidation(ErrorCode.RESERVED_METADATA_KEY, () -> memory.add(AddRequest.builder()
                        .user("I like coffee").scope(ALEX).infer(false).metadata(key, "mallory").build()));
                assertValidation(ErrorCode.RESERVED_METADATA_KEY, () -> memory.add(AddRequest.builder()
                        .user("I like coffee").scope(ALEX).metadata(Map.of("topic", "drinks", key, "mallory")).build()));
            }

            assertThat(llm.requests()).as("LLM calls").isEmpty();
            assertUnchanged(before);
            assertThat(all(Scope.user("mallory"))).isEmpty();
        }

        @Test
        void identity_keys_in_metadata_are_rejected_on_update_and_nothing_changes() {
            String id = rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();

            for (String key : List.of("user_id", "agent_id", "run_id", "actor_id", "role")) {
                assertValidation(ErrorCode.RESERVED_METADATA_KEY,
                        () -> memory.update(new MemoryUpdate(id, null, Map.of(key, "mallory"), null)));
                assertValidation(ErrorCode.RESERVED_METADATA_KEY,
                        () -> memory.update(new MemoryUpdate(id, "Likes green tea", Map.of(key, "mallory"), null)));
                assertValidation(ErrorCode.RESERVED_METADATA_KEY,
                        () -> memory.batchUpdate(List.of(new MemoryUpdate(id, null, Map.of(key, "mallory"), null))));
            }

            assertUnchanged(before);
            assertThat(memory.get(id).userId()).isEqualTo("alex");
            assertThat(all(Scope.user("mallory"))).isEmpty();
        }
    }

    // ================================================================ §2 add with inference

    @Nested
    class AddWithInference {

        @Test
        void add_extracts_facts_and_stores_each_as_a_memory_with_history() {
            AddResult result = memory.add(List.of(Message.user("I am vegetarian"), Message.user("I am allergic to nuts")), ALEX);

            assertThat(result.results()).extracting(MemoryEvent::memory, MemoryEvent::event, MemoryEvent::previousMemory)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("I am vegetarian", EventType.ADD, null),
                            org.assertj.core.groups.Tuple.tuple("I am allergic to nuts", EventType.ADD, null));
            assertThat(result.diagnostics()).isEmpty();
            assertThat(result.relations()).as("graph changes without a graph store").isNull();
            assertThat(llm.kinds()).containsExactly(CallKind.FACTS, CallKind.RECONCILE);

            for (MemoryEvent event : result.results()) {
                assertThatCode(() -> UUID.fromString(event.id())).as("id is a UUID").doesNotThrowAnyException();
                MemoryItem item = memory.get(event.id());
                assertThat(item.memory()).isEqualTo(event.memory());
                assertThat(item.hash()).isEqualTo(md5(event.memory()));
                assertThat(item.createdAt()).isEqualTo(START);
                assertThat(item.updatedAt()).isEqualTo(START);
                assertThat(item.userId()).isEqualTo("alex");
                assertThat(item.agentId()).isNull();
                assertThat(item.runId()).isNull();
                assertThat(item.memoryType()).isNull();
                assertThat(item.immutable()).isFalse();
                assertThat(item.expirationDate()).isNull();
                assertThat(item.score()).isNull();
                assertThat(item.metadata()).isEmpty();

                List<HistoryEntry> history = memory.history(event.id());
                assertThat(history).hasSize(1);
                HistoryEntry add = history.get(0);
                assertThat(add.memoryId()).isEqualTo(event.id());
                assertThat(add.event()).isEqualTo(EventType.ADD);
                assertThat(add.oldMemory()).isNull();
                assertThat(add.newMemory()).isEqualTo(event.memory());
                assertThat(add.isDeleted()).isFalse();
                assertThat(add.createdAt()).isEqualTo(START);
                assertThat(add.updatedAt()).isEqualTo(START);
            }
            assertThat(texts(all(ALEX))).containsExactlyInAnyOrder("I am vegetarian", "I am allergic to nuts");
        }

        @Test
        void fact_extraction_and_reconciliation_follow_the_llm_protocol() {
            rememberOne(ALEX, "Lives in Porto");
            memory.add(List.of(Message.system("Be concise"), Message.user("I moved to\nLisbon last year"),
                    Message.assistant("Lisbon is lovely")), ALEX);

            ChatRequest facts = llm.lastRequest(CallKind.FACTS);
            assertThat(ScriptedLanguageModel.lastMessage(facts).role()).isEqualTo(Role.USER);
            assertThat(ScriptedLanguageModel.transcript(facts)).containsSubsequence(
                    new TranscriptLine(Role.USER, "I moved to Lisbon last year"),
                    new TranscriptLine(Role.ASSISTANT, "Lisbon is lovely"));
            assertThat(ScriptedLanguageModel.instructions(facts)).as("instructions").isNotBlank();

            ChatRequest reconcile = llm.lastRequest(CallKind.RECONCILE);
            assertThat(ScriptedLanguageModel.lastMessage(reconcile).role()).isEqualTo(Role.USER);
            ReconcileInput input = ScriptedLanguageModel.reconcileInput(reconcile);
            assertThat(input.newFacts()).containsExactly("I moved to Lisbon last year");
            assertThat(input.existing()).extracting(ExistingMemory::text).containsExactly("Lives in Porto");
            assertThat(input.existing()).allSatisfy(m -> assertThat(m.id()).matches(SMALL_INT));

            if (modelIsScripted()) {
                assertThat(facts.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                        s -> assertThat(s.name()).isEqualTo("memlayer_facts"));
                assertThat(reconcile.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                        s -> assertThat(s.name()).isEqualTo("memlayer_memory_actions"));
            }
            assertThat(texts(all(ALEX))).containsExactlyInAnyOrder("Lives in Porto", "I moved to Lisbon last year");
        }

        @Test
        void without_json_schema_support_the_engine_asks_for_a_json_object_and_still_works() {
            ScriptedLanguageModel plain = new ScriptedLanguageModel().supportsJsonSchema(false);
            Memory other = buildExtraMemory(plain, b -> b);

            other.add("I like jazz", Scope.user("jazz-fan"));

            assertThat(plain.requests()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.responseFormat()).isInstanceOf(ResponseFormat.JsonObject.class));
            assertThat(plain.kinds()).containsExactly(CallKind.FACTS, CallKind.RECONCILE);
            assertThat(texts(other.getAll(Scope.user("jazz-fan")).results())).containsExactly("I like jazz");
        }

        @Test
        void assistant_messages_are_context_never_a_source_of_user_facts() {
            memory.add(List.of(Message.user("I love sushi"),
                    Message.assistant("Noted! I also think you would love ramen")), ALEX);

            assertThat(texts(all(ALEX))).containsExactly("I love sushi");
            assertThat(ScriptedLanguageModel.transcript(llm.lastRequest(CallKind.FACTS)))
                    .contains(new TranscriptLine(Role.ASSISTANT, "Noted! I also think you would love ramen"));
        }

        @Test
        void with_an_agent_id_and_assistant_messages_facts_about_the_assistant_are_extracted() {
            List<Message> conversation = List.of(Message.user("What can you do?"),
                    Message.assistant("I am a travel assistant that books trains"));

            memory.add(conversation, new Scope("alex", "travel-agent", null));
            String agentInstructions = ScriptedLanguageModel.instructions(llm.lastRequest(CallKind.FACTS));
            memory.add(conversation, BOB);
            String userInstructions = ScriptedLanguageModel.instructions(llm.lastRequest(CallKind.FACTS));
            memory.add(List.of(Message.user("I prefer aisle seats")), new Scope("carol", "travel-agent", null));

            List<MemoryItem> agentMemories = all(new Scope("alex", "travel-agent", null));
            assertThat(texts(agentMemories)).containsExactly("I am a travel assistant that books trains");
            assertThat(agentMemories.get(0).agentId()).isEqualTo("travel-agent");
            assertThat(agentMemories.get(0).userId()).isEqualTo("alex");
            assertThat(texts(all(BOB))).as("no agent_id: facts about the user").containsExactly("What can you do?");
            assertThat(texts(all(Scope.user("carol")))).as("agent_id without assistant messages: facts about the user")
                    .containsExactly("I prefer aisle seats");
            assertThat(agentInstructions).as("agent extraction instructions").isNotEqualTo(userInstructions);
        }

        @Test
        void a_custom_prompt_replaces_the_fact_extraction_instructions_for_that_call() {
            String custom = "Extract only the favourite colours of the user, as short facts.";

            memory.add(AddRequest.builder().user("My favourite colour is teal").scope(ALEX).prompt(custom).build());
            ChatRequest withCustom = llm.lastRequest(CallKind.FACTS);
            memory.add("I like tea", ALEX);
            ChatRequest withDefault = llm.lastRequest(CallKind.FACTS);

            assertThat(ScriptedLanguageModel.instructions(withCustom)).contains(custom);
            assertThat(ScriptedLanguageModel.transcript(withCustom))
                    .containsExactly(new TranscriptLine(Role.USER, "My favourite colour is teal"));
            assertThat(ScriptedLanguageModel.instructions(withDefault)).doesNotContain(custom);
            assertThat(texts(all(ALEX))).containsExactlyInAnyOrder("My favourite colour is teal", "I like tea");
        }

        @Test
        void the_configured_prompts_and_candidate_count_are_used_for_every_add() {
            String factPrompt = "Only keep facts about the user's pets.";
            String updatePrompt = "Merge facts about the same pet into one memory.";
            ScriptedLanguageModel model = new ScriptedLanguageModel();
            Memory other = buildExtraMemory(model,
                    b -> b.factExtractionPrompt(factPrompt).updateMemoryPrompt(updatePrompt).searchCandidatesPerFact(2));
            Scope owner = Scope.user("pet-owner");
            other.add(AddRequest.builder().scope(owner).infer(false)
                    .user("Has a cat").user("Has a dog").user("Has a hamster").build());

            other.add("I have a cat named Miso", owner);

            assertThat(ScriptedLanguageModel.instructions(model.lastRequest(CallKind.FACTS))).contains(factPrompt);
            assertThat(ScriptedLanguageModel.instructions(model.lastRequest(CallKind.RECONCILE))).contains(updatePrompt);
            assertThat(ScriptedLanguageModel.reconcileInput(model.lastRequest(CallKind.RECONCILE)).existing()).hasSize(2);
            assertThat(texts(other.getAll(owner).results())).contains("I have a cat named Miso");
        }

        @Test
        void metadata_and_categories_are_stored_on_every_memory_written() {
            Map<String, List<String>> facts = new LinkedHashMap<>();
            facts.put("Loves pizza", List.of("food_preferences"));
            facts.put("Works as a nurse", List.of());
            llm.enqueue(CallKind.FACTS, ScriptedLanguageModel.factsAnswerWithCategories(facts));

            memory.add(AddRequest.builder().user("I love pizza and I work as a nurse").scope(ALEX)
                    .metadata(Map.of("source", "chat", "priority", 2)).categories(List.of("imported")).build());

            Map<String, MemoryItem> byText = new HashMap<>();
            all(ALEX).forEach(i -> byText.put(i.memory(), i));
            assertThat(byText).containsOnlyKeys("Loves pizza", "Works as a nurse");
            assertThat(byText.get("Loves pizza").categories()).containsExactlyInAnyOrder("food_preferences", "imported");
            assertThat(byText.get("Works as a nurse").categories()).containsExactly("imported");
            for (MemoryItem item : byText.values()) {
                assertThat(item.metadata()).containsOnlyKeys("source", "priority").containsEntry("source", "chat");
                assertThat(number(item.metadata().get("priority"))).isEqualTo(2.0);
            }
            assertThat(texts(all(ALEX, contains("categories", "food_preferences")))).containsExactly("Loves pizza");
        }

        @Test
        void an_empty_fact_list_writes_nothing_and_skips_reconciliation() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            llm.enqueue(CallKind.FACTS, "{\"facts\": []}");

            AddResult result = memory.add("Hi, how are you?", ALEX);

            assertThat(result.results()).isEmpty();
            assertThat(llm.kinds()).containsExactly(CallKind.FACTS);
            assertUnchanged(before);
        }

        @Test
        void a_fact_list_of_plain_strings_is_accepted() {
            llm.enqueue(CallKind.FACTS, "{\"facts\": [\"Likes tea\", \"Lives in Porto\"]}");

            memory.add("I like tea and I live in Porto", ALEX);

            assertThat(texts(all(ALEX))).containsExactlyInAnyOrder("Likes tea", "Lives in Porto");
            assertThat(ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE)).newFacts())
                    .containsExactly("Likes tea", "Lives in Porto");
        }

        @Test
        void infer_true_without_a_language_model_is_rejected_and_infer_false_still_works() {
            Memory noLlm = buildExtraMemory(null, b -> b);
            Scope scope = Scope.user("no-llm-user");

            assertValidation(ErrorCode.LLM_NOT_CONFIGURED, () -> noLlm.add("I like tea", scope));
            assertValidation(ErrorCode.LLM_NOT_CONFIGURED, () -> noLlm.add(AddRequest.builder()
                    .user("Booked a train").assistant("Done").scope(new Scope(null, "bot", null))
                    .memoryType(MemoryType.PROCEDURAL).build()));
            assertThat(noLlm.getAll(scope).results()).isEmpty();

            noLlm.add(AddRequest.builder().user("I like tea").scope(scope).infer(false).build());
            assertThat(texts(noLlm.getAll(scope).results())).containsExactly("I like tea");
        }

        @Test
        void add_with_no_messages_is_rejected_and_writes_nothing() {
            Snapshot before = snapshot();

            assertValidation(ErrorCode.INVALID_MESSAGES, () -> memory.add(AddRequest.builder().scope(ALEX).build()));
            assertValidation(ErrorCode.INVALID_MESSAGES,
                    () -> memory.add(AddRequest.builder().scope(ALEX).infer(false).build()));

            assertThat(llm.requests()).isEmpty();
            assertUnchanged(before);
        }

        @Test
        void the_timestamp_overrides_created_at() {
            Instant ts = Instant.parse("2024-07-20T10:15:30Z");

            String verbatim = rememberOne(AddRequest.builder().scope(ALEX).timestamp(ts), "Visited Kyoto");
            String fromEpoch = rememberOne(AddRequest.builder().scope(ALEX).timestamp(1_700_000_000L), "Visited Osaka");
            AddResult inferred = memory.add(AddRequest.builder().user("Visited Nara").scope(ALEX).timestamp(ts).build());

            assertThat(memory.get(verbatim).createdAt()).isEqualTo(ts);
            assertThat(memory.get(verbatim).updatedAt()).isEqualTo(ts);
            assertThat(memory.get(fromEpoch).createdAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
            String nara = inferred.results().get(0).id();
            assertThat(memory.get(nara).createdAt()).isEqualTo(ts);
            assertThat(memory.history(verbatim).get(0).createdAt()).isEqualTo(ts);
            assertThat(texts(all(ALEX, and(gte("created_at", "2024-07-20"), lte("created_at", "2024-07-31")))))
                    .containsExactlyInAnyOrder("Visited Kyoto", "Visited Nara");
        }

        @Test
        void history_rows_record_when_the_event_happened_even_when_a_timestamp_overrides_created_at() {
            Instant ts = Instant.parse("2024-07-20T10:15:30Z");
            Instant t1 = clock.tick();

            String verbatim = rememberOne(AddRequest.builder().scope(ALEX).timestamp(ts), "Visited Kyoto");
            String inferred = memory.add(AddRequest.builder().user("Visited Nara").scope(ALEX).timestamp(ts).build())
                    .results().get(0).id();
            llm.enqueue(CallKind.PROCEDURE, ScriptedLanguageModel.procedureAnswer("Task: plan a trip. Outcome: planned."));
            String procedural = memory.add(AddRequest.builder().user("Plan a trip").assistant("Planned it")
                    .scope(new Scope("alex", "travel-agent", null)).memoryType(MemoryType.PROCEDURAL).timestamp(ts)
                    .build()).results().get(0).id();

            for (String id : List.of(verbatim, inferred, procedural)) {
                MemoryItem item = memory.get(id);
                assertThat(item.createdAt()).isEqualTo(ts);
                assertThat(item.updatedAt()).isEqualTo(ts);
                HistoryEntry add = memory.history(id).get(0);
                assertThat(add.createdAt()).as("history created_at is the memory's").isEqualTo(ts);
                assertThat(add.updatedAt()).as("history updated_at is when the ADD happened").isEqualTo(t1);
            }

            Instant t2 = clock.tick();
            Instant ts2 = Instant.parse("2024-08-01T00:00:00Z");
            memory.update(new MemoryUpdate(verbatim, "Visited Kyoto twice", null, ts2));
            HistoryEntry update = memory.history(verbatim).get(1);
            assertThat(memory.get(verbatim).updatedAt()).isEqualTo(ts2);
            assertThat(update.updatedAt()).isEqualTo(t2);
            assertThat(update.createdAt()).isEqualTo(ts);
        }

        @Test
        void expired_memories_are_hidden_from_search_and_getAll_unless_asked_for() {
            // the clock shows 2025-03-10; the expiration date is the first day a memory is expired
            String permanent = rememberOne(ALEX, "Permanent fact about codes");
            String tomorrow = rememberOne(AddRequest.builder().scope(ALEX).expirationDate(LocalDate.parse("2025-03-11")),
                    "Temporary discount code");
            String today = rememberOne(AddRequest.builder().scope(ALEX).expirationDate(LocalDate.parse("2025-03-10")),
                    "Expired promo code");

            assertThat(memory.get(tomorrow).expirationDate()).isEqualTo(LocalDate.parse("2025-03-11"));
            assertThat(ids(all(ALEX))).containsExactlyInAnyOrder(permanent, tomorrow);
            assertThat(memory.getAll(ALEX).count()).isEqualTo(2);
            assertThat(ids(memory.search(SearchRequest.of("code", ALEX)).results()))
                    .containsExactlyInAnyOrder(permanent, tomorrow);
            assertThat(ids(memory.getAll(new GetAllRequest(ALEX, null, 1, 100, true)).results()))
                    .containsExactlyInAnyOrder(permanent, tomorrow, today);
            assertThat(ids(memory.search(SearchRequest.builder("code").scope(ALEX).includeExpired(true).build()).results()))
                    .containsExactlyInAnyOrder(permanent, tomorrow, today);

            clock.set(Instant.parse("2025-03-11T00:00:00Z"));

            assertThat(ids(all(ALEX))).containsExactly(permanent);
            assertThat(ids(memory.search(SearchRequest.of("code", ALEX)).results())).containsExactly(permanent);
        }
    }

    // ================================================================ §2 add without inference

    @Nested
    class AddVerbatim {

        @Test
        void infer_false_stores_each_non_system_message_verbatim_with_role_and_actor() {
            AddResult result = memory.add(AddRequest.builder().scope(ALEX).infer(false)
                    .system("You are a helpful assistant")
                    .message(Message.user("I'm Alex, I study physics").withName("alex_k"))
                    .message(Message.assistant("Nice to meet you, Alex").withName("helper-bot"))
                    .user("I drink my coffee black")
                    .metadata("source", "import")
                    .categories(List.of("onboarding"))
                    .build());

            assertThat(llm.requests()).as("no LLM call").isEmpty();
            assertThat(result.results()).extracting(MemoryEvent::memory).containsExactly(
                    "I'm Alex, I study physics", "Nice to meet you, Alex", "I drink my coffee black");
            Map<String, MemoryItem> byText = new HashMap<>();
            all(ALEX).forEach(i -> byText.put(i.memory(), i));
            assertThat(byText).hasSize(3);
            assertThat(byText.get("I'm Alex, I study physics").role()).isEqualTo(Role.USER);
            assertThat(byText.get("I'm Alex, I study physics").actorId()).isEqualTo("alex_k");
            assertThat(byText.get("Nice to meet you, Alex").role()).isEqualTo(Role.ASSISTANT);
            assertThat(byText.get("Nice to meet you, Alex").actorId()).isEqualTo("helper-bot");
            assertThat(byText.get("I drink my coffee black").role()).isEqualTo(Role.USER);
            assertThat(byText.get("I drink my coffee black").actorId()).isNull();
            for (MemoryItem item : byText.values()) {
                assertThat(item.metadata()).containsExactly(Map.entry("source", "import"));
                assertThat(item.categories()).containsExactly("onboarding");
                assertThat(item.hash()).isEqualTo(md5(item.memory()));
                HistoryEntry add = memory.history(item.id()).get(0);
                assertThat(add.event()).isEqualTo(EventType.ADD);
                assertThat(add.actorId()).isEqualTo(item.actorId());
                assertThat(add.role()).isEqualTo(item.role());
            }
            assertThat(texts(all(ALEX, eq("actor_id", "alex_k")))).containsExactly("I'm Alex, I study physics");
            assertThat(texts(all(ALEX, eq("role", "assistant")))).containsExactly("Nice to meet you, Alex");
        }

        @Test
        void infer_false_does_not_deduplicate() {
            String first = rememberOne(ALEX, "I like tea");
            String second = rememberOne(ALEX, "I like tea");

            assertThat(first).isNotEqualTo(second);
            assertThat(ids(all(ALEX))).containsExactlyInAnyOrder(first, second);
        }
    }

    // ================================================================ §2 procedural memory

    @Nested
    class ProceduralMemory {

        private final Scope agentScope = new Scope("alex", "travel-agent", null);
        private final List<Message> run = List.of(
                Message.user("Book a train to Porto for Friday"),
                Message.assistant("Searched trains: the 09:00 Alfa Pendular has seats"),
                Message.assistant("Booked seat 42 on the 09:00 train, booking ref QX7"));

        @Test
        void procedural_memory_summarises_the_conversation_as_one_memory() {
            String summary = "Task: book a train to Porto. Steps: 1. searched trains (09:00 has seats) "
                    + "2. booked seat 42, ref QX7. Outcome: booked.";
            llm.enqueue(CallKind.PROCEDURE, ScriptedLanguageModel.procedureAnswer(summary));

            AddResult result = memory.add(AddRequest.builder().messages(run).scope(agentScope)
                    .memoryType(MemoryType.PROCEDURAL).build());

            assertThat(llm.kinds()).containsExactly(CallKind.PROCEDURE);
            assertThat(ScriptedLanguageModel.transcript(llm.lastRequest(CallKind.PROCEDURE))).containsExactly(
                    new TranscriptLine(Role.USER, "Book a train to Porto for Friday"),
                    new TranscriptLine(Role.ASSISTANT, "Searched trains: the 09:00 Alfa Pendular has seats"),
                    new TranscriptLine(Role.ASSISTANT, "Booked seat 42 on the 09:00 train, booking ref QX7"));
            assertThat(result.results()).hasSize(1);
            MemoryEvent event = result.results().get(0);
            assertThat(event.event()).isEqualTo(EventType.ADD);
            assertThat(event.memory()).isEqualTo(summary);
            MemoryItem item = memory.get(event.id());
            assertThat(item.memory()).isEqualTo(summary);
            assertThat(item.memoryType()).isEqualTo(MemoryType.PROCEDURAL);
            assertThat(item.agentId()).isEqualTo("travel-agent");
            assertThat(item.userId()).isEqualTo("alex");
            assertThat(events(memory.history(event.id()))).containsExactly(EventType.ADD);
            assertThat(ids(all(agentScope, eq("memory_type", "procedural_memory")))).containsExactly(event.id());
        }

        @Test
        void procedural_memory_requires_an_agent_id_and_writes_nothing_without_one() {
            Snapshot before = snapshot();

            assertThatThrownBy(() -> memory.add(AddRequest.builder().messages(run).scope(ALEX)
                    .memoryType(MemoryType.PROCEDURAL).build())).isInstanceOf(ValidationException.class);

            assertThat(llm.requests()).isEmpty();
            assertUnchanged(before);
        }

        @Test
        void an_unparseable_summary_is_an_llm_exception_and_nothing_is_written() {
            Snapshot before = snapshot();
            llm.answerAlways(CallKind.PROCEDURE, "I booked the train, all good.");

            assertThatThrownBy(() -> memory.add(AddRequest.builder().messages(run).scope(agentScope)
                    .memoryType(MemoryType.PROCEDURAL).build())).isInstanceOf(LlmException.class);

            assertUnchanged(before);
        }
    }

    // ================================================================ §2 reconciliation

    @Nested
    class Reconciliation {

        @Test
        void add_then_update_then_delete_follow_the_llm_decisions() {
            AddResult added = memory.add(AddRequest.builder().user("I like pizza").scope(ALEX)
                    .metadata("source", "chat").build());
            assertThat(added.results()).hasSize(1);
            String id = added.results().get(0).id();
            assertThat(added.results().get(0)).isEqualTo(new MemoryEvent(id, "I like pizza", EventType.ADD, null));

            Instant t1 = clock.tick();
            llm.enqueue(CallKind.RECONCILE, request -> {
                ExistingMemory m = ScriptedLanguageModel.reconcileInput(request).byText("I like pizza").orElseThrow();
                return ScriptedLanguageModel.reconcileAnswer(List.of(
                        new MemoryAction(m.id(), "Likes pizza with pineapple", EventType.UPDATE, "I like pizza")));
            });
            AddResult updated = memory.add(AddRequest.builder().user("Actually I like pizza with pineapple").scope(ALEX)
                    .metadata("mood", "happy").build());

            ReconcileInput input = ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE));
            assertThat(input.existing()).containsExactly(new ExistingMemory("0", "I like pizza", false));
            assertThat(input.newFacts()).containsExactly("Actually I like pizza with pineapple");
            assertThat(updated.results()).containsExactly(
                    new MemoryEvent(id, "Likes pizza with pineapple", EventType.UPDATE, "I like pizza"));
            MemoryItem item = memory.get(id);
            assertThat(item.memory()).isEqualTo("Likes pizza with pineapple");
            assertThat(item.hash()).isEqualTo(md5("Likes pizza with pineapple"));
            assertThat(item.createdAt()).isEqualTo(START);
            assertThat(item.updatedAt()).isEqualTo(t1);
            assertThat(item.metadata()).containsOnly(Map.entry("source", "chat"), Map.entry("mood", "happy"));
            assertThat(all(ALEX)).hasSize(1);
            List<HistoryEntry> history = memory.history(id);
            assertThat(events(history)).containsExactly(EventType.ADD, EventType.UPDATE);
            assertThat(history.get(1).oldMemory()).isEqualTo("I like pizza");
            assertThat(history.get(1).newMemory()).isEqualTo("Likes pizza with pineapple");
            assertThat(history.get(1).createdAt()).isEqualTo(START);
            assertThat(history.get(1).updatedAt()).isEqualTo(t1);
            List<MemoryItem> found = memory.search(SearchRequest.of("Likes pizza with pineapple", ALEX)).results();
            assertThat(found.get(0).id()).isEqualTo(id);
            assertThat(found.get(0).score()).as("re-embedded with the new text").isCloseTo(1.0, within(1e-4));

            Instant t2 = clock.tick();
            llm.enqueue(CallKind.RECONCILE, request -> {
                ExistingMemory m = ScriptedLanguageModel.reconcileInput(request).byText("Likes pizza with pineapple")
                        .orElseThrow();
                return ScriptedLanguageModel.reconcileAnswer(List.of(new MemoryAction(m.id(), m.text(), EventType.DELETE, null)));
            });
            AddResult deleted = memory.add("I stopped eating pizza", ALEX);

            assertThat(deleted.results()).containsExactly(
                    new MemoryEvent(id, "Likes pizza with pineapple", EventType.DELETE, null));
            assertThatThrownBy(() -> memory.get(id)).isInstanceOf(MemoryNotFoundException.class);
            assertThat(all(ALEX)).isEmpty();
            history = memory.history(id);
            assertThat(events(history)).containsExactly(EventType.ADD, EventType.UPDATE, EventType.DELETE);
            HistoryEntry delete = history.get(2);
            assertThat(delete.oldMemory()).isEqualTo("Likes pizza with pineapple");
            assertThat(delete.newMemory()).isNull();
            assertThat(delete.isDeleted()).isTrue();
            assertThat(delete.updatedAt()).isEqualTo(t2);
        }

        @Test
        void none_events_change_nothing_are_not_listed_and_leave_no_history() {
            String id = memory.add("I like tea", ALEX).results().get(0).id();
            clock.tick();

            AddResult again = memory.add("I like tea", ALEX);

            assertThat(again.results()).isEmpty();
            assertThat(ids(all(ALEX))).containsExactly(id);
            assertThat(memory.get(id).updatedAt()).isEqualTo(START);
            assertThat(events(memory.history(id))).containsExactly(EventType.ADD);
            assertThat(ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE)).existing())
                    .extracting(ExistingMemory::text).containsExactly("I like tea");
        }

        @Test
        void a_session_add_of_a_long_term_fact_is_none_and_leaves_the_long_term_memory_as_it_was() {
            String id = memory.add("I like tea", ALEX).results().get(0).id();
            StoredMemory before = stored(id);
            Scope session = new Scope("alex", null, "run-7");
            clock.tick();

            AddResult again = memory.add("I like tea", session);

            assertThat(ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE)).existing())
                    .as("the session add sees the long-term memory").extracting(ExistingMemory::text)
                    .containsExactly("I like tea");
            assertThat(again.results()).as("NONE is not listed").isEmpty();
            assertThat(ids(all(ALEX))).as("no duplicate").containsExactly(id);
            assertThat(stored(id)).as("scope, updated_at and everything else unchanged").isEqualTo(before);
            assertThat(memory.get(id).runId()).isNull();
            assertThat(all(session)).as("the long-term memory was not moved into the session").isEmpty();
            assertThat(events(memory.history(id))).containsExactly(EventType.ADD);

            AddResult plain = memory.add("I like tea", ALEX);

            assertThat(plain.results()).as("a later long-term add still sees it").isEmpty();
            assertThat(ids(all(ALEX))).containsExactly(id);
        }

        @Test
        void an_update_from_a_session_add_keeps_the_memorys_scope() {
            String id = memory.add("I like pizza", ALEX).results().get(0).id();
            Scope session = new Scope("alex", null, "run-7");
            Instant t1 = clock.tick();
            llm.enqueue(CallKind.RECONCILE, request -> {
                ExistingMemory m = ScriptedLanguageModel.reconcileInput(request).byText("I like pizza").orElseThrow();
                return ScriptedLanguageModel.reconcileAnswer(List.of(
                        new MemoryAction(m.id(), "Likes pizza with pineapple", EventType.UPDATE, m.text())));
            });

            AddResult updated = memory.add("Actually I like pizza with pineapple", session);

            assertThat(updated.results()).containsExactly(
                    new MemoryEvent(id, "Likes pizza with pineapple", EventType.UPDATE, "I like pizza"));
            MemoryItem item = memory.get(id);
            assertThat(item.memory()).isEqualTo("Likes pizza with pineapple");
            assertThat(item.scope()).as("still a long-term memory").isEqualTo(ALEX);
            assertThat(item.updatedAt()).isEqualTo(t1);
            assertThat(all(session)).isEmpty();
            assertThat(events(memory.history(id))).containsExactly(EventType.ADD, EventType.UPDATE);

            assertThat(memory.deleteAll(session)).isZero();
            assertThat(memory.get(id).memory()).isEqualTo("Likes pizza with pineapple");
        }

        @Test
        void deleting_a_session_never_deletes_the_users_long_term_memories() {
            String tea = memory.add("I like tea", ALEX).results().get(0).id();
            String pizza = memory.add("I like pizza", ALEX).results().get(0).id();
            Scope session = new Scope("alex", null, "run-7");
            clock.tick();
            llm.enqueue(CallKind.FACTS, ScriptedLanguageModel.factsAnswer(List.of("I like tea", "Likes pizza a lot",
                    "Booked a hotel in Rome")));
            llm.enqueue(CallKind.RECONCILE, request -> {
                ReconcileInput input = ScriptedLanguageModel.reconcileInput(request);
                return ScriptedLanguageModel.reconcileAnswer(List.of(
                        new MemoryAction(input.byText("I like tea").orElseThrow().id(), "I like tea", EventType.NONE, null),
                        new MemoryAction(input.byText("I like pizza").orElseThrow().id(), "Likes pizza a lot",
                                EventType.UPDATE, "I like pizza"),
                        new MemoryAction("new", "Booked a hotel in Rome", EventType.ADD, null)));
            });
            AddResult result = memory.add("I like tea and pizza a lot; I booked a hotel in Rome", session);
            String hotel = result.results().stream().filter(e -> e.event() == EventType.ADD).findFirst().orElseThrow().id();

            assertThat(memory.get(hotel).scope()).isEqualTo(session);
            assertThat(ids(all(session))).containsExactly(hotel);

            assertThat(memory.deleteAll(session)).isEqualTo(1);

            assertThat(ids(all(ALEX))).containsExactlyInAnyOrder(tea, pizza);
            assertThat(memory.get(pizza).memory()).isEqualTo("Likes pizza a lot");
            assertThat(events(memory.history(tea))).containsExactly(EventType.ADD);
            assertThat(events(memory.history(pizza))).containsExactly(EventType.ADD, EventType.UPDATE);
            assertThat(events(memory.history(hotel))).containsExactly(EventType.ADD, EventType.DELETE);
        }

        @Test
        void an_agent_add_neither_moves_nor_deletes_the_users_long_term_memories() {
            String tea = memory.add("I like tea", ALEX).results().get(0).id();
            String pizza = memory.add("I like pizza", ALEX).results().get(0).id();
            StoredMemory teaBefore = stored(tea);
            Scope travel = new Scope("alex", "travel-agent", null);
            Scope support = new Scope("alex", "support-agent", null);
            clock.tick();
            llm.enqueue(CallKind.FACTS, ScriptedLanguageModel.factsAnswer(List.of("I like tea", "Likes pizza with olives")));
            llm.enqueue(CallKind.RECONCILE, request -> {
                ReconcileInput input = ScriptedLanguageModel.reconcileInput(request);
                return ScriptedLanguageModel.reconcileAnswer(List.of(
                        new MemoryAction(input.byText("I like tea").orElseThrow().id(), "I like tea", EventType.NONE, null),
                        new MemoryAction(input.byText("I like pizza").orElseThrow().id(), "Likes pizza with olives",
                                EventType.UPDATE, "I like pizza")));
            });

            AddResult result = memory.add("I like tea, and pizza with olives", travel);

            assertThat(result.results()).extracting(MemoryEvent::id, MemoryEvent::event)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(pizza, EventType.UPDATE));
            assertThat(stored(tea)).isEqualTo(teaBefore);
            assertThat(memory.get(pizza).scope()).isEqualTo(ALEX);
            assertThat(all(travel)).isEmpty();
            assertThat(memory.deleteAll(travel)).isZero();

            memory.add("I like tea", support);

            assertThat(ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE)).existing())
                    .as("another agent still sees the user's memories").extracting(ExistingMemory::text)
                    .containsExactlyInAnyOrder("I like tea", "Likes pizza with olives");
            assertThat(ids(all(ALEX))).containsExactlyInAnyOrder(tea, pizza);
            assertThat(stored(tea)).isEqualTo(teaBefore);
        }

        @Test
        void an_immutable_memory_targeted_from_a_session_is_left_byte_for_byte_unchanged() {
            String id = rememberOne(AddRequest.builder().scope(ALEX).immutable(true), "Allergic to penicillin");
            StoredMemory before = stored(id);
            float[] embedding = vectorStore.get(id).orElseThrow().embedding();
            Scope session = new Scope("alex", null, "run-9");
            for (EventType event : List.of(EventType.UPDATE, EventType.DELETE, EventType.NONE)) {
                clock.tick();
                llm.enqueue(CallKind.RECONCILE, request -> {
                    ExistingMemory m = ScriptedLanguageModel.reconcileInput(request).byText("Allergic to penicillin")
                            .orElseThrow();
                    assertThat(m.immutable()).isTrue();
                    String text = event == EventType.UPDATE ? "No longer allergic to penicillin" : m.text();
                    return ScriptedLanguageModel.reconcileAnswer(List.of(new MemoryAction(m.id(), text, event, m.text())));
                });

                AddResult result = memory.add("About my penicillin allergy (" + event + ")", session);

                assertThat(result.results()).as("after %s", event).isEmpty();
                assertThat(stored(id)).as("after %s", event).isEqualTo(before);
                assertThat(vectorStore.get(id).orElseThrow().embedding()).as("embedding after %s", event)
                        .containsExactly(embedding);
                assertThat(events(memory.history(id))).as("after %s", event).containsExactly(EventType.ADD);
            }
            assertThat(all(session)).isEmpty();
        }

        @Test
        void delete_all_of_my_food_preferences_deletes_through_reconciliation() {
            List<String> ids = remember(ALEX, "Loves pizza", "Likes sushi", "Works as a software engineer");
            llm.enqueue(CallKind.RECONCILE, request -> {
                List<MemoryAction> actions = new ArrayList<>();
                for (ExistingMemory m : ScriptedLanguageModel.reconcileInput(request).existing()) {
                    boolean food = m.text().contains("pizza") || m.text().contains("sushi");
                    actions.add(new MemoryAction(m.id(), m.text(), food ? EventType.DELETE : EventType.NONE, null));
                }
                return ScriptedLanguageModel.reconcileAnswer(actions);
            });

            AddResult result = memory.add("Delete all of my food preferences", ALEX);

            assertThat(ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE)).existing())
                    .extracting(ExistingMemory::text)
                    .containsExactlyInAnyOrder("Loves pizza", "Likes sushi", "Works as a software engineer");
            assertThat(ScriptedLanguageModel.instructions(llm.lastRequest(CallKind.RECONCILE))).contains("DELETE");
            assertThat(result.results()).containsExactlyInAnyOrder(
                    new MemoryEvent(ids.get(0), "Loves pizza", EventType.DELETE, null),
                    new MemoryEvent(ids.get(1), "Likes sushi", EventType.DELETE, null));
            assertThat(texts(all(ALEX))).containsExactly("Works as a software engineer");
            assertThat(events(memory.history(ids.get(0)))).containsExactly(EventType.ADD, EventType.DELETE);
            assertThat(events(memory.history(ids.get(1)))).containsExactly(EventType.ADD, EventType.DELETE);
            assertThat(events(memory.history(ids.get(2)))).containsExactly(EventType.ADD);
        }

        @Test
        void the_llm_sees_the_five_most_similar_memories_per_fact_with_small_integer_ids() {
            embedder.pin("Enjoys hiking in the Alps", 1, 0);
            double[] cosines = {0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6};
            String[] texts = new String[cosines.length];
            for (int i = 0; i < cosines.length; i++) {
                texts[i] = "Outdoor memory " + i;
                embedder.pin(texts[i], cosines[i], Math.sqrt(1 - cosines[i] * cosines[i]));
            }
            remember(ALEX, texts);
            rememberOne(BOB, "Enjoys hiking in the Alps");

            memory.add("Enjoys hiking in the Alps", ALEX);

            ReconcileInput input = ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE));
            assertThat(input.existing()).extracting(ExistingMemory::text)
                    .containsExactly(texts[0], texts[1], texts[2], texts[3], texts[4]);
            assertThat(input.existing()).extracting(ExistingMemory::id).containsExactly("0", "1", "2", "3", "4");
        }

        @Test
        void candidates_shared_by_several_facts_are_shown_once() {
            remember(ALEX, "Likes green tea", "Likes black tea", "Plays chess");
            llm.enqueue(CallKind.FACTS, ScriptedLanguageModel.factsAnswer(List.of("Likes oolong tea", "Likes jasmine tea")));

            memory.add("I like oolong and jasmine tea", ALEX);

            ReconcileInput input = ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE));
            assertThat(input.newFacts()).containsExactly("Likes oolong tea", "Likes jasmine tea");
            assertThat(input.existing()).extracting(ExistingMemory::text)
                    .containsExactlyInAnyOrder("Likes green tea", "Likes black tea", "Plays chess");
            assertThat(input.existing()).extracting(ExistingMemory::id).doesNotHaveDuplicates()
                    .allSatisfy(i -> assertThat(i).matches(SMALL_INT));
            assertThat(texts(all(ALEX))).hasSize(5);
        }

        @Test
        void reconciliation_never_sees_or_touches_other_users_memories() {
            String alexTea = rememberOne(ALEX, "Likes tea");
            Snapshot alexBefore = snapshot();

            AddResult bob = memory.add("Likes tea", BOB);

            assertThat(ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE)).existing()).isEmpty();
            assertThat(bob.results()).extracting(MemoryEvent::event).containsExactly(EventType.ADD);
            assertThat(bob.results().get(0).id()).isNotEqualTo(alexTea);
            assertThat(snapshot().memories()).containsAll(alexBefore.memories());
            assertThat(events(memory.history(alexTea))).containsExactly(EventType.ADD);
        }

        @Test
        void the_id_the_llm_gives_an_add_is_ignored() {
            String tea = rememberOne(ALEX, "Likes tea");
            MemoryItem before = memory.get(tea);
            llm.enqueue(CallKind.RECONCILE, ScriptedLanguageModel.reconcileAnswer(List.of(
                    new MemoryAction("0", "Likes coffee", EventType.ADD, null))));

            AddResult result = memory.add("I like coffee", ALEX);

            assertThat(result.results()).hasSize(1);
            MemoryEvent add = result.results().get(0);
            assertThat(add.event()).isEqualTo(EventType.ADD);
            assertThat(add.id()).isNotEqualTo(tea).isNotEqualTo("0");
            assertThatCode(() -> UUID.fromString(add.id())).doesNotThrowAnyException();
            assertThat(memory.get(tea)).isEqualTo(before);
            assertThat(texts(all(ALEX))).containsExactlyInAnyOrder("Likes tea", "Likes coffee");
        }

        @Test
        void actions_naming_invented_ids_are_skipped_reported_and_touch_no_other_memory() {
            List<String> ids = remember(ALEX, "Likes tea", "Plays chess");
            MemoryItem tea = memory.get(ids.get(0));
            MemoryItem chess = memory.get(ids.get(1));
            clock.tick();
            llm.enqueue(CallKind.RECONCILE, ScriptedLanguageModel.reconcileAnswer(List.of(
                    new MemoryAction("42", "Hates tea", EventType.UPDATE, "Likes tea"),
                    new MemoryAction(ids.get(0), "Likes tea", EventType.DELETE, null),
                    new MemoryAction("7", "Plays chess", EventType.DELETE, null),
                    new MemoryAction("0", "Likes tea", EventType.NONE, null),
                    new MemoryAction("new", "Likes coffee", EventType.ADD, null))));

            AddResult result = memory.add("I like coffee", ALEX);

            assertThat(result.results()).extracting(MemoryEvent::memory, MemoryEvent::event)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("Likes coffee", EventType.ADD));
            assertThat(String.join("\n", result.diagnostics())).contains("42").contains(ids.get(0)).contains("7");
            assertThat(memory.get(tea.id())).isEqualTo(tea);
            assertThat(memory.get(chess.id())).isEqualTo(chess);
            assertThat(events(memory.history(tea.id()))).containsExactly(EventType.ADD);
            assertThat(events(memory.history(chess.id()))).containsExactly(EventType.ADD);
            assertThat(texts(all(ALEX))).containsExactlyInAnyOrder("Likes tea", "Plays chess", "Likes coffee");
        }

        @Test
        void an_update_or_delete_of_an_immutable_memory_is_refused_during_reconciliation() {
            String id = rememberOne(AddRequest.builder().scope(ALEX).immutable(true), "Allergic to penicillin");
            MemoryItem before = memory.get(id);
            clock.tick();
            llm.enqueue(CallKind.RECONCILE, request -> {
                ExistingMemory m = ScriptedLanguageModel.reconcileInput(request).byText("Allergic to penicillin").orElseThrow();
                return ScriptedLanguageModel.reconcileAnswer(List.of(
                        new MemoryAction(m.id(), "Not allergic to penicillin", EventType.UPDATE, m.text())));
            });
            llm.enqueue(CallKind.RECONCILE, request -> {
                ExistingMemory m = ScriptedLanguageModel.reconcileInput(request).byText("Allergic to penicillin").orElseThrow();
                return ScriptedLanguageModel.reconcileAnswer(List.of(new MemoryAction(m.id(), m.text(), EventType.DELETE, null)));
            });

            AddResult update = memory.add("My penicillin allergy is gone", ALEX);
            ReconcileInput input = ScriptedLanguageModel.reconcileInput(llm.lastRequest(CallKind.RECONCILE));
            AddResult delete = memory.add("Forget my penicillin allergy", ALEX);

            assertThat(input.byText("Allergic to penicillin")).get().extracting(ExistingMemory::immutable).isEqualTo(true);
            assertThat(update.results()).isEmpty();
            assertThat(delete.results()).isEmpty();
            assertThat(memory.get(id)).isEqualTo(before);
            assertThat(events(memory.history(id))).containsExactly(EventType.ADD);
        }

        @Test
        void an_add_whose_update_cannot_be_embedded_writes_nothing() {
            String pizza = rememberOne(ALEX, "Likes pizza");
            Snapshot before = snapshot();
            embedder.failOn("Likes pizza with pineapple");
            llm.enqueue(CallKind.FACTS, ScriptedLanguageModel.factsAnswer(List.of("Likes pasta", "Likes pineapple on pizza")));
            llm.enqueue(CallKind.RECONCILE, request -> {
                ExistingMemory m = ScriptedLanguageModel.reconcileInput(request).byText("Likes pizza").orElseThrow();
                return ScriptedLanguageModel.reconcileAnswer(List.of(
                        new MemoryAction("new", "Likes pasta", EventType.ADD, null),
                        new MemoryAction(m.id(), "Likes pizza with pineapple", EventType.UPDATE, m.text())));
            });

            assertThatThrownBy(() -> memory.add("I like pasta, and pineapple on pizza", ALEX))
                    .isInstanceOf(LlmException.class);

            assertUnchanged(before);
            assertThat(memory.get(pizza).memory()).isEqualTo("Likes pizza");
        }
    }

    // ================================================================ §2/§6 what the LLM answers

    @Nested
    class LlmAnswers {

        @Test
        void a_garbage_fact_answer_is_an_llm_exception_and_nothing_is_written() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            llm.answerAlways(CallKind.FACTS, "Sorry, I cannot help with that.");

            assertThatThrownBy(() -> memory.add("I like coffee", ALEX)).isInstanceOf(LlmException.class);

            assertThat(llm.requests(CallKind.RECONCILE)).isEmpty();
            assertUnchanged(before);
        }

        @Test
        void a_garbage_reconcile_answer_is_an_llm_exception_and_nothing_is_written() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            llm.answerAlways(CallKind.RECONCILE, "{\"memory\": [{\"id\": \"0\", \"event\": ");

            assertThatThrownBy(() -> memory.add("I like coffee", ALEX)).isInstanceOf(LlmException.class);

            assertUnchanged(before);
        }

        @Test
        void answers_without_the_expected_json_are_llm_exceptions_and_nothing_is_written() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();

            for (String answer : List.of("", "   ", "{\"answer\": \"I found nothing\"}", "[\"Likes coffee\"",
                    "{\"facts\": \"Likes coffee\"}")) {
                llm.clear();
                llm.answerAlways(CallKind.FACTS, answer);
                assertThatThrownBy(() -> memory.add("I like coffee", ALEX)).as("fact answer '%s'", answer)
                        .isInstanceOf(LlmException.class);
            }
            for (String answer : List.of("", "{\"result\": \"done\"}", "{\"memory\": {\"id\": \"0\"}}")) {
                llm.clear();
                llm.answerAlways(CallKind.RECONCILE, answer);
                assertThatThrownBy(() -> memory.add("I like coffee", ALEX)).as("reconcile answer '%s'", answer)
                        .isInstanceOf(LlmException.class);
            }

            assertUnchanged(before);
        }

        @Test
        void a_fact_list_without_any_readable_fact_is_an_llm_exception_and_nothing_is_written() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();

            for (String answer : List.of("{\"facts\": [1, {}]}", "{\"facts\": [{\"categories\": [\"food\"]}, false]}")) {
                llm.clear();
                llm.answerAlways(CallKind.FACTS, answer);
                assertThatThrownBy(() -> memory.add("I like coffee", ALEX)).as("fact answer '%s'", answer)
                        .isInstanceOf(LlmException.class);
                assertThat(llm.requests(CallKind.RECONCILE)).isEmpty();
            }

            assertUnchanged(before);
        }

        @Test
        void unreadable_fact_items_are_skipped_and_reported_while_the_readable_ones_are_stored() {
            llm.enqueue(CallKind.FACTS, "{\"facts\": [\"Likes coffee\", 12345, {\"category\": \"drinks\"}]}");

            AddResult result = memory.add("I like coffee", ALEX);

            assertThat(result.results()).extracting(MemoryEvent::memory).containsExactly("Likes coffee");
            assertThat(texts(all(ALEX))).containsExactly("Likes coffee");
            assertThat(String.join("\n", result.diagnostics())).as("diagnostics").contains("12345").contains("drinks");
        }

        @Test
        void an_action_with_an_unknown_event_is_skipped_and_reported() {
            String tea = rememberOne(ALEX, "Likes tea");
            MemoryItem before = memory.get(tea);
            llm.enqueue(CallKind.RECONCILE, "{\"memory\": [{\"id\": \"0\", \"text\": \"Likes tea and coffee\", "
                    + "\"event\": \"MERGE\"}, {\"id\": \"1\", \"text\": \"Likes coffee\", \"event\": \"ADD\"}]}");

            AddResult result = memory.add("I like coffee", ALEX);

            assertThat(result.results()).extracting(MemoryEvent::memory).containsExactly("Likes coffee");
            assertThat(result.diagnostics()).as("the skipped action is reported").isNotEmpty();
            assertThat(memory.get(tea)).isEqualTo(before);
            assertThat(events(memory.history(tea))).containsExactly(EventType.ADD);
        }

        @Test
        void a_provider_failure_is_an_llm_exception_and_nothing_is_written() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            llm.failAlways(CallKind.RECONCILE, new LlmException("provider answered 503 Service Unavailable", 503, null));

            assertThatThrownBy(() -> memory.add("I like coffee", ALEX)).isInstanceOf(LlmException.class);

            assertUnchanged(before);
        }

        @Test
        void a_fenced_json_answer_is_understood() {
            llm.enqueue(CallKind.FACTS, "```json\n{\"facts\": [{\"text\": \"Likes tea\", \"categories\": [\"drinks\"]}]}\n```");
            llm.enqueue(CallKind.RECONCILE,
                    "```\n{\"memory\": [{\"id\": \"0\", \"text\": \"Likes tea\", \"event\": \"ADD\", \"old_memory\": null}]}\n```");

            AddResult result = memory.add("I like tea", ALEX);

            assertThat(result.results()).extracting(MemoryEvent::memory).containsExactly("Likes tea");
            assertThat(texts(all(ALEX))).containsExactly("Likes tea");
        }

        @Test
        void think_blocks_are_ignored() {
            llm.enqueue(CallKind.FACTS, "<think>The user talks about coffee. Maybe {\"facts\": [\"Hates coffee\"]}?</think>\n"
                    + "{\"facts\": [\"Likes coffee\"]}");
            llm.enqueue(CallKind.RECONCILE, "<think>Nothing stored yet, so this is an ADD.</think>"
                    + "{\"memory\": [{\"id\": \"0\", \"text\": \"Likes coffee\", \"event\": \"ADD\"}]}");

            memory.add("I like coffee", ALEX);

            assertThat(texts(all(ALEX))).containsExactly("Likes coffee");
        }

        @Test
        void prose_around_the_json_object_is_ignored() {
            llm.enqueue(CallKind.FACTS, "Here are the facts:\n{\"facts\": [\"Lives in Porto\"]}\nAnything else?");

            memory.add("I live in Porto", ALEX);

            assertThat(texts(all(ALEX))).containsExactly("Lives in Porto");
        }
    }

    // ================================================================ §3 search

    @Nested
    class Search {

        private Map<String, String> pinScoreFixture() {
            // query "probe" = e1; expected scores: max(0, cosine)
            embedder.pin("probe", 1, 0, 0);
            embedder.pin("same direction", 1, 0, 0);
            embedder.pin("tie one", 0.8, 0, 0.6);
            embedder.pin("tie two", 0.8, 0, 0.6);
            embedder.pin("sixty", 0.6, 0.8, 0);
            embedder.pin("orthogonal", 0, 1, 0);
            embedder.pin("opposite", -1, 0, 0);
            List<String> texts = List.of("same direction", "tie one", "tie two", "sixty", "orthogonal", "opposite");
            List<String> ids = remember(ALEX, texts.toArray(String[]::new));
            Map<String, String> byText = new LinkedHashMap<>();
            for (int i = 0; i < texts.size(); i++) {
                byText.put(texts.get(i), ids.get(i));
            }
            return byText;
        }

        @Test
        void scores_are_clamped_cosine_similarities_ordered_by_score_then_id() {
            Map<String, String> ids = pinScoreFixture();
            Map<String, Double> expected = Map.of("same direction", 1.0, "tie one", 0.8, "tie two", 0.8, "sixty", 0.6,
                    "orthogonal", 0.0, "opposite", 0.0);

            List<MemoryItem> results = memory.search(SearchRequest.of("probe", ALEX)).results();

            assertThat(results).hasSize(6);
            for (MemoryItem item : results) {
                assertThat(item.score()).as("score of '%s'", item.memory())
                        .isCloseTo(expected.get(item.memory()), within(1e-5))
                        .isBetween(0.0, 1.0);
            }
            List<String> expectedOrder = new ArrayList<>(ids.keySet());
            expectedOrder.sort(Comparator.comparing((String t) -> -expected.get(t)).thenComparing(ids::get));
            assertThat(ids(results)).containsExactlyElementsOf(expectedOrder.stream().map(ids::get).toList());
        }

        @Test
        void threshold_keeps_only_scores_at_or_above_it_and_limit_caps_the_results() {
            pinScoreFixture();

            assertThat(texts(memory.search(SearchRequest.builder("probe").scope(ALEX).threshold(0.5).build()).results()))
                    .containsExactlyInAnyOrder("same direction", "tie one", "tie two", "sixty");
            assertThat(texts(memory.search(SearchRequest.builder("probe").scope(ALEX).threshold(0.7).build()).results()))
                    .containsExactlyInAnyOrder("same direction", "tie one", "tie two");
            assertThat(texts(memory.search(SearchRequest.builder("probe").scope(ALEX).threshold(0.0).build()).results()))
                    .hasSize(6);
            assertThat(texts(memory.search(SearchRequest.builder("probe").scope(ALEX).limit(1).build()).results()))
                    .containsExactly("same direction");
            assertThat(memory.search(SearchRequest.builder("probe").scope(ALEX).limit(3).build()).results())
                    .extracting(MemoryItem::score).allSatisfy(s -> assertThat(s).isGreaterThan(0.79));
            assertThat(texts(memory.search(SearchRequest.builder("probe").scope(ALEX).limit(2).threshold(0.9).build()).results()))
                    .containsExactly("same direction");
        }

        @Test
        void rerank_is_accepted_and_keeps_the_similarity_order() {
            pinScoreFixture();

            List<MemoryItem> plain = memory.search(SearchRequest.builder("probe").scope(ALEX).build()).results();
            List<MemoryItem> reranked = memory.search(SearchRequest.builder("probe").scope(ALEX).rerank(true).build())
                    .results();

            assertThat(reranked).isEqualTo(plain);
            assertThat(reranked.get(0).memory()).isEqualTo("same direction");
        }

        @Test
        void the_default_limit_is_100() {
            String[] texts = new String[120];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = "Note number " + i + " about the garden";
            }
            remember(ALEX, texts);

            assertThat(memory.search(SearchRequest.of("garden", ALEX)).results()).hasSize(100);
            assertThat(memory.search(SearchRequest.builder("garden").scope(ALEX).limit(120).build()).results()).hasSize(120);
        }

        @Test
        void search_never_returns_other_users_memories() {
            String alexTea = rememberOne(ALEX, "Likes tea");
            rememberOne(BOB, "Likes tea");
            rememberOne(new Scope("bob", "agent-x", null), "Likes tea a lot");

            assertThat(ids(memory.search(SearchRequest.of("Likes tea", ALEX)).results())).containsExactly(alexTea);
            assertThat(memory.search(SearchRequest.builder("Likes tea").scope(ALEX).filter(eq("user_id", "bob")).build())
                    .results()).isEmpty();
            assertThat(ids(memory.search(SearchRequest.builder("Likes tea").scope(ALEX)
                    .filter(or(eq("user_id", "bob"), exists("memory"))).build()).results())).containsExactly(alexTea);
            assertThat(memory.search(SearchRequest.of("Likes tea", Scope.user("carol"))).results()).isEmpty();
        }

        @Test
        void results_carry_every_field_and_get_and_getAll_carry_no_score() {
            String id = memory.add(AddRequest.builder().scope(new Scope("alex", "agent-x", "run-1")).infer(false)
                    .metadata(Map.of("topic", "drinks", "nested", Map.of("level", 2))).categories(List.of("beverages"))
                    .message(Message.user("Likes tea").withName("alex_k")).build()).results().get(0).id();

            MemoryItem viaGet = memory.get(id);
            MemoryItem hit = memory.search(SearchRequest.builder("Likes tea").scope(ALEX).filter(eq("topic", "drinks"))
                    .build()).results().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
            MemoryItem listed = all(ALEX).stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();

            assertThat(viaGet.score()).isNull();
            assertThat(listed.score()).isNull();
            assertThat(hit.score()).isCloseTo(1.0, within(1e-4));
            assertThat(hit.withScore(null)).isEqualTo(viaGet);
            assertThat(listed).isEqualTo(viaGet);
            assertThat(viaGet.metadata()).containsEntry("topic", "drinks").containsKey("nested");
            assertThat(viaGet.categories()).containsExactly("beverages");
            assertThat(viaGet.scope()).isEqualTo(new Scope("alex", "agent-x", "run-1"));
            assertThat(viaGet.actorId()).isEqualTo("alex_k");
            assertThat(viaGet.role()).isEqualTo(Role.USER);
        }

        @Test
        void a_search_with_a_bad_argument_is_rejected() {
            assertValidation(ErrorCode.INVALID_ARGUMENT, () -> SearchRequest.builder("tea").scope(ALEX).limit(0).build());
            assertValidation(ErrorCode.INVALID_ARGUMENT, () -> SearchRequest.builder("tea").scope(ALEX).threshold(1.5).build());
            assertValidation(ErrorCode.INVALID_ARGUMENT, () -> SearchRequest.builder(" ").scope(ALEX).build());
        }
    }

    // ================================================================ §4 filters through the facade

    @Nested
    class FilterSemantics {

        private final Map<String, String> ids = new HashMap<>();

        private void fixture() {
            ids.put("vegan", rememberOne(AddRequest.builder().scope(ALEX).timestamp(Instant.parse("2024-07-05T08:00:00Z"))
                    .metadata(Map.of("food", "vegan", "rating", 5)).categories(List.of("food_preferences")),
                    "Loves vegan food"));
            ids.put("peanuts", rememberOne(AddRequest.builder().scope(ALEX).timestamp(Instant.parse("2024-07-15T00:00:00Z"))
                    .metadata(Map.of("allergy", "peanuts", "rating", 3.0)).categories(List.of("health")),
                    "Allergic to peanuts"));
            ids.put("japan", rememberOne(AddRequest.builder().scope(new Scope("alex", "travel-assistant", null))
                    .timestamp(Instant.parse("2024-08-02T12:00:00Z"))
                    .metadata(Map.of("trip", Map.of("city", "Kyoto"), "rating", "5")).categories(List.of("travel")),
                    "Travels to Japan"));
            ids.put("aisle", rememberOne(AddRequest.builder().scope(new Scope("alex", "travel-assistant", null))
                    .timestamp(Instant.parse("2024-07-20T09:30:00Z")), "Prefers aisle seats"));
            ids.put("nurse", rememberOne(AddRequest.builder().scope(new Scope("alex", "customer-support", null))
                    .timestamp(Instant.parse("2024-06-20T10:00:00Z")), "Works as a nurse"));
            ids.put("bob", rememberOne(AddRequest.builder().scope(new Scope("bob", "travel-assistant", null))
                    .timestamp(Instant.parse("2024-07-20T09:30:00Z")).metadata(Map.of("food", "vegan")), "Bob's vegan note"));
        }

        private List<String> matching(Filter filter) {
            List<String> names = new ArrayList<>();
            for (MemoryItem item : all(ALEX, filter)) {
                ids.forEach((name, id) -> {
                    if (id.equals(item.id())) {
                        names.add(name);
                    }
                });
            }
            return names;
        }

        @Test
        void the_mem0_v2_json_filter_selects_the_same_memories_as_the_ast() {
            fixture();
            String json = """
                    {"AND": [ {"user_id": "alex"},
                              {"agent_id": {"in": ["travel-assistant", "customer-support"]}},
                              {"created_at": {"gte": "2024-07-01", "lte": "2024-08-31"}},
                              {"OR": [{"trip.city": "Kyoto"}, {"NOT": [{"allergy": "*"}]}]} ]}""";
            Filter ast = and(eq("user_id", "alex"), Filters.in("agent_id", "travel-assistant", "customer-support"),
                    gte("created_at", "2024-07-01"), lte("created_at", "2024-08-31"),
                    or(eq("metadata.trip.city", "Kyoto"), none(exists("allergy"))));

            Filter parsed = parseFilter(json);

            List<String> viaJson = ids(all(Scope.none(), parsed));
            assertThat(viaJson).containsExactlyInAnyOrder(ids.get("japan"), ids.get("aisle"));
            assertThat(ids(all(Scope.none(), ast))).containsExactlyInAnyOrderElementsOf(viaJson);
            assertThat(ids(memory.search(SearchRequest.builder("travel").filter(parsed).build()).results()))
                    .containsExactlyInAnyOrderElementsOf(viaJson);
        }

        @Test
        void equality_is_typed_and_numbers_compare_numerically() {
            fixture();

            assertThat(matching(eq("rating", 5))).containsExactly("vegan");
            assertThat(matching(eq("rating", 5.0))).containsExactly("vegan");
            assertThat(matching(eq("rating", 3))).containsExactly("peanuts");
            assertThat(matching(eq("rating", "5"))).containsExactly("japan");
            assertThat(matching(eq("food", "Vegan"))).as("strings are case-sensitive").isEmpty();
            assertThat(matching(Filters.gt("rating", 4))).containsExactly("vegan");
        }

        @Test
        void ne_and_nin_match_memories_without_the_field() {
            fixture();

            assertThat(matching(ne("food", "vegan"))).containsExactlyInAnyOrder("peanuts", "japan", "aisle", "nurse");
            assertThat(matching(nin("allergy", List.of("peanuts")))).containsExactlyInAnyOrder("vegan", "japan", "aisle", "nurse");
            assertThat(matching(none(exists("rating")))).containsExactlyInAnyOrder("aisle", "nurse");
        }

        @Test
        void categories_keywords_and_nested_metadata_can_be_filtered() {
            fixture();

            assertThat(matching(contains("categories", "food_preferences"))).containsExactly("vegan");
            assertThat(matching(Filters.in("categories", "health", "travel"))).containsExactlyInAnyOrder("peanuts", "japan");
            assertThat(matching(keywords("NURSE"))).containsExactly("nurse");
            assertThat(matching(eq("trip.city", "Kyoto"))).containsExactly("japan");
            assertThat(matching(eq("metadata.trip.city", "Kyoto"))).containsExactly("japan");
            assertThat(ids(all(ALEX, parseFilter("{\"keywords\": \"vegan\"}")))).containsExactly(ids.get("vegan"));
            assertThat(ids(all(ALEX, parseFilter("{\"categories\": {\"contains\": \"health\"}}"))))
                    .containsExactly(ids.get("peanuts"));
        }

        @Test
        void a_bare_category_or_list_of_categories_in_json_matches_memories_having_any_of_them() {
            fixture();

            assertThat(matching(parseFilter("{\"categories\": \"health\"}"))).containsExactly("peanuts");
            assertThat(matching(parseFilter("{\"categories\": [\"health\", \"travel\"]}")))
                    .containsExactlyInAnyOrder("peanuts", "japan");
            assertThat(matching(parseFilter("{\"categories\": [\"unknown\"]}"))).isEmpty();
            assertThat(matching(parseFilter("{\"AND\": [{\"categories\": \"food_preferences\"}, {\"food\": \"vegan\"}]}")))
                    .containsExactly("vegan");
        }

        @Test
        void date_ranges_accept_dates_date_times_and_epoch_seconds() {
            fixture();

            assertThat(matching(gte("created_at", "2024-07-15"))).containsExactlyInAnyOrder("peanuts", "japan", "aisle");
            assertThat(matching(gte("created_at", "2024-07-15T00:00:00Z"))).containsExactlyInAnyOrder("peanuts", "japan", "aisle");
            assertThat(matching(lt("created_at", Instant.parse("2024-07-01T00:00:00Z").getEpochSecond())))
                    .containsExactly("nurse");
            assertThat(matching(parseFilter("{\"created_at\": {\"gte\": \"2024-07-01\", \"lte\": \"2024-07-31\"}}")))
                    .containsExactlyInAnyOrder("vegan", "peanuts", "aisle");
        }

        private void assertMatchesLiterallyOrRejected(Filter filter, List<String> expected) {
            List<String> found;
            try {
                found = ids(all(ALEX, filter));
            } catch (ValidationException rejected) {
                return; // a backend may reject a value it cannot express faithfully (SPEC §4)
            }
            assertThat(found).as("memories matching %s", filter).containsExactlyElementsOf(expected);
        }

        @Test
        void keys_and_values_crafted_to_break_out_of_a_query_are_matched_literally_or_rejected() {
            String key = "o'reilly \"key\" ) OR (1=1";
            String value = "x' OR '1'='1\"; DROP TABLE memories; -- \\ @user_id:{*} || true";
            String hostile = rememberOne(AddRequest.builder().scope(ALEX).metadata(key, value), "Hostile metadata");
            rememberOne(AddRequest.builder().scope(ALEX).metadata(key, "plain"), "Plain metadata");
            rememberOne(AddRequest.builder().scope(BOB).metadata(key, value), "Bob's hostile metadata");
            Snapshot before = snapshot();

            assertMatchesLiterallyOrRejected(eq(key, value), List.of(hostile));
            assertMatchesLiterallyOrRejected(Filters.in(key, value), List.of(hostile));
            assertMatchesLiterallyOrRejected(contains(key, "DROP TABLE"), List.of(hostile));
            assertMatchesLiterallyOrRejected(eq("memory", value), List.of());
            assertMatchesLiterallyOrRejected(keywords(value), List.of());

            assertUnchanged(before);
        }

        @Test
        void an_unknown_operator_is_rejected_by_the_ast_and_the_json_parser_and_nothing_is_deleted() {
            fixture();
            Snapshot before = snapshot();

            assertValidation(ErrorCode.UNKNOWN_OPERATOR, () -> Operator.fromWireName("between"));
            assertValidation(ErrorCode.UNKNOWN_OPERATOR, () -> new Filter.Comparison("rating", null, 5));
            assertValidation(ErrorCode.UNKNOWN_OPERATOR,
                    () -> memory.deleteAll(ALEX, parseFilter("{\"rating\": {\"between\": [1, 5]}}")));
            assertValidation(ErrorCode.UNKNOWN_OPERATOR,
                    () -> memory.search(SearchRequest.builder("food").scope(ALEX)
                            .filter(parseFilter("{\"AND\": [{\"food\": {\"eq\": \"vegan\", \"like\": \"veg%\"}}]}")).build()));

            assertUnchanged(before);
        }

        @Test
        void in_without_a_list_is_rejected_by_the_ast_and_the_json_parser_and_nothing_is_deleted() {
            fixture();
            Snapshot before = snapshot();

            assertValidation(ErrorCode.INVALID_FILTER, () -> new Filter.Comparison("agent_id", Operator.IN, "travel-assistant"));
            assertValidation(ErrorCode.INVALID_FILTER, () -> new Filter.Comparison("agent_id", Operator.NIN, 5));
            assertValidation(ErrorCode.INVALID_FILTER,
                    () -> memory.deleteAll(ALEX, parseFilter("{\"agent_id\": {\"in\": \"travel-assistant\"}}")));
            assertValidation(ErrorCode.INVALID_FILTER,
                    () -> memory.getAll(new GetAllRequest(ALEX, parseFilter("{\"food\": {\"nin\": {\"a\": 1}}}"), 1, 10, false)));

            assertUnchanged(before);
        }

        @Test
        void an_empty_and_or_or_is_rejected_by_the_ast_and_the_json_parser_and_nothing_is_deleted() {
            fixture();
            Snapshot before = snapshot();

            assertValidation(ErrorCode.INVALID_FILTER, () -> and(List.of()));
            assertValidation(ErrorCode.INVALID_FILTER, () -> or(List.of()));
            assertValidation(ErrorCode.INVALID_FILTER, () -> memory.deleteAll(ALEX, parseFilter("{\"AND\": []}")));
            assertValidation(ErrorCode.INVALID_FILTER, () -> memory.deleteAll(ALEX, parseFilter("{\"OR\": []}")));
            assertValidation(ErrorCode.INVALID_FILTER,
                    () -> memory.deleteAll(Scope.none(), parseFilter("{\"AND\": [{\"user_id\": \"alex\"}, {\"AND\": []}]}")));

            assertUnchanged(before);
        }
    }

    // ================================================================ §5 get and getAll

    @Nested
    class GetAndGetAll {

        @Test
        void get_of_an_unknown_id_is_memory_not_found_and_changes_nothing() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            String unknown = UUID.randomUUID().toString();

            assertThatThrownBy(() -> memory.get(unknown)).isInstanceOfSatisfying(MemoryNotFoundException.class,
                    e -> assertThat(e.ids()).containsExactly(unknown));
            assertThatThrownBy(() -> memory.async().get(unknown).join()).hasCauseInstanceOf(MemoryNotFoundException.class);

            assertUnchanged(before);
        }

        @Test
        void getAll_pages_newest_first_then_by_id() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                clock.tick();
                ids.add(rememberOne(ALEX, "Distinct time memory " + i));
            }
            clock.tick();
            ids.addAll(remember(ALEX, "Same time memory a", "Same time memory b", "Same time memory c"));
            rememberOne(BOB, "Bob's memory");
            List<MemoryItem> everything = new ArrayList<>();
            ids.forEach(id -> everything.add(memory.get(id)));
            everything.sort(Comparator.comparing(MemoryItem::createdAt).reversed().thenComparing(MemoryItem::id));
            List<String> expected = ids(everything);

            List<String> paged = new ArrayList<>();
            for (int page = 1; page <= 4; page++) {
                Page<MemoryItem> p = memory.getAll(GetAllRequest.of(ALEX, null, page, 3));
                assertThat(p.count()).isEqualTo(10);
                assertThat(p.page()).isEqualTo(page);
                assertThat(p.pageSize()).isEqualTo(3);
                assertThat(p.results()).hasSize(page < 4 ? 3 : 1).allSatisfy(i -> assertThat(i.score()).isNull());
                assertThat(p.hasNext()).isEqualTo(page < 4);
                paged.addAll(ids(p.results()));
            }
            assertThat(paged).containsExactlyElementsOf(expected);
            Page<MemoryItem> beyond = memory.getAll(GetAllRequest.of(ALEX, null, 5, 3));
            assertThat(beyond.results()).isEmpty();
            assertThat(beyond.count()).isEqualTo(10);
            Page<MemoryItem> first = memory.getAll(ALEX);
            assertThat(first.pageSize()).isEqualTo(GetAllRequest.DEFAULT_PAGE_SIZE);
            assertThat(ids(first.results())).containsExactlyElementsOf(expected);
        }

        @Test
        void getAll_rejects_bad_pages() {
            assertValidation(ErrorCode.INVALID_PAGE, () -> GetAllRequest.of(ALEX, null, 0, 10));
            assertValidation(ErrorCode.INVALID_PAGE, () -> GetAllRequest.of(ALEX, null, 1, 0));
            assertValidation(ErrorCode.INVALID_PAGE, () -> GetAllRequest.of(ALEX, null, 1, 1001));
        }

        @Test
        void getAll_counts_only_the_scope_and_filter() {
            remember(AddRequest.builder().scope(ALEX).metadata("topic", "food"), "Loves pizza", "Likes sushi");
            remember(AddRequest.builder().scope(ALEX).metadata("topic", "work"), "Works as an engineer");
            remember(AddRequest.builder().scope(BOB).metadata("topic", "food"), "Loves pasta");

            Page<MemoryItem> food = memory.getAll(GetAllRequest.of(ALEX, eq("topic", "food"), 1, 1));
            assertThat(food.count()).isEqualTo(2);
            assertThat(food.results()).hasSize(1);
            assertThat(texts(all(ALEX, eq("topic", "food")))).containsExactlyInAnyOrder("Loves pizza", "Likes sushi");
            assertThat(texts(all(BOB))).containsExactly("Loves pasta");
        }
    }

    // ================================================================ §5 update

    @Nested
    class Update {

        @Test
        void update_of_the_text_re_embeds_re_hashes_and_records_history() {
            String id = rememberOne(AddRequest.builder().scope(ALEX).metadata("source", "chat"), "Likes tea");
            Instant t1 = clock.tick();

            MemoryItem after = memory.update(id, "Likes green tea");

            assertThat(after.id()).isEqualTo(id);
            assertThat(after.memory()).isEqualTo("Likes green tea");
            assertThat(after.hash()).isEqualTo(md5("Likes green tea"));
            assertThat(after.createdAt()).isEqualTo(START);
            assertThat(after.updatedAt()).isEqualTo(t1);
            assertThat(after.metadata()).containsExactly(Map.entry("source", "chat"));
            assertThat(memory.get(id)).isEqualTo(after);
            List<MemoryItem> found = memory.search(SearchRequest.of("Likes green tea", ALEX)).results();
            assertThat(found.get(0).id()).isEqualTo(id);
            assertThat(found.get(0).score()).isCloseTo(1.0, within(1e-4));
            List<HistoryEntry> history = memory.history(id);
            assertThat(events(history)).containsExactly(EventType.ADD, EventType.UPDATE);
            assertThat(history.get(1).oldMemory()).isEqualTo("Likes tea");
            assertThat(history.get(1).newMemory()).isEqualTo("Likes green tea");
            assertThat(history.get(1).createdAt()).isEqualTo(START);
            assertThat(history.get(1).updatedAt()).isEqualTo(t1);
        }

        @Test
        void update_merges_metadata_and_a_null_value_removes_a_key() {
            String id = rememberOne(AddRequest.builder().scope(ALEX)
                    .metadata(Map.of("a", "1", "b", "2", "keep", "yes")), "Likes tea");
            Instant t1 = clock.tick();
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("b", "3");
            change.put("c", "4");
            change.put("a", null);

            MemoryItem after = memory.update(new MemoryUpdate(id, null, change, null));

            assertThat(after.metadata()).containsOnly(Map.entry("keep", "yes"), Map.entry("b", "3"), Map.entry("c", "4"));
            assertThat(memory.get(id).metadata()).isEqualTo(after.metadata());
            assertThat(after.memory()).isEqualTo("Likes tea");
            assertThat(after.hash()).isEqualTo(md5("Likes tea"));
            assertThat(after.updatedAt()).isEqualTo(t1);
            assertThat(events(memory.history(id))).containsExactly(EventType.ADD, EventType.UPDATE);
        }

        @Test
        void update_with_a_timestamp_sets_updated_at() {
            String id = rememberOne(ALEX, "Likes tea");
            Instant ts = Instant.parse("2025-04-01T12:00:00Z");

            MemoryItem after = memory.update(new MemoryUpdate(id, "Likes tea a lot", null, ts));

            assertThat(after.updatedAt()).isEqualTo(ts);
            assertThat(memory.get(id).updatedAt()).isEqualTo(ts);
            assertThat(after.createdAt()).isEqualTo(START);
        }

        @Test
        void update_of_an_unknown_id_is_memory_not_found_and_writes_nothing() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            String unknown = UUID.randomUUID().toString();

            assertThatThrownBy(() -> memory.update(unknown, "Likes coffee")).isInstanceOf(MemoryNotFoundException.class);
            assertThatThrownBy(() -> memory.update(new MemoryUpdate(unknown, null, Map.of("k", "v"), null)))
                    .isInstanceOf(MemoryNotFoundException.class);

            assertUnchanged(before);
        }

        @Test
        void update_of_an_immutable_memory_is_refused_and_writes_nothing() {
            String id = rememberOne(AddRequest.builder().scope(ALEX).immutable(true), "Birthday is 3 May");
            assertThat(memory.get(id).immutable()).isTrue();
            Snapshot before = snapshot();

            assertThatThrownBy(() -> memory.update(id, "Birthday is 5 May"))
                    .isInstanceOfSatisfying(ImmutableMemoryException.class, e -> assertThat(e.id()).isEqualTo(id));
            assertThatThrownBy(() -> memory.update(new MemoryUpdate(id, null, Map.of("k", "v"), null)))
                    .isInstanceOf(ImmutableMemoryException.class);

            assertUnchanged(before);
        }

        @Test
        void an_update_needs_something_to_change() {
            assertValidation(ErrorCode.INVALID_ARGUMENT, () -> new MemoryUpdate(UUID.randomUUID().toString(), null, null, null));
            assertValidation(ErrorCode.INVALID_ARGUMENT, () -> new MemoryUpdate(UUID.randomUUID().toString(), "  ", null, null));
        }
    }

    // ================================================================ §5 delete and deleteAll

    @Nested
    class Delete {

        @Test
        void delete_removes_the_memory_and_keeps_its_history() {
            String id = rememberOne(ALEX, "Likes tea");
            String other = rememberOne(ALEX, "Plays chess");
            Instant t1 = clock.tick();

            memory.delete(id);

            assertThatThrownBy(() -> memory.get(id)).isInstanceOf(MemoryNotFoundException.class);
            assertThat(ids(all(ALEX))).containsExactly(other);
            assertThat(memory.search(SearchRequest.of("Likes tea", ALEX)).results()).extracting(MemoryItem::id)
                    .doesNotContain(id);
            List<HistoryEntry> history = memory.history(id);
            assertThat(events(history)).containsExactly(EventType.ADD, EventType.DELETE);
            assertThat(history.get(1).oldMemory()).isEqualTo("Likes tea");
            assertThat(history.get(1).isDeleted()).isTrue();
            assertThat(history.get(1).updatedAt()).isEqualTo(t1);
        }

        @Test
        void delete_of_an_unknown_id_is_memory_not_found_and_changes_nothing() {
            String id = rememberOne(ALEX, "Likes tea");
            memory.delete(id);
            Snapshot before = snapshot();

            assertThatThrownBy(() -> memory.delete(UUID.randomUUID().toString())).isInstanceOf(MemoryNotFoundException.class);
            assertThatThrownBy(() -> memory.delete(id)).as("deleting twice").isInstanceOf(MemoryNotFoundException.class);

            assertUnchanged(before);
            assertThat(events(memory.history(id))).containsExactly(EventType.ADD, EventType.DELETE);
        }

        @Test
        void deleteAll_deletes_every_memory_of_the_scope_however_many() {
            String[] texts = new String[260];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = "Bulk memory " + i;
            }
            List<String> ids = remember(ALEX, texts);
            List<String> bobs = remember(BOB, "Bob one", "Bob two", "Bob three");

            long deleted = memory.deleteAll(ALEX);

            assertThat(deleted).isEqualTo(260);
            assertThat(memory.getAll(ALEX).count()).isZero();
            assertThat(ids(all(BOB))).containsExactlyInAnyOrderElementsOf(bobs);
            assertThat(events(memory.history(ids.get(0)))).containsExactly(EventType.ADD, EventType.DELETE);
            assertThat(events(memory.history(ids.get(259)))).containsExactly(EventType.ADD, EventType.DELETE);
            assertThat(memory.deleteAll(ALEX)).isZero();
        }

        @Test
        void deleteAll_with_a_filter_deletes_only_the_matches() {
            remember(AddRequest.builder().scope(ALEX).metadata("topic", "food"), "Loves pizza", "Likes sushi");
            remember(AddRequest.builder().scope(ALEX).metadata("topic", "work"), "Works as an engineer");
            remember(AddRequest.builder().scope(BOB).metadata("topic", "food"), "Loves pasta", "Likes curry");

            assertThat(memory.deleteAll(ALEX, eq("topic", "food"))).isEqualTo(2);
            assertThat(texts(all(ALEX))).containsExactly("Works as an engineer");
            assertThat(texts(all(BOB))).hasSize(2);
            assertThat(memory.deleteAll(Scope.none(), eq("user_id", "bob"))).isEqualTo(2);
            assertThat(all(BOB)).isEmpty();
            assertThat(texts(all(ALEX))).containsExactly("Works as an engineer");
        }

        @Test
        void deleteAll_without_scope_or_filter_is_rejected_and_deletes_nothing() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();

            assertValidation(ErrorCode.MISSING_SCOPE, () -> memory.deleteAll(Scope.none(), null));
            assertValidation(ErrorCode.MISSING_SCOPE, () -> memory.deleteAll(Scope.none()));

            assertUnchanged(before);
        }
    }

    // ================================================================ §5 history

    @Nested
    class History {

        @Test
        void history_lists_events_in_the_order_they_happened_and_survives_deletion() {
            String id = memory.add(AddRequest.builder().scope(ALEX).infer(false)
                    .message(Message.user("I live in Porto").withName("alex_k")).build()).results().get(0).id();
            Instant t1 = clock.tick();
            memory.update(id, "Lives in Lisbon");
            Instant t2 = clock.tick();
            memory.update(id, "Lives in Berlin");
            Instant t3 = clock.tick();
            memory.delete(id);

            List<HistoryEntry> history = memory.history(id);

            assertThat(events(history)).containsExactly(EventType.ADD, EventType.UPDATE, EventType.UPDATE, EventType.DELETE);
            assertThat(history).extracting(HistoryEntry::oldMemory)
                    .containsExactly(null, "I live in Porto", "Lives in Lisbon", "Lives in Berlin");
            assertThat(history).extracting(HistoryEntry::newMemory)
                    .containsExactly("I live in Porto", "Lives in Lisbon", "Lives in Berlin", null);
            assertThat(history).extracting(HistoryEntry::updatedAt).containsExactly(START, t1, t2, t3);
            assertThat(history).extracting(HistoryEntry::createdAt).containsOnly(START);
            assertThat(history).extracting(HistoryEntry::isDeleted).containsExactly(false, false, false, true);
            assertThat(history).extracting(HistoryEntry::memoryId).containsOnly(id);
            assertThat(history).extracting(HistoryEntry::id).doesNotContainNull().doesNotHaveDuplicates();
            assertThat(history).extracting(HistoryEntry::actorId).containsOnly("alex_k");
            assertThat(history).extracting(HistoryEntry::role).containsOnly(Role.USER);
        }

        @Test
        void history_of_an_id_that_never_existed_is_memory_not_found() {
            assertThatThrownBy(() -> memory.history(UUID.randomUUID().toString()))
                    .isInstanceOf(MemoryNotFoundException.class);
        }
    }

    // ================================================================ §5 entities

    @Nested
    class Entities {

        private List<String> fixture() {
            List<String> ids = new ArrayList<>();
            ids.add(rememberOne(ALEX, "Alex one"));
            clock.tick();
            ids.add(rememberOne(new Scope("alex", "travel", null), "Alex with travel agent"));
            clock.tick();
            ids.add(rememberOne(new Scope("bob", null, "run-7"), "Bob in run 7"));
            return ids;
        }

        private static EntitySummary entity(List<EntitySummary> all, EntityType type, String id) {
            return all.stream().filter(e -> e.type() == type && e.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no entity " + type + " " + id + " in " + all));
        }

        @Test
        void entities_lists_every_user_agent_and_run_with_counts_and_times() {
            fixture();
            Instant t1 = START.plusSeconds(1);
            Instant t2 = START.plusSeconds(2);

            List<EntitySummary> entities = memory.entities();

            assertThat(entities).extracting(EntitySummary::type, EntitySummary::id).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(EntityType.USER, "alex"),
                    org.assertj.core.groups.Tuple.tuple(EntityType.USER, "bob"),
                    org.assertj.core.groups.Tuple.tuple(EntityType.AGENT, "travel"),
                    org.assertj.core.groups.Tuple.tuple(EntityType.RUN, "run-7"));
            assertThat(entity(entities, EntityType.USER, "alex"))
                    .isEqualTo(new EntitySummary(EntityType.USER, "alex", 2, START, t1));
            assertThat(entity(entities, EntityType.AGENT, "travel"))
                    .isEqualTo(new EntitySummary(EntityType.AGENT, "travel", 1, t1, t1));
            assertThat(entity(entities, EntityType.USER, "bob")).isEqualTo(new EntitySummary(EntityType.USER, "bob", 1, t2, t2));
            assertThat(entity(entities, EntityType.RUN, "run-7")).isEqualTo(new EntitySummary(EntityType.RUN, "run-7", 1, t2, t2));
        }

        @Test
        void deleteEntities_deletes_every_memory_of_one_entity() {
            List<String> ids = fixture();

            assertThat(memory.deleteEntities(EntityType.USER, "alex")).isEqualTo(2);

            assertThat(memory.entities()).extracting(EntitySummary::type, EntitySummary::id).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(EntityType.USER, "bob"),
                    org.assertj.core.groups.Tuple.tuple(EntityType.RUN, "run-7"));
            assertThat(all(ALEX)).isEmpty();
            assertThat(ids(all(BOB))).containsExactly(ids.get(2));
            assertThat(events(memory.history(ids.get(0)))).containsExactly(EventType.ADD, EventType.DELETE);
            assertThat(events(memory.history(ids.get(1)))).containsExactly(EventType.ADD, EventType.DELETE);
        }

        @Test
        void deleteEntities_of_a_whole_type_or_of_everything() {
            List<String> ids = fixture();

            assertThat(memory.deleteEntities(EntityType.AGENT, null)).isEqualTo(1);
            assertThat(ids(all(ALEX))).containsExactly(ids.get(0));

            assertThat(memory.deleteEntities(null, null)).isEqualTo(2);
            assertThat(memory.entities()).isEmpty();
            assertThat(snapshot().memories()).isEmpty();
            assertThat(events(memory.history(ids.get(2)))).containsExactly(EventType.ADD, EventType.DELETE);
        }
    }

    // ================================================================ §5 batches

    @Nested
    class Batches {

        @Test
        void batchUpdate_changes_every_listed_memory() {
            List<String> ids = remember(AddRequest.builder().scope(ALEX).metadata("v", "1"), "One", "Two", "Three");
            Instant t1 = clock.tick();

            BatchResult result = memory.batchUpdate(List.of(
                    MemoryUpdate.text(ids.get(2), "Three updated"),
                    new MemoryUpdate(ids.get(0), null, Map.of("v", "2"), null)));

            assertThat(result.memoryIds()).containsExactly(ids.get(2), ids.get(0));
            assertThat(result.count()).isEqualTo(2);
            assertThat(memory.get(ids.get(2)).memory()).isEqualTo("Three updated");
            assertThat(memory.get(ids.get(2)).updatedAt()).isEqualTo(t1);
            assertThat(memory.get(ids.get(0)).metadata()).containsExactly(Map.entry("v", "2"));
            assertThat(memory.get(ids.get(1)).updatedAt()).isEqualTo(START);
            assertThat(events(memory.history(ids.get(2)))).containsExactly(EventType.ADD, EventType.UPDATE);
            assertThat(events(memory.history(ids.get(0)))).containsExactly(EventType.ADD, EventType.UPDATE);
            assertThat(events(memory.history(ids.get(1)))).containsExactly(EventType.ADD);
        }

        @Test
        void batchUpdate_with_an_unknown_id_fails_as_a_whole_and_names_it() {
            List<String> ids = remember(ALEX, "One", "Two");
            String unknown = UUID.randomUUID().toString();
            Snapshot before = snapshot();

            assertThatThrownBy(() -> memory.batchUpdate(List.of(MemoryUpdate.text(ids.get(0), "One updated"),
                    MemoryUpdate.text(unknown, "Ghost"), MemoryUpdate.text(ids.get(1), "Two updated"))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BATCH);
                        assertThat(e.getMessage()).contains(unknown);
                    });

            assertUnchanged(before);
        }

        @Test
        void batchUpdate_with_an_immutable_memory_fails_as_a_whole_and_names_it() {
            String mutable = rememberOne(ALEX, "One");
            String frozen = rememberOne(AddRequest.builder().scope(ALEX).immutable(true), "Frozen");
            Snapshot before = snapshot();

            assertThatThrownBy(() -> memory.batchUpdate(List.of(MemoryUpdate.text(mutable, "One updated"),
                    MemoryUpdate.text(frozen, "Thawed"))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BATCH);
                        assertThat(e.getMessage()).contains(frozen);
                    });

            assertUnchanged(before);
        }

        @Test
        void batchDelete_deletes_every_listed_memory() {
            List<String> ids = remember(ALEX, "One", "Two", "Three");

            BatchResult result = memory.batchDelete(List.of(ids.get(0), ids.get(2)));

            assertThat(result.memoryIds()).containsExactly(ids.get(0), ids.get(2));
            assertThat(ids(all(ALEX))).containsExactly(ids.get(1));
            assertThat(events(memory.history(ids.get(0)))).containsExactly(EventType.ADD, EventType.DELETE);
            assertThat(events(memory.history(ids.get(2)))).containsExactly(EventType.ADD, EventType.DELETE);
        }

        @Test
        void batchDelete_with_an_unknown_id_fails_as_a_whole_and_names_it() {
            List<String> ids = remember(ALEX, "One", "Two");
            String unknown = UUID.randomUUID().toString();
            Snapshot before = snapshot();

            assertThatThrownBy(() -> memory.batchDelete(List.of(ids.get(0), unknown, ids.get(1))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BATCH);
                        assertThat(e.getMessage()).contains(unknown);
                    });

            assertUnchanged(before);
        }

        @Test
        void batches_above_1000_items_are_rejected_and_1000_are_accepted() {
            String[] texts = new String[1000];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = "Batch memory " + i;
            }
            List<String> ids = remember(ALEX, texts);
            List<String> tooMany = new ArrayList<>(ids);
            tooMany.add(UUID.randomUUID().toString());
            List<MemoryUpdate> tooManyUpdates = tooMany.stream().map(id -> MemoryUpdate.text(id, "changed")).toList();
            Snapshot before = snapshot();

            assertValidation(ErrorCode.BATCH_TOO_LARGE, () -> memory.batchUpdate(tooManyUpdates));
            assertValidation(ErrorCode.BATCH_TOO_LARGE, () -> memory.batchDelete(tooMany));
            assertUnchanged(before);

            assertThat(memory.batchDelete(ids).count()).isEqualTo(1000);
            assertThat(memory.getAll(ALEX).count()).isZero();
        }
    }

    // ================================================================ §5 reset

    @Nested
    class Reset {

        @Test
        void reset_removes_every_memory_and_all_history() {
            String alex = rememberOne(ALEX, "Likes tea");
            rememberOne(new Scope(null, "agent-x", "run-1"), "Agent note");
            memory.update(alex, "Likes green tea");

            memory.reset();

            assertThat(snapshot().memories()).isEmpty();
            assertThat(memory.entities()).isEmpty();
            assertThat(all(ALEX)).isEmpty();
            assertThatThrownBy(() -> memory.history(alex)).isInstanceOf(MemoryNotFoundException.class);
            assertThat(historyStore.delegate().history(alex)).isEmpty();

            String fresh = rememberOne(ALEX, "Likes coffee");
            assertThat(ids(all(ALEX))).containsExactly(fresh);
        }
    }

    // ================================================================ §2 step 6, §6 backend failures

    @Nested
    class BackendFailures {

        private final StoreException historyDown = new StoreException("history store unreachable (scripted)", true, null);

        @Test
        void a_history_failure_during_add_leaves_no_memory_behind() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            historyStore.failAppends(historyDown);

            assertThatThrownBy(() -> memory.add(AddRequest.builder().scope(ALEX).infer(false).user("Plays chess").build()))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> memory.add("I like coffee", ALEX)).isInstanceOf(StoreException.class);

            historyStore.stopFailing();
            assertUnchanged(before);
        }

        @Test
        void a_history_failure_during_reconciliation_rolls_back_every_change_of_the_add() {
            List<String> ids = remember(ALEX, "Likes pizza", "Likes sushi");
            Snapshot before = snapshot();
            llm.enqueue(CallKind.RECONCILE, request -> {
                ReconcileInput input = ScriptedLanguageModel.reconcileInput(request);
                return ScriptedLanguageModel.reconcileAnswer(List.of(
                        new MemoryAction(input.byText("Likes pizza").orElseThrow().id(), "Loves pizza", EventType.UPDATE,
                                "Likes pizza"),
                        new MemoryAction(input.byText("Likes sushi").orElseThrow().id(), "Likes sushi", EventType.DELETE,
                                null),
                        new MemoryAction("new", "Likes ramen", EventType.ADD, null)));
            });
            historyStore.failAppends(historyDown);

            assertThatThrownBy(() -> memory.add("I love pizza and ramen, and no more sushi", ALEX))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());

            historyStore.stopFailing();
            assertUnchanged(before);
            assertThat(memory.get(ids.get(0)).memory()).isEqualTo("Likes pizza");
            assertThat(memory.get(ids.get(1)).memory()).isEqualTo("Likes sushi");
        }

        @Test
        void a_history_failure_during_update_delete_and_batches_changes_nothing() {
            List<String> ids = remember(ALEX, "One", "Two", "Three");
            Snapshot before = snapshot();
            historyStore.failAppends(historyDown);

            assertThatThrownBy(() -> memory.update(ids.get(0), "One updated")).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> memory.delete(ids.get(1))).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> memory.batchUpdate(List.of(MemoryUpdate.text(ids.get(0), "One again"))))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> memory.batchDelete(ids)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> memory.deleteAll(ALEX)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> memory.deleteEntities(EntityType.USER, "alex")).isInstanceOf(StoreException.class);

            historyStore.stopFailing();
            assertUnchanged(before);
            assertThat(texts(all(ALEX))).containsExactlyInAnyOrder("One", "Two", "Three");
            assertThat(memory.search(SearchRequest.of("Two", ALEX)).results().get(0).id())
                    .as("a restored memory is searchable again").isEqualTo(ids.get(1));
        }
    }

    // ================================================================ async

    @Nested
    class Async {

        @Test
        void async_operations_act_on_the_same_memory() {
            AsyncMemory async = memory.async();
            assertThat(async.sync()).isSameAs(memory);

            java.util.concurrent.atomic.AtomicBoolean virtual = new java.util.concurrent.atomic.AtomicBoolean();
            llm.enqueue(CallKind.FACTS, request -> {
                virtual.set(Thread.currentThread().isVirtual());
                return ScriptedLanguageModel.factsAnswer(List.of("I like tea"));
            });
            AddResult added = await(async.add(AddRequest.of("I like tea", ALEX)));
            if (modelIsScripted()) {
                // behind HTTP the script runs on the server's thread; async_add_runs_on_a_virtual_thread covers every setup
                assertThat(virtual).as("the add ran on a virtual thread").isTrue();
            }
            String id = added.results().get(0).id();
            await(async.add(AddRequest.builder().scope(ALEX).infer(false).user("Plays chess").user("Reads novels").build()));

            SearchResult found = await(async.search(SearchRequest.of("I like tea", ALEX)));
            assertThat(found.results().get(0).id()).isEqualTo(id);
            assertThat(await(async.get(id)).memory()).isEqualTo("I like tea");
            assertThat(await(async.getAll(GetAllRequest.of(ALEX))).count()).isEqualTo(3);
            clock.tick();
            assertThat(await(async.update(MemoryUpdate.text(id, "Likes green tea"))).memory()).isEqualTo("Likes green tea");
            assertThat(events(await(async.history(id)))).containsExactly(EventType.ADD, EventType.UPDATE);
            assertThat(await(async.entities())).extracting(EntitySummary::id).containsExactly("alex");
            String chess = all(ALEX).stream().filter(i -> i.memory().equals("Plays chess")).findFirst().orElseThrow().id();
            assertThat(await(async.batchUpdate(List.of(MemoryUpdate.text(chess, "Plays go")))).count()).isEqualTo(1);
            assertThat(await(async.batchDelete(List.of(chess))).count()).isEqualTo(1);
            await(async.delete(id));
            assertThat(await(async.deleteAll(ALEX, null))).isEqualTo(1);
            rememberOne(BOB, "Bob note");
            assertThat(await(async.deleteEntities(EntityType.USER, "bob"))).isEqualTo(1);
            rememberOne(BOB, "Bob note again");
            await(async.reset());
            assertThat(snapshot().memories()).isEmpty();
        }

        @Test
        void async_add_runs_on_a_virtual_thread() {
            ThreadObservingEmbedder observing = new ThreadObservingEmbedder(createEmbedder());
            Memory other = Memory.builder()
                    .config(MemoryConfig.builder().clock(clock).build())
                    .vectorStore(createVectorStore(observing.dimensions()))
                    .historyStore(createHistoryStore())
                    .embedder(observing)
                    .build();
            extraMemories.add(other);
            observing.threads.clear();

            await(other.async().add(AddRequest.builder().scope(ALEX).infer(false).user("Plays chess").build()));

            assertThat(observing.threads).as("threads that embedded for the async add").isNotEmpty()
                    .allSatisfy(t -> assertThat(t.isVirtual()).as("%s is virtual", t).isTrue())
                    .doesNotContain(Thread.currentThread());
        }

        @Test
        void async_failures_complete_the_future_exceptionally_and_write_nothing() {
            rememberOne(ALEX, "Likes tea");
            Snapshot before = snapshot();
            AsyncMemory async = memory.async();

            CompletableFuture<AddResult> noScope = async.add(AddRequest.builder().user("I like coffee").build());
            CompletableFuture<MemoryItem> unknown = async.get(UUID.randomUUID().toString());
            llm.answerAlways(CallKind.FACTS, "not json");
            CompletableFuture<AddResult> garbage = async.add(AddRequest.of("I like coffee", ALEX));

            assertThat(failureOf(noScope)).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_SCOPE));
            assertThat(failureOf(unknown)).isInstanceOf(MemoryNotFoundException.class);
            assertThat(failureOf(garbage)).isInstanceOf(LlmException.class);
            assertUnchanged(before);
        }
    }

    // ================================================================ concurrency

    @Nested
    class Concurrency {

        @Test
        @Timeout(120)
        void eight_threads_adding_the_same_fact_for_one_user_end_with_one_memory() throws Exception {
            int threads = 8;
            llm.latency(CallKind.RECONCILE, Duration.ofMillis(20));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<AddResult>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return memory.add("I love hiking in the mountains", ALEX);
                    }));
                }
                start.countDown();
                int adds = 0;
                for (Future<AddResult> f : futures) {
                    for (MemoryEvent e : f.get(60, TimeUnit.SECONDS).results()) {
                        assertThat(e.event()).isEqualTo(EventType.ADD);
                        adds++;
                    }
                }

                assertThat(adds).as("ADD events over all threads").isEqualTo(1);
                assertThat(texts(all(ALEX))).containsExactly("I love hiking in the mountains");
            } finally {
                pool.shutdownNow();
            }
        }

        /**
         * A history store that runs a probe (once) when a batch of DELETE rows is appended, i.e. while a
         * deletion is in progress.
         */
        private static final class ProbingHistoryStore implements HistoryStore {
            final AtomicReference<Runnable> onDelete = new AtomicReference<>();
            private final HistoryStore delegate;

            ProbingHistoryStore(HistoryStore delegate) {
                this.delegate = delegate;
            }

            @Override
            public void append(List<HistoryEntry> entries) {
                if (entries.stream().anyMatch(e -> e.event() == EventType.DELETE)) {
                    Runnable probe = onDelete.getAndSet(null);
                    if (probe != null) {
                        probe.run();
                    }
                }
                delegate.append(entries);
            }

            @Override
            public List<HistoryEntry> history(String memoryId) {
                return delegate.history(memoryId);
            }

            @Override
            public void deleteAll(java.util.Collection<String> memoryIds) {
                delegate.deleteAll(memoryIds);
            }

            @Override
            public void reset() {
                delegate.reset();
            }

            @Override
            public void close() {
                delegate.close();
            }
        }

        /**
         * Arms the probe: during the next deletion, an inferred add for {@code scope} starts on another
         * thread; it is recorded whether that add could finish within 500 ms, while the deletion held on.
         */
        private CompletableFuture<AddResult> addDuringDeletion(Memory other, ProbingHistoryStore history, Scope scope,
                                                               String text, AtomicBoolean finished) {
            CompletableFuture<AddResult> add = new CompletableFuture<>();
            history.onDelete.set(() -> {
                Thread.ofVirtual().start(() -> {
                    try {
                        add.complete(other.add(text, scope));
                    } catch (Throwable t) {
                        add.completeExceptionally(t);
                    }
                });
                try {
                    add.get(500, TimeUnit.MILLISECONDS);
                    finished.set(true);
                } catch (TimeoutException blocked) {
                    finished.set(false);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            return add;
        }

        @Test
        @Timeout(60)
        void deleteAll_by_filter_and_deleteEntities_of_a_type_hold_the_locks_of_the_scopes_they_delete() {
            ProbingHistoryStore history = new ProbingHistoryStore(createHistoryStore());
            Embedder usedEmbedder = createEmbedder();
            Memory other = Memory.builder()
                    .config(MemoryConfig.builder().clock(clock).build())
                    .vectorStore(createVectorStore(usedEmbedder.dimensions()))
                    .historyStore(history)
                    .embedder(usedEmbedder)
                    .languageModel(new ScriptedLanguageModel())
                    .build();
            extraMemories.add(other);
            other.add(AddRequest.builder().scope(BOB).infer(false).user("Bob likes tea").build());
            other.add(AddRequest.builder().scope(ALEX).infer(false).user("Alex likes tea").build());
            AtomicBoolean finished = new AtomicBoolean(true);

            CompletableFuture<AddResult> bobAdd = addDuringDeletion(other, history, BOB, "I like coffee", finished);
            assertThat(other.deleteAll(Scope.none(), eq("user_id", "bob"))).isEqualTo(1);

            assertThat(finished).as("an add for bob finished while deleteAll({user_id: bob}) was deleting").isFalse();
            assertThat(await(bobAdd).results()).extracting(MemoryEvent::memory).containsExactly("I like coffee");
            assertThat(texts(other.getAll(BOB).results())).containsExactly("I like coffee");

            finished.set(true);
            CompletableFuture<AddResult> alexAdd = addDuringDeletion(other, history, ALEX, "I like cocoa", finished);
            assertThat(other.deleteEntities(EntityType.USER, null)).isEqualTo(2);

            assertThat(finished).as("an add for alex finished while deleteEntities(USER, null) was deleting").isFalse();
            await(alexAdd);
            assertThat(texts(other.getAll(ALEX).results())).containsExactly("I like cocoa");
            assertThat(other.getAll(BOB).results()).isEmpty();
        }

        @Test
        @Timeout(120)
        void concurrent_adds_for_different_users_never_see_or_touch_each_others_memories() throws Exception {
            int users = 8;
            int factsPerUser = 5;
            llm.latency(CallKind.RECONCILE, Duration.ofMillis(5));
            ExecutorService pool = Executors.newFixedThreadPool(users);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int u = 0; u < users; u++) {
                    String tag = "u" + u + "x";
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int j = 0; j < factsPerUser; j++) {
                            memory.add(tag + " likes shared item " + j, Scope.user(tag));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }

                for (int u = 0; u < users; u++) {
                    String tag = "u" + u + "x";
                    List<String> expected = new ArrayList<>();
                    for (int j = 0; j < factsPerUser; j++) {
                        expected.add(tag + " likes shared item " + j);
                    }
                    List<MemoryItem> own = all(Scope.user(tag));
                    assertThat(texts(own)).as("memories of %s", tag).containsExactlyInAnyOrderElementsOf(expected);
                    assertThat(own).allSatisfy(i -> assertThat(events(memory.history(i.id()))).containsExactly(EventType.ADD));
                    assertThat(texts(memory.search(SearchRequest.of("likes shared item", Scope.user(tag))).results()))
                            .allSatisfy(t -> assertThat(t).startsWith(tag + " "));
                }
                for (ChatRequest request : llm.requests(CallKind.RECONCILE)) {
                    ReconcileInput input = ScriptedLanguageModel.reconcileInput(request);
                    String tag = input.newFacts().get(0).split(" ")[0];
                    assertThat(input.existing()).as("candidates shown for %s", tag)
                            .allSatisfy(m -> assertThat(m.text()).startsWith(tag + " "));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

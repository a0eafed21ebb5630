package dev.memlayer.llm.openai.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Guice;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Scope;
import dev.memlayer.api.SearchResult;
import dev.memlayer.conformance.memory.RecordingHistoryStore;
import dev.memlayer.core.MemoryModule;
import dev.memlayer.core.json.Mem0Json;
import dev.memlayer.llm.openai.OpenAiConfig;
import dev.memlayer.llm.openai.OpenAiEmbedder;
import dev.memlayer.llm.openai.OpenAiLanguageModel;
import dev.memlayer.llm.openai.OpenAiModule;
import dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer;
import dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer.ChatCall;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryStoreModule;
import dev.memlayer.store.inmemory.InMemoryVectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The add pipeline end to end over HTTP: memory-core's engine on the in-memory stores, with
 * {@link OpenAiLanguageModel} and {@link OpenAiEmbedder} talking to a local server that plays a
 * scripted conversation in the Chat Completions / Embeddings wire format. Answers are scripted per
 * call kind (the protocol's JSON schema name) and computed from what the engine actually sent.
 */
class OpenAiAddPipelineEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Scope ALEX = Scope.user("alex");
    private static final String FACTS = "memlayer_facts";
    private static final String ACTIONS = "memlayer_memory_actions";
    private static final int DIMENSIONS = 64;

    /** Scripted answers per schema name, first in first out; every call is recorded. */
    private final Map<String, ConcurrentLinkedDeque<Function<ChatCall, String>>> script = new ConcurrentHashMap<>();
    private final List<ChatCall> calls = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private InMemoryVectorStore vectorStore;
    private RecordingHistoryStore historyStore;

    private OpenAiCompatibleTestServer server(OpenAiCompatibleTestServer.EmbeddingHandler embeddings) {
        OpenAiCompatibleTestServer server = OpenAiCompatibleTestServer.start(call -> {
            calls.add(call);
            ConcurrentLinkedDeque<Function<ChatCall, String>> queue = script.get(call.schemaName());
            Function<ChatCall, String> next = queue == null ? null : queue.pollFirst();
            if (next == null) {
                throw new OpenAiCompatibleTestServer.Failure(400, "unscripted call " + call.schemaName());
            }
            return next.apply(call);
        }, embeddings, DIMENSIONS);
        toClose.add(server);
        return server;
    }

    private OpenAiCompatibleTestServer server() {
        return server((texts, dims) -> texts.stream().map(t -> OpenAiCompatibleTestServer.embedding(t, dims)).toList());
    }

    private void then(String schema, Function<ChatCall, String> answer) {
        script.computeIfAbsent(schema, k -> new ConcurrentLinkedDeque<>()).addLast(answer);
    }

    private Memory memory(OpenAiConfig config) {
        vectorStore = new InMemoryVectorStore(DIMENSIONS);
        historyStore = new RecordingHistoryStore(new InMemoryHistoryStore());
        Memory memory = Memory.builder()
                .config(MemoryConfig.defaults())
                .vectorStore(vectorStore)
                .historyStore(historyStore)
                .embedder(new OpenAiEmbedder(config))
                .languageModel(new OpenAiLanguageModel(config))
                .build();
        toClose.add(0, memory);
        return memory;
    }

    /** Every stored record as id, text and updated_at (enough to see any write). */
    private List<String> stored() {
        return vectorStore.list(null, 0, 1000).stream()
                .map(r -> r.id() + " " + r.memory() + " " + r.updatedAt()).sorted().toList();
    }

    private static OpenAiConfig.Builder fast(OpenAiCompatibleTestServer server) {
        return server.config().initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ------------------------------------------------------------------ helpers for scripted answers

    private static String facts(String... texts) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode facts = root.putArray("facts");
        for (String t : texts) {
            facts.addObject().put("text", t).putArray("categories");
        }
        return root.toString();
    }

    /** The reconcile input the engine sent: existing memory text to its small integer id, and the new facts. */
    private record ReconcileInput(Map<String, String> idByText, List<String> newFacts) {
        static ReconcileInput of(ChatCall call) {
            try {
                JsonNode root = JSON.readTree(call.lastUserMessage());
                Map<String, String> ids = new HashMap<>();
                root.path("existing_memories").forEach(m -> ids.put(m.path("text").asText(), m.path("id").asText()));
                List<String> facts = new ArrayList<>();
                root.path("new_facts").forEach(f -> facts.add(f.asText()));
                return new ReconcileInput(ids, facts);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static ObjectNode action(String id, String text, String event, String oldMemory) {
        ObjectNode a = JSON.createObjectNode().put("id", id).put("text", text).put("event", event);
        if (oldMemory != null) {
            a.put("old_memory", oldMemory);
        }
        return a;
    }

    private static String actions(ObjectNode... actions) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode memory = root.putArray("memory");
        for (ObjectNode a : actions) {
            memory.add(a);
        }
        return root.toString();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void a_scripted_conversation_adds_then_updates_and_deletes_with_correct_history_and_mem0_json() throws Exception {
        OpenAiCompatibleTestServer server = server();
        Memory memory = memory(fast(server).build());

        // first add: two facts, both new
        then(FACTS, call -> facts("Is vegetarian", "Is allergic to nuts"));
        then(ACTIONS, call -> {
            ReconcileInput input = ReconcileInput.of(call);
            assertThat(input.idByText()).isEmpty();
            assertThat(input.newFacts()).containsExactly("Is vegetarian", "Is allergic to nuts");
            return actions(action("0", "Is vegetarian", "ADD", null), action("1", "Is allergic to nuts", "ADD", null));
        });
        AddResult first = memory.add("I'm vegetarian and allergic to nuts.", ALEX);

        assertThat(first.results()).extracting(MemoryEvent::event, MemoryEvent::memory).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EventType.ADD, "Is vegetarian"),
                org.assertj.core.groups.Tuple.tuple(EventType.ADD, "Is allergic to nuts"));
        String vegetarianId = first.results().get(0).id();
        String allergyId = first.results().get(1).id();
        JsonNode firstJson = Mem0Json.addResult(first);
        assertThat(firstJson.get("results").get(0).toString()).isEqualTo(
                "{\"id\":\"" + vegetarianId + "\",\"memory\":\"Is vegetarian\",\"event\":\"ADD\"}");

        // second add: the engine shows both memories with small ids; the model updates one and deletes the other
        then(FACTS, call -> facts("Eats fish now", "Is not allergic to nuts after all"));
        then(ACTIONS, call -> {
            ReconcileInput input = ReconcileInput.of(call);
            assertThat(input.idByText()).containsOnlyKeys("Is vegetarian", "Is allergic to nuts");
            assertThat(input.idByText().values()).allSatisfy(id -> assertThat(id).matches("\\d+"));
            return actions(
                    action(input.idByText().get("Is vegetarian"), "Is pescatarian", "UPDATE", "Is vegetarian"),
                    action(input.idByText().get("Is allergic to nuts"), "Is allergic to nuts", "DELETE", null));
        });
        AddResult second = memory.add("I started eating fish, and my nut allergy was a misdiagnosis.", ALEX);

        assertThat(second.results()).containsExactlyInAnyOrder(
                new MemoryEvent(vegetarianId, "Is pescatarian", EventType.UPDATE, "Is vegetarian"),
                new MemoryEvent(allergyId, "Is allergic to nuts", EventType.DELETE, null));
        JsonNode secondJson = Mem0Json.addResult(second);
        assertThat(secondJson.get("results")).hasSize(2);
        for (JsonNode event : secondJson.get("results")) {
            if (event.get("event").asText().equals("UPDATE")) {
                assertThat(event.toString()).isEqualTo("{\"id\":\"" + vegetarianId
                        + "\",\"memory\":\"Is pescatarian\",\"event\":\"UPDATE\",\"previous_memory\":\"Is vegetarian\"}");
            } else {
                assertThat(event.get("event").asText()).isEqualTo("DELETE");
                assertThat(event.get("id").asText()).isEqualTo(allergyId);
            }
        }

        // the store and the history tell the same story
        assertThat(memory.getAll(ALEX).results()).extracting(MemoryItem::memory).containsExactly("Is pescatarian");
        List<HistoryEntry> vegetarian = memory.history(vegetarianId);
        assertThat(vegetarian).extracting(HistoryEntry::event, HistoryEntry::oldMemory, HistoryEntry::newMemory)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EventType.ADD, null, "Is vegetarian"),
                        org.assertj.core.groups.Tuple.tuple(EventType.UPDATE, "Is vegetarian", "Is pescatarian"));
        List<HistoryEntry> allergy = memory.history(allergyId);
        assertThat(allergy).extracting(HistoryEntry::event).containsExactly(EventType.ADD, EventType.DELETE);
        assertThat(allergy.get(1).isDeleted()).isTrue();
        JsonNode historyJson = Mem0Json.history(vegetarian);
        assertThat(historyJson.get(1).get("event").asText()).isEqualTo("UPDATE");
        assertThat(historyJson.get(1).get("old_memory").asText()).isEqualTo("Is vegetarian");
        assertThat(historyJson.get(1).get("new_memory").asText()).isEqualTo("Is pescatarian");
        assertThat(historyJson.get(1).get("memory_id").asText()).isEqualTo(vegetarianId);

        // search goes through the embeddings endpoint too and answers in Mem0's shape
        SearchResult found = memory.search("pescatarian", ALEX);
        JsonNode searchJson = Mem0Json.searchResult(found);
        assertThat(searchJson.get("results").get(0).get("memory").asText()).isEqualTo("Is pescatarian");
        assertThat(searchJson.get("results").get(0).get("user_id").asText()).isEqualTo("alex");
        assertThat(searchJson.get("results").get(0).get("score").asDouble()).isBetween(0.0, 1.0);

        // what went over the wire: the protocol's schemas, strict, at temperature 0, with the API key
        assertThat(calls).extracting(ChatCall::schemaName).containsExactly(FACTS, ACTIONS, FACTS, ACTIONS);
        for (ChatCall call : calls) {
            JsonNode body = JSON.readTree(call.requestJson());
            assertThat(body.get("model").asText()).isEqualTo("test-chat");
            assertThat(body.get("response_format").get("type").asText()).isEqualTo("json_schema");
            assertThat(body.get("response_format").get("json_schema").get("strict").asBoolean()).isTrue();
            assertThat(body.get("response_format").get("json_schema").get("schema").get("type").asText()).isEqualTo("object");
            assertThat(body.get("temperature").asDouble()).isEqualTo(0.0);
            assertThat(body.get("messages").get(body.get("messages").size() - 1).get("role").asText()).isEqualTo("user");
        }
        assertThat(calls.get(0).lastUserMessage()).contains("user: I'm vegetarian and allergic to nuts.");
        assertThat(server.embeddingRequestCount()).isPositive();
    }

    @Test
    void answers_in_code_fences_or_after_think_blocks_are_understood_end_to_end() {
        OpenAiCompatibleTestServer server = server();
        Memory memory = memory(fast(server).build());
        then(FACTS, call -> "```json\n" + facts("Likes green tea") + "\n```");
        then(ACTIONS, call -> "<think>Nothing is stored yet, so this is an ADD.</think>\n"
                + actions(action("0", "Likes green tea", "ADD", null)));

        AddResult result = memory.add("I really like green tea", ALEX);

        assertThat(result.results()).extracting(MemoryEvent::memory).containsExactly("Likes green tea");
        assertThat(memory.getAll(ALEX).results()).extracting(MemoryItem::memory).containsExactly("Likes green tea");
    }

    @Test
    void server_errors_three_times_during_add_fail_with_llm_exception_and_write_nothing() {
        AtomicInteger reconcileAttempts = new AtomicInteger();
        OpenAiCompatibleTestServer server = server();
        Memory memory = memory(fast(server).maxRetries(2).build());
        then(FACTS, call -> facts("Likes tea"));
        then(ACTIONS, call -> actions(action("0", "Likes tea", "ADD", null)));
        String tea = memory.add("I like tea", ALEX).results().get(0).id();
        List<String> before = stored();
        int historyBefore = historyStore.journalSize();

        then(FACTS, call -> facts("Likes coffee"));
        for (int i = 0; i < 3; i++) {
            then(ACTIONS, call -> {
                reconcileAttempts.incrementAndGet();
                throw new OpenAiCompatibleTestServer.Failure(500, "The server had an error while processing your request.");
            });
        }
        then(ACTIONS, call -> actions(action("1", "Likes coffee", "ADD", null))); // never reached

        assertThatThrownBy(() -> memory.add("I like coffee", ALEX))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.getMessage()).contains("HTTP 500").contains("The server had an error");
                    assertThat(e.getMessage()).contains("gave up after 3 attempts");
                });

        assertThat(reconcileAttempts).hasValue(3);
        assertThat(stored()).containsExactlyElementsOf(before);
        assertThat(historyStore.journalSize()).as("history entries").isEqualTo(historyBefore);
        assertThat(memory.history(tea)).extracting(HistoryEntry::event).containsExactly(EventType.ADD);
    }

    @Test
    void an_embedding_of_the_wrong_dimension_fails_the_add_before_anything_is_stored() {
        OpenAiCompatibleTestServer server = server((texts, dims) -> texts.stream()
                .map(t -> OpenAiCompatibleTestServer.embedding(t, DIMENSIONS + 1)).toList());
        Memory memory = memory(fast(server).build());
        then(FACTS, call -> facts("Likes tea"));
        then(ACTIONS, call -> actions(action("0", "Likes tea", "ADD", null)));

        assertThatThrownBy(() -> memory.add("I like tea", ALEX))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("returned 65-dimensional vectors, but 64 dimensions are expected");

        assertThat(vectorStore.list(null, 0, 1000)).isEmpty();
        assertThat(historyStore.journalSize()).isZero();
    }

    @Test
    void a_timeout_during_fact_extraction_fails_the_add_and_writes_nothing() {
        OpenAiCompatibleTestServer server = server();
        Memory memory = memory(fast(server).requestTimeout(Duration.ofMillis(200)).maxRetries(0).build());
        then(FACTS, call -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return facts("Likes tea");
        });

        assertThatThrownBy(() -> memory.add("I like tea", ALEX))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("request timeout");

        assertThat(vectorStore.list(null, 0, 1000)).isEmpty();
        assertThat(historyStore.journalSize()).isZero();
    }

    @Test
    void guice_wiring_with_memory_module_and_openai_module_runs_the_pipeline() {
        OpenAiCompatibleTestServer server = server();
        then(FACTS, call -> facts("Plays the cello"));
        then(ACTIONS, call -> actions(action("0", "Plays the cello", "ADD", null)));

        Memory memory = Guice.createInjector(
                new MemoryModule(MemoryConfig.defaults()),
                new InMemoryStoreModule(DIMENSIONS),
                new OpenAiModule(fast(server).build())).getInstance(Memory.class);
        toClose.add(0, memory);

        assertThat(memory.add("I play the cello", ALEX).results()).extracting(MemoryEvent::memory)
                .containsExactly("Plays the cello");
        assertThat(memory.search("cello", ALEX).results()).extracting(MemoryItem::memory).containsExactly("Plays the cello");
    }
}

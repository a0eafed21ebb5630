package dev.memlayer.llm.ollama.e2e;

import static dev.memlayer.llm.ollama.e2e.OllamaScriptServer.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Scope;
import dev.memlayer.conformance.memory.RecordingHistoryStore;
import dev.memlayer.conformance.support.HashingEmbedder;
import dev.memlayer.core.json.Mem0Json;
import dev.memlayer.llm.ollama.OllamaConfig;
import dev.memlayer.llm.ollama.OllamaEmbedder;
import dev.memlayer.llm.ollama.OllamaLanguageModel;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryVectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The add pipeline end to end over Ollama's wire format: memory-core's engine on the in-memory
 * stores, with {@link OllamaLanguageModel} and {@link OllamaEmbedder} talking to a local server
 * that plays a scripted conversation. Answers are scripted per call kind and computed from what
 * the engine actually sent.
 */
class OllamaAddPipelineEndToEndTest {

    private static final Scope ALEX = Scope.user("alex");
    private static final String FACTS = "memlayer_facts";
    private static final String ACTIONS = "memlayer_memory_actions";
    private static final int DIMENSIONS = 64;
    private static final HashingEmbedder HASHING = new HashingEmbedder(DIMENSIONS);

    private final Map<String, ConcurrentLinkedDeque<Function<OllamaScriptServer.ChatCall, String>>> script =
            new ConcurrentHashMap<>();
    private final List<OllamaScriptServer.ChatCall> calls = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private InMemoryVectorStore vectorStore;
    private RecordingHistoryStore historyStore;

    private OllamaScriptServer server(BiFunction<String, List<String>, List<float[]>> embeddings) {
        OllamaScriptServer server = new OllamaScriptServer(call -> {
            calls.add(call);
            ConcurrentLinkedDeque<Function<OllamaScriptServer.ChatCall, String>> queue = script.get(call.schemaName());
            Function<OllamaScriptServer.ChatCall, String> next = queue == null ? null : queue.pollFirst();
            if (next == null) {
                throw new OllamaScriptServer.Failure(400, "unscripted call " + call.schemaName());
            }
            return next.apply(call);
        }, embeddings);
        toClose.add(server);
        return server;
    }

    private OllamaScriptServer server() {
        return server((model, texts) -> texts.stream().map(t -> HASHING.embed(t, dev.memlayer.api.spi.EmbeddingPurpose.ADD)).toList());
    }

    private void then(String schema, Function<OllamaScriptServer.ChatCall, String> answer) {
        script.computeIfAbsent(schema, k -> new ConcurrentLinkedDeque<>()).addLast(answer);
    }

    private Memory memory(OllamaConfig config) {
        vectorStore = new InMemoryVectorStore(DIMENSIONS);
        historyStore = new RecordingHistoryStore(new InMemoryHistoryStore());
        Memory memory = Memory.builder()
                .config(MemoryConfig.defaults())
                .vectorStore(vectorStore)
                .historyStore(historyStore)
                .embedder(new OllamaEmbedder(config))
                .languageModel(new OllamaLanguageModel(config))
                .build();
        toClose.add(0, memory);
        return memory;
    }

    private static OllamaConfig.Builder config(OllamaScriptServer server) {
        return server.config().embeddingModel("nomic-embed-text").embeddingDimensions(DIMENSIONS);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private List<String> stored() {
        return vectorStore.list(null, 0, 1000).stream()
                .map(r -> r.id() + " " + r.memory() + " " + r.updatedAt()).sorted().toList();
    }

    private static String facts(String... texts) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode facts = root.putArray("facts");
        for (String t : texts) {
            facts.addObject().put("text", t).putArray("categories");
        }
        return root.toString();
    }

    private static Map<String, String> existingIds(OllamaScriptServer.ChatCall call) {
        try {
            Map<String, String> ids = new HashMap<>();
            JSON.readTree(call.lastUserMessage()).path("existing_memories")
                    .forEach(m -> ids.put(m.path("text").asText(), m.path("id").asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    @Test
    void a_scripted_conversation_adds_then_updates_and_deletes_with_correct_history_and_mem0_json() {
        OllamaScriptServer server = server();
        Memory memory = memory(config(server).keepAlive("10m").numCtx(8192).build());

        then(FACTS, call -> facts("Lives in Porto", "Works as a nurse"));
        then(ACTIONS, call -> actions(action("0", "Lives in Porto", "ADD", null), action("1", "Works as a nurse", "ADD", null)));
        AddResult first = memory.add("I live in Porto and work as a nurse.", ALEX);
        assertThat(first.results()).extracting(MemoryEvent::event, MemoryEvent::memory)
                .containsExactly(tuple(EventType.ADD, "Lives in Porto"), tuple(EventType.ADD, "Works as a nurse"));
        String portoId = first.results().get(0).id();
        String nurseId = first.results().get(1).id();

        then(FACTS, call -> facts("Moved to Lisbon", "Quit nursing"));
        then(ACTIONS, call -> {
            Map<String, String> ids = existingIds(call);
            assertThat(ids).containsOnlyKeys("Lives in Porto", "Works as a nurse");
            return actions(action(ids.get("Lives in Porto"), "Lives in Lisbon", "UPDATE", "Lives in Porto"),
                    action(ids.get("Works as a nurse"), "Works as a nurse", "DELETE", null));
        });
        AddResult second = memory.add("I moved to Lisbon and I quit nursing.", ALEX);

        assertThat(second.results()).containsExactlyInAnyOrder(
                new MemoryEvent(portoId, "Lives in Lisbon", EventType.UPDATE, "Lives in Porto"),
                new MemoryEvent(nurseId, "Works as a nurse", EventType.DELETE, null));
        JsonNode json = Mem0Json.addResult(second);
        assertThat(json.get("results")).hasSize(2);
        assertThat(json.findValues("previous_memory")).extracting(JsonNode::asText).containsExactly("Lives in Porto");
        assertThat(memory.getAll(ALEX).results()).extracting(MemoryItem::memory).containsExactly("Lives in Lisbon");
        assertThat(memory.history(portoId)).extracting(HistoryEntry::event, HistoryEntry::oldMemory, HistoryEntry::newMemory)
                .containsExactly(tuple(EventType.ADD, null, "Lives in Porto"),
                        tuple(EventType.UPDATE, "Lives in Porto", "Lives in Lisbon"));
        assertThat(memory.history(nurseId)).extracting(HistoryEntry::event, HistoryEntry::isDeleted)
                .containsExactly(tuple(EventType.ADD, false), tuple(EventType.DELETE, true));

        // the wire: non-streaming chat, the schema as format, options and keep_alive as configured
        assertThat(calls).extracting(OllamaScriptServer.ChatCall::schemaName).containsExactly(FACTS, ACTIONS, FACTS, ACTIONS);
        for (OllamaScriptServer.ChatCall call : calls) {
            assertThat(call.body().get("stream").asBoolean(true)).isFalse();
            assertThat(call.body().get("format").get("type").asText()).isEqualTo("object");
            assertThat(call.body().get("options").get("temperature").asDouble()).isEqualTo(0.0);
            assertThat(call.body().get("options").get("num_ctx").asInt()).isEqualTo(8192);
            assertThat(call.body().get("keep_alive").asText()).isEqualTo("10m");
        }
    }

    @Test
    void answers_in_code_fences_or_after_think_blocks_are_understood_end_to_end() {
        OllamaScriptServer server = server();
        Memory memory = memory(config(server).build());
        then(FACTS, call -> "<think>\nThe user mentions tea.\n</think>\n\n```json\n" + facts("Likes green tea") + "\n```");
        then(ACTIONS, call -> "```\n" + actions(action("0", "Likes green tea", "ADD", null)) + "\n```");

        memory.add("I really like green tea", ALEX);

        assertThat(memory.getAll(ALEX).results()).extracting(MemoryItem::memory).containsExactly("Likes green tea");
    }

    @Test
    void server_errors_three_times_during_add_fail_with_llm_exception_and_write_nothing() {
        AtomicInteger attempts = new AtomicInteger();
        OllamaScriptServer server = server();
        Memory memory = memory(config(server).maxRetries(2).build());
        then(FACTS, call -> facts("Likes tea"));
        then(ACTIONS, call -> actions(action("0", "Likes tea", "ADD", null)));
        memory.add("I like tea", ALEX);
        List<String> before = stored();
        int historyBefore = historyStore.journalSize();

        then(FACTS, call -> facts("Likes coffee"));
        for (int i = 0; i < 3; i++) {
            then(ACTIONS, call -> {
                attempts.incrementAndGet();
                throw new OllamaScriptServer.Failure(500, "llama runner process has terminated: exit status 2");
            });
        }

        assertThatThrownBy(() -> memory.add("I like coffee", ALEX))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(500);
                    assertThat(e.getMessage()).contains("llama runner process has terminated").contains("gave up after 3 attempts");
                });
        assertThat(attempts).hasValue(3);
        assertThat(stored()).containsExactlyElementsOf(before);
        assertThat(historyStore.journalSize()).isEqualTo(historyBefore);
    }

    @Test
    void an_unknown_model_fails_the_add_saying_to_pull_it_and_writes_nothing() {
        OllamaScriptServer server = server();
        Memory memory = memory(config(server).chatModel("llama9").build());
        then(FACTS, call -> {
            throw new OllamaScriptServer.Failure(404, "model \"llama9\" not found, try pulling it first");
        });

        assertThatThrownBy(() -> memory.add("I like tea", ALEX))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("ollama pull llama9");
        assertThat(stored()).isEmpty();
        assertThat(historyStore.journalSize()).isZero();
    }

    @Test
    void an_embedding_of_the_wrong_dimension_fails_the_add_before_anything_is_stored() {
        OllamaScriptServer server = server((model, texts) -> texts.stream().map(t -> new float[]{1f, 0f, 0f}).toList());
        Memory memory = memory(config(server).build());
        then(FACTS, call -> facts("Likes tea"));
        then(ACTIONS, call -> actions(action("0", "Likes tea", "ADD", null)));

        assertThatThrownBy(() -> memory.add("I like tea", ALEX))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("returned 3-dimensional vectors, but 64 dimensions are expected");
        assertThat(stored()).isEmpty();
        assertThat(historyStore.journalSize()).isZero();
    }
}

package dev.memlayer.conformance.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.GraphChanges;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.SearchRequest;
import dev.memlayer.api.SearchResult;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.graph.GraphConfig;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.StoredRelation;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.memory.MutableClock;
import dev.memlayer.conformance.memory.RecordingHistoryStore;
import dev.memlayer.conformance.memory.ScriptEmbedder;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.memory.ScriptedLanguageModel.CallKind;
import dev.memlayer.conformance.memory.ScriptedLanguageModel.GraphOutdatedInput;
import dev.memlayer.conformance.memory.ScriptedLanguageModel.GraphRelationsInput;
import dev.memlayer.core.json.Mem0Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Graph memory through the {@link Memory} facade: the engine's graph pipeline (entities, relations,
 * entity dedup, outdated relations, BM25-ranked search, deletions, failure behaviour) with the scripted
 * language model, on the graph store of a backend. A backend runs it with one subclass:
 *
 * <pre>{@code
 * class Neo4jGraphMemoryTest extends GraphMemoryContract {
 *     protected GraphStore createGraphStore() { return new Neo4jGraphStore(config); }
 *     protected VectorStore createVectorStore(int dimensions) { return new InMemoryVectorStore(dimensions); }
 *     protected HistoryStore createHistoryStore() { return new InMemoryHistoryStore(); }
 * }
 * }</pre>
 *
 * Before every test the suite builds a memory with the hooks' stores (the graph store wrapped in a
 * {@link FaultyGraphStore}, the history store in a {@link RecordingHistoryStore}), a
 * {@link ScriptedLanguageModel}, a {@link ScriptEmbedder} on which the entity names of the tests are
 * pinned to orthogonal vectors, and a {@link MutableClock}; then it resets the memory.
 */
public abstract class GraphMemoryContract {

    /** The instant the clock shows when a test starts. */
    protected static final Instant START = Instant.parse("2025-03-10T09:00:00Z");
    protected static final Scope ALICE = Scope.user("alice");
    protected static final Scope BOB = Scope.user("bob");

    private MutableClock clock;
    private ScriptedLanguageModel llm;
    private ScriptEmbedder embedder;
    private VectorStore vectorStore;
    private RecordingHistoryStore historyStore;
    private FaultyGraphStore graphStore;
    private Memory memory;
    private final List<Memory> extra = new ArrayList<>();

    /** @return a new graph store on the collection under test */
    protected abstract GraphStore createGraphStore();

    /** @return a new vector store of the dimension */
    protected abstract VectorStore createVectorStore(int dimensions);

    /** @return a new history store */
    protected abstract HistoryStore createHistoryStore();

    @BeforeEach
    void setUpMemory() {
        clock = new MutableClock(START);
        llm = new ScriptedLanguageModel();
        embedder = new ScriptEmbedder();
        // entity names on orthogonal axes, so that only equal names are similar
        String[] names = {"alice", "rex", "bob", "dog", "paris", "pizza", "carol", "berlin", "acme"};
        for (int i = 0; i < names.length; i++) {
            double[] axis = new double[i + 1];
            axis[i] = 1;
            embedder.pin(names[i], axis);
        }
        memory = build(GraphConfig.defaults(), UnaryOperator.identity());
        memory.reset();
        historyStore.clearJournal();
        llm.clear();
    }

    private Memory build(GraphConfig graphConfig, UnaryOperator<ScriptedLanguageModel> model) {
        vectorStore = createVectorStore(embedder.dimensions());
        historyStore = new RecordingHistoryStore(createHistoryStore());
        graphStore = new FaultyGraphStore(createGraphStore());
        return Memory.builder()
                .config(MemoryConfig.builder().clock(clock).build())
                .vectorStore(vectorStore)
                .historyStore(historyStore)
                .embedder(embedder)
                .languageModel(model.apply(llm))
                .graphStore(graphStore)
                .graphConfig(graphConfig)
                .build();
    }

    @AfterEach
    void closeMemory() {
        extra.forEach(Memory::close);
        extra.clear();
        if (memory != null) {
            memory.close();
        }
    }

    /** @return the memory under test */
    protected final Memory memory() {
        return memory;
    }

    /** @return the scripted model */
    protected final ScriptedLanguageModel scriptedModel() {
        return llm;
    }

    // ================================================================ helpers

    private static Relation rel(String source, String relationship, String destination) {
        return new Relation(source, relationship, destination);
    }

    private static Map<String, String> entities(String... nameTypePairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            out.put(nameTypePairs[i], nameTypePairs[i + 1]);
        }
        return out;
    }

    /** Scripts the two extraction calls of one add (entities, then relations). */
    private void scriptGraph(Map<String, String> entities, Relation... relations) {
        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(entities));
        llm.enqueue(CallKind.GRAPH_RELATIONS, ScriptedLanguageModel.relationsAnswer(List.of(relations)));
    }

    /** "Alice's dog is named Rex": alice owns rex. */
    private AddResult aliceOwnsRex() {
        scriptGraph(entities("Alice", "person", "Rex", "animal"), rel("Alice", "owns", "Rex"));
        return memory.add("Alice's dog is named Rex", ALICE);
    }

    private List<MemoryRecord> memories() {
        return vectorStore.list(null, 0, 10_000);
    }

    // ================================================================ the classic example

    @Test
    void alice_gives_rex_to_bob_and_the_old_owner_becomes_history() {
        // given: "Alice's dog is named Rex"
        AddResult first = aliceOwnsRex();
        assertThat(first.relations().added()).containsExactly(rel("alice", "owns", "rex"));
        assertThat(first.relations().deleted()).isEmpty();
        assertThat(first.results()).extracting(e -> e.event()).containsExactly(EventType.ADD);

        // when: "Alice gave Rex to Bob"
        clock.advance(Duration.ofMinutes(5));
        scriptGraph(entities("Alice", "person", "Rex", "animal", "Bob", "person"), rel("Bob", "owns", "Rex"));
        List<GraphOutdatedInput> shown = new ArrayList<>();
        llm.enqueue(CallKind.GRAPH_OUTDATED, request -> {
            GraphOutdatedInput input = ScriptedLanguageModel.graphOutdatedInput(request);
            shown.add(input);
            return ScriptedLanguageModel.outdatedAnswer(List.of(rel("alice", "owns", "rex")));
        });
        AddResult second = memory.add("Alice gave Rex to Bob", ALICE);

        // then
        assertThat(shown).singleElement().satisfies(input -> {
            assertThat(input.existing()).containsExactly(rel("alice", "owns", "rex"));
            assertThat(input.newRelations()).containsExactly(rel("bob", "owns", "rex"));
            assertThat(input.text()).isEqualTo("user: Alice gave Rex to Bob");
        });
        assertThat(second.relations().added()).containsExactly(rel("bob", "owns", "rex"));
        assertThat(second.relations().deleted()).containsExactly(rel("alice", "owns", "rex"));
        assertThat(memory.relations(ALICE)).containsExactly(rel("bob", "owns", "rex"));
        List<StoredRelation> history = memory.relationHistory(ALICE);
        assertThat(history).extracting(StoredRelation::toRelation, StoredRelation::valid).containsExactly(
                org.assertj.core.groups.Tuple.tuple(rel("alice", "owns", "rex"), false),
                org.assertj.core.groups.Tuple.tuple(rel("bob", "owns", "rex"), true));
        assertThat(history.get(0).invalidatedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(history.get(0).createdAt()).isEqualTo(START);

        // and: "who has Rex?" finds the new owner only
        SearchResult found = memory.search("who has Rex?", ALICE);
        assertThat(found.relations()).containsExactly(rel("bob", "owns", "rex"));
        assertThat(found.results()).isNotEmpty();
    }

    @Test
    void the_graph_calls_follow_the_protocol() {
        aliceOwnsRex();

        ChatRequest entities = llm.lastRequest(CallKind.GRAPH_ENTITIES);
        assertThat(entities.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                s -> assertThat(s.name()).isEqualTo("memlayer_graph_entities"));
        assertThat(ScriptedLanguageModel.lastMessage(entities).role()).isEqualTo(Role.USER);
        assertThat(ScriptedLanguageModel.lastMessage(entities).content()).isEqualTo("user: Alice's dog is named Rex");
        assertThat(ScriptedLanguageModel.instructions(entities)).contains("The speaker is \"alice\"");

        ChatRequest relations = llm.lastRequest(CallKind.GRAPH_RELATIONS);
        assertThat(relations.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                s -> assertThat(s.name()).isEqualTo("memlayer_graph_relations"));
        GraphRelationsInput input = ScriptedLanguageModel.graphRelationsInput(relations);
        assertThat(input.entities()).containsExactly(Map.entry("alice", "person"), Map.entry("rex", "animal"));
        assertThat(input.text()).isEqualTo("user: Alice's dog is named Rex");
        // nothing stored around the new entities yet: no outdated call
        assertThat(llm.requests(CallKind.GRAPH_OUTDATED)).isEmpty();
    }

    @Test
    void the_classic_example_works_with_json_object_answers_too() {
        llm.supportsJsonSchema(false);
        aliceOwnsRex();
        scriptGraph(entities("Alice", "person", "Rex", "animal", "Bob", "person"), rel("Bob", "owns", "Rex"));
        llm.enqueue(CallKind.GRAPH_OUTDATED, "```json\n{\"outdated\": [{\"source\": \"Alice\", \"relationship\": \"owns\","
                + " \"destination\": \"Rex\"}]}\n```");

        AddResult second = memory.add("Alice gave Rex to Bob", ALICE);

        assertThat(llm.lastRequest(CallKind.GRAPH_OUTDATED).responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
        assertThat(second.relations().deleted()).containsExactly(rel("alice", "owns", "rex"));
        assertThat(memory.relations(ALICE)).containsExactly(rel("bob", "owns", "rex"));
    }

    @Test
    void relations_appear_in_the_mem0_json_of_add_search_and_get_all() {
        AddResult added = aliceOwnsRex();
        SearchResult found = memory.search("Rex", ALICE);

        JsonNode addJson = Mem0Json.addResult(added);
        assertThat(addJson.path("relations").path("added_entities").get(0).path("source").asText()).isEqualTo("alice");
        assertThat(addJson.path("relations").path("deleted_entities").isArray()).isTrue();
        JsonNode searchJson = Mem0Json.searchResult(found);
        assertThat(searchJson.path("relations").get(0).path("relationship").asText()).isEqualTo("owns");
        JsonNode all = Mem0Json.page(memory.getAll(ALICE), null, memory.relations(ALICE));
        assertThat(all.path("relations").get(0).path("destination").asText()).isEqualTo("rex");
        assertThat(all.path("results").size()).isEqualTo(1);
    }

    // ================================================================ entities

    @Test
    void a_new_name_for_an_existing_entity_reuses_it() {
        aliceOwnsRex();
        clock.advance(Duration.ofMinutes(1));
        // "Alice Smith" embeds at 0.95 to "alice": above the default merge threshold 0.9
        embedder.pin("alice_smith", 0.95, Math.sqrt(1 - 0.95 * 0.95));
        scriptGraph(entities("Alice Smith", "person", "Paris", "city"), rel("Alice Smith", "lives in", "Paris"));

        AddResult result = memory.add("Alice Smith lives in Paris", ALICE);

        assertThat(result.relations().added()).containsExactly(rel("alice", "lives_in", "paris"));
        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", "owns", "rex"), rel("alice", "lives_in", "paris"));
    }

    @Test
    void the_entity_match_threshold_is_configurable() {
        memory.close();
        memory = build(GraphConfig.defaults().withEntityMatchThreshold(0.99), UnaryOperator.identity());
        aliceOwnsRex();
        embedder.pin("alice_smith", 0.95, Math.sqrt(1 - 0.95 * 0.95));
        scriptGraph(entities("Alice Smith", "person", "Paris", "city"), rel("Alice Smith", "lives in", "Paris"));

        AddResult result = memory.add("Alice Smith lives in Paris", ALICE);

        assertThat(result.relations().added()).containsExactly(rel("alice_smith", "lives_in", "paris"));
    }

    @Test
    void names_and_relationships_are_normalised_and_relation_ends_become_entities() {
        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(entities("  ALICE ", "Person")));
        llm.enqueue(CallKind.GRAPH_RELATIONS, ScriptedLanguageModel.relationsAnswer(List.of(
                rel("Alice", "Works   At", "Acme Corp"), rel("alice", "", "x"))));

        AddResult result = memory.add("I work at Acme Corp", ALICE);

        assertThat(result.relations().added()).containsExactly(rel("alice", "works_at", "acme_corp"));
    }

    @Test
    void quotes_braces_and_cypher_keywords_in_names_are_kept_literally() {
        String evil = "o'brien`}) DETACH DELETE n //";
        String relationship = "knows`]->() MATCH (m) DELETE m //";
        scriptGraph(entities("Alice", "person", evil, "person {x: 1}"), rel("Alice", relationship, evil));
        memory.add("Alice knows O'Brien", ALICE);
        scriptGraph(entities("Bob", "person", "Rex", "animal"), rel("Bob", "owns", "Rex"));
        memory.add("Bob owns Rex", BOB);

        String name = "o'brien`})_detach_delete_n_//";
        String rel = "knows`]->()_match_(m)_delete_m_//";
        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", rel, name));
        assertThat(memory.relations(BOB)).containsExactly(rel("bob", "owns", "rex"));
        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(entities(evil, "person")));
        assertThat(memory.search("who is O'Brien", ALICE).relations()).containsExactly(rel("alice", rel, name));
    }

    // ================================================================ scopes

    @Test
    void one_users_graph_never_leaks_into_another_users() {
        aliceOwnsRex();
        scriptGraph(entities("Bob", "person", "Pizza", "food"), rel("Bob", "likes", "Pizza"));
        memory.add("Bob likes pizza", BOB);

        assertThat(memory.relations(BOB)).containsExactly(rel("bob", "likes", "pizza"));
        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(entities("Rex", "animal")));
        assertThat(memory.search("who has Rex?", BOB).relations()).isEmpty();
        // and bob's add never showed alice's relations to the model
        assertThat(llm.requests(CallKind.GRAPH_OUTDATED)).isEmpty();
    }

    @Test
    void search_with_a_filter_naming_the_user_finds_the_users_relations() {
        aliceOwnsRex();

        SearchResult found = memory.search(SearchRequest.builder("who has Rex?")
                .filter(Filters.eq("user_id", "alice")).build());

        assertThat(found.relations()).containsExactly(rel("alice", "owns", "rex"));
    }

    // ================================================================ search

    @Test
    void search_ranks_relations_around_the_query_entities_by_bm25_and_returns_the_top_five() {
        scriptGraph(entities("Alice", "person", "Paris", "city", "Pizza", "food", "Rex", "animal", "Acme", "company",
                "Carol", "person", "Berlin", "city"),
                rel("Alice", "likes", "Pizza"), rel("Alice", "owns", "Rex"), rel("Alice", "works at", "Acme"),
                rel("Alice", "knows", "Carol"), rel("Alice", "visited", "Berlin"), rel("Alice", "lives in", "Paris"));
        memory.add("Alice lives in Paris, likes pizza, owns Rex, works at Acme, knows Carol and visited Berlin", ALICE);

        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(entities("Alice", "person")));
        // BM25 over the triples' words: "lives" and "in" single out lives_in (no stemming)
        List<Relation> found = memory.search("where Alice lives in", ALICE).relations();

        assertThat(found).hasSize(GraphConfig.DEFAULT_RELATION_LIMIT);
        assertThat(found.get(0)).isEqualTo(rel("alice", "lives_in", "paris"));
    }

    @Test
    void search_without_query_entities_falls_back_to_the_query_embedding() {
        aliceOwnsRex();
        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(Map.of()));
        embedder.pin("rex", 0, 1);
        embedder.pin("tell me everything", 0, 1);

        assertThat(memory.search("tell me everything", ALICE).relations()).containsExactly(rel("alice", "owns", "rex"));
    }

    @Test
    void search_asks_the_model_for_the_entities_of_the_query() {
        aliceOwnsRex();

        memory.search("who has Rex?", ALICE);

        ChatRequest request = llm.lastRequest(CallKind.GRAPH_ENTITIES);
        assertThat(ScriptedLanguageModel.lastMessage(request).content()).isEqualTo("who has Rex?");
        assertThat(llm.requests(CallKind.GRAPH_RELATIONS)).hasSize(1);
    }

    // ================================================================ add variants

    @Test
    void an_outdated_relation_the_model_invents_is_ignored() {
        aliceOwnsRex();
        scriptGraph(entities("Alice", "person", "Rex", "animal"), rel("Alice", "walks", "Rex"));
        llm.enqueue(CallKind.GRAPH_OUTDATED, ScriptedLanguageModel.outdatedAnswer(List.of(rel("alice", "hates", "rex"))));

        AddResult result = memory.add("Alice walks Rex", ALICE);

        assertThat(result.relations().deleted()).isEmpty();
        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", "owns", "rex"), rel("alice", "walks", "rex"));
    }

    @Test
    void a_relation_stated_again_is_neither_added_nor_outdated() {
        aliceOwnsRex();
        scriptGraph(entities("Alice", "person", "Rex", "animal"), rel("Alice", "owns", "Rex"));
        llm.enqueue(CallKind.GRAPH_OUTDATED, ScriptedLanguageModel.outdatedAnswer(List.of(rel("alice", "owns", "rex"))));

        AddResult result = memory.add("Alice still owns Rex", ALICE);

        assertThat(result.relations()).isEqualTo(GraphChanges.empty());
        assertThat(memory.relationHistory(ALICE)).singleElement().satisfies(r -> assertThat(r.valid()).isTrue());
    }

    @Test
    void relations_are_learned_even_when_no_fact_is_extracted() {
        llm.enqueue(CallKind.FACTS, ScriptedLanguageModel.factsAnswer(List.of()));
        scriptGraph(entities("Alice", "person", "Rex", "animal"), rel("Alice", "owns", "Rex"));

        AddResult result = memory.add("Alice's dog is named Rex", ALICE);

        assertThat(result.results()).isEmpty();
        assertThat(result.relations().added()).containsExactly(rel("alice", "owns", "rex"));
    }

    @Test
    void infer_false_stores_verbatim_and_leaves_the_graph_alone() {
        AddResult result = memory.add(AddRequest.builder().user("Alice's dog is named Rex").scope(ALICE).infer(false)
                .build());

        assertThat(result.relations()).isEqualTo(GraphChanges.empty());
        assertThat(llm.requests()).isEmpty();
        assertThat(memory.relations(ALICE)).isEmpty();
    }

    @Test
    @Timeout(30)
    void the_graph_pipeline_runs_in_parallel_with_fact_extraction() {
        CountDownLatch graphStarted = new CountDownLatch(1);
        llm.enqueue(CallKind.GRAPH_ENTITIES, request -> {
            graphStarted.countDown();
            return ScriptedLanguageModel.entitiesAnswer(entities("Alice", "person", "Rex", "animal"));
        });
        llm.enqueue(CallKind.GRAPH_RELATIONS, ScriptedLanguageModel.relationsAnswer(List.of(rel("Alice", "owns", "Rex"))));
        llm.enqueue(CallKind.FACTS, request -> {
            try {
                // answers only once the graph call has arrived: impossible if the two ran one after the other
                assertThat(graphStarted.await(10, TimeUnit.SECONDS)).as("graph call arrived during fact extraction")
                        .isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ScriptedLanguageModel.factsAnswer(List.of("Has a dog named Rex"));
        });

        AddResult result = memory.add("Alice's dog is named Rex", ALICE);

        assertThat(result.relations().added()).containsExactly(rel("alice", "owns", "rex"));
        assertThat(result.results()).hasSize(1);
    }

    // ================================================================ failures

    @Test
    void a_graph_store_failure_fails_the_add_and_writes_nothing() {
        aliceOwnsRex();
        List<MemoryRecord> before = memories();
        int historyBefore = historyStore.journalSize();
        graphStore.failWrites(new StoreException("graph store down", true, null));
        scriptGraph(entities("Alice", "person", "Rex", "animal", "Bob", "person"), rel("Bob", "owns", "Rex"));
        llm.enqueue(CallKind.GRAPH_OUTDATED, ScriptedLanguageModel.outdatedAnswer(List.of(rel("alice", "owns", "rex"))));

        assertThatThrownBy(() -> memory.add("Alice gave Rex to Bob", ALICE))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());

        assertThat(memories()).extracting(MemoryRecord::memory).containsExactlyElementsOf(
                before.stream().map(MemoryRecord::memory).toList());
        assertThat(historyStore.journalSize()).isEqualTo(historyBefore);
        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", "owns", "rex"));
    }

    @Test
    void a_vector_side_failure_reverts_the_graph_write() {
        aliceOwnsRex();
        List<StoredRelation> graphBefore = memory.relationHistory(ALICE);
        List<MemoryRecord> before = memories();
        historyStore.failAppends(new StoreException("history store down", true, null));
        scriptGraph(entities("Alice", "person", "Rex", "animal", "Bob", "person"), rel("Bob", "owns", "Rex"));
        llm.enqueue(CallKind.GRAPH_OUTDATED, ScriptedLanguageModel.outdatedAnswer(List.of(rel("alice", "owns", "rex"))));

        assertThatThrownBy(() -> memory.add("Alice gave Rex to Bob", ALICE)).isInstanceOf(StoreException.class);

        historyStore.stopFailing();
        assertThat(graphStore.reverts()).isEqualTo(1);
        assertThat(memory.relationHistory(ALICE)).containsExactlyElementsOf(graphBefore);
        assertThat(memories()).extracting(MemoryRecord::id).containsExactlyElementsOf(
                before.stream().map(MemoryRecord::id).toList());
        // the entity "bob" created by the reverted write is gone too
        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(entities("Bob", "person")));
        assertThat(memory.search("Bob", ALICE).relations()).isEmpty();
    }

    @Test
    void a_failing_graph_llm_call_fails_the_add_and_writes_nothing() {
        llm.enqueue(CallKind.GRAPH_ENTITIES, ScriptedLanguageModel.entitiesAnswer(entities("Alice", "person")));
        llm.enqueueFailure(CallKind.GRAPH_RELATIONS, new LlmException("provider down"));

        assertThatThrownBy(() -> memory.add("Alice's dog is named Rex", ALICE)).isInstanceOf(LlmException.class);

        assertThat(memories()).isEmpty();
        assertThat(historyStore.journalSize()).isZero();
        assertThat(graphStore.writes()).isZero();
    }

    @Test
    void an_unreadable_graph_answer_is_an_llm_exception() {
        llm.enqueue(CallKind.GRAPH_ENTITIES, "I think the entities are Alice and Rex.");

        assertThatThrownBy(() -> memory.add("Alice's dog is named Rex", ALICE)).isInstanceOf(LlmException.class);

        assertThat(memories()).isEmpty();
    }

    // ================================================================ deletion

    @Test
    void delete_all_of_a_scope_deletes_its_graph_and_no_other() {
        aliceOwnsRex();
        scriptGraph(entities("Bob", "person", "Pizza", "food"), rel("Bob", "likes", "Pizza"));
        memory.add("Bob likes pizza", BOB);

        memory.deleteAll(ALICE);

        assertThat(memory.relationHistory(ALICE)).isEmpty();
        assertThat(memory.relations(BOB)).containsExactly(rel("bob", "likes", "pizza"));
    }

    @Test
    void delete_all_with_a_filter_deletes_memories_only() {
        aliceOwnsRex();

        memory.deleteAll(ALICE, Filters.contains("memory", "Rex"));

        assertThat(memories()).isEmpty();
        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", "owns", "rex"));
    }

    @Test
    void deleting_one_memory_keeps_the_graph() {
        String id = aliceOwnsRex().results().get(0).id();

        memory.delete(id);

        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", "owns", "rex"));
    }

    @Test
    void delete_entities_of_a_user_deletes_the_users_graph() {
        aliceOwnsRex();

        memory.deleteEntities(EntityType.USER, "alice");

        assertThat(memory.relationHistory(ALICE)).isEmpty();
    }

    @Test
    void delete_entities_of_a_whole_type_deletes_the_graph_of_each_of_them() {
        aliceOwnsRex();
        scriptGraph(entities("Bob", "person", "Pizza", "food"), rel("Bob", "likes", "Pizza"));
        memory.add("Bob likes pizza", BOB);

        assertThat(memory.deleteEntities(EntityType.USER, null)).isEqualTo(2);

        assertThat(memories()).isEmpty();
        assertThat(memory.relationHistory(ALICE)).isEmpty();
        assertThat(memory.relationHistory(BOB)).isEmpty();
    }

    @Test
    void a_history_failure_during_a_deletion_keeps_both_the_memories_and_the_graph() {
        aliceOwnsRex();
        List<String> before = memories().stream().map(MemoryRecord::id).toList();
        List<StoredRelation> graphBefore = memory.relationHistory(ALICE);
        historyStore.failAppends(new StoreException("history store down", true, null));

        assertThatThrownBy(() -> memory.deleteAll(ALICE)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> memory.deleteEntities(EntityType.USER, "alice")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> memory.deleteEntities(EntityType.USER, null)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> memory.deleteEntities(null, null)).isInstanceOf(StoreException.class);

        historyStore.stopFailing();
        assertThat(memories()).extracting(MemoryRecord::id).containsExactlyInAnyOrderElementsOf(before);
        assertThat(memory.relationHistory(ALICE)).containsExactlyElementsOf(graphBefore);
        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", "owns", "rex"));
    }

    @Test
    void a_graph_failure_after_the_memories_were_deleted_is_retryable_and_a_retry_deletes_the_graph() {
        String id = aliceOwnsRex().results().get(0).id();
        graphStore.failDeletes(new StoreException("graph store down", false, null));

        assertThatThrownBy(() -> memory.deleteAll(ALICE)).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("1 memories were deleted").contains("graph").contains("deleteAll");
        });

        assertThat(memories()).as("the memories are deleted, with history").isEmpty();
        assertThat(memory.history(id)).extracting(HistoryEntry::event).containsExactly(EventType.ADD, EventType.DELETE);
        assertThat(memory.relations(ALICE)).as("the graph is still there").containsExactly(rel("alice", "owns", "rex"));

        graphStore.stopFailing();
        assertThat(memory.deleteAll(ALICE)).isZero();

        assertThat(memory.relationHistory(ALICE)).isEmpty();
    }

    @Test
    void a_graph_failure_after_deleting_entities_is_retryable_and_a_retry_deletes_the_graph() {
        aliceOwnsRex();
        graphStore.failDeletes(new StoreException("graph store down", false, null));

        assertThatThrownBy(() -> memory.deleteEntities(EntityType.USER, null)).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("alice").contains("deleteEntities");
                });
        assertThat(memories()).isEmpty();
        assertThat(memory.relations(ALICE)).containsExactly(rel("alice", "owns", "rex"));

        graphStore.stopFailing();
        assertThat(memory.deleteEntities(EntityType.USER, "alice")).isZero();

        assertThat(memory.relationHistory(ALICE)).isEmpty();
    }

    @Test
    void reset_deletes_every_graph() {
        aliceOwnsRex();
        scriptGraph(entities("Bob", "person", "Pizza", "food"), rel("Bob", "likes", "Pizza"));
        memory.add("Bob likes pizza", BOB);

        memory.reset();

        assertThat(memory.relationHistory(ALICE)).isEmpty();
        assertThat(memory.relationHistory(BOB)).isEmpty();
    }

    @Test
    void relations_need_a_scope() {
        assertThatThrownBy(() -> memory.relations(Scope.none())).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_SCOPE));
    }

    @Test
    void a_memory_without_a_graph_store_reports_no_relations() {
        Memory plain = Memory.builder().config(MemoryConfig.builder().clock(clock).build())
                .vectorStore(createVectorStore(embedder.dimensions())).historyStore(createHistoryStore())
                .embedder(embedder).languageModel(llm).build();
        extra.add(plain);

        AddResult result = plain.add("Alice's dog is named Rex", ALICE);

        assertThat(result.relations()).isNull();
        assertThat(plain.relations(ALICE)).isEmpty();
        assertThat(plain.search("Rex", ALICE).relations()).isEmpty();
        assertThat(llm.requests(CallKind.GRAPH_ENTITIES)).isEmpty();
        assertThat(plain.search("Rex", ALICE).results()).extracting(MemoryItem::memory)
                .containsExactly("Alice's dog is named Rex");
    }
}

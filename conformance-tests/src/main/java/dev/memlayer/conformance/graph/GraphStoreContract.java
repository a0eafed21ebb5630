package dev.memlayer.conformance.graph;

import static dev.memlayer.conformance.graph.GraphVectors.axis;
import static dev.memlayer.conformance.graph.GraphVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.graph.GraphEntity;
import dev.memlayer.api.graph.GraphQuery;
import dev.memlayer.api.graph.GraphSearchResult;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.graph.GraphWriteResult;
import dev.memlayer.api.graph.ScoredEntity;
import dev.memlayer.api.graph.StoredRelation;
import dev.memlayer.conformance.support.HashingEmbedder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link GraphStore} must do. A backend runs it with one subclass:
 *
 * <pre>{@code
 * class Neo4jGraphStoreConformanceTest extends GraphStoreContract {
 *     protected GraphStore createStore() { return new Neo4jGraphStore(config); }
 *     protected GraphStore createReferenceStore() { return new InMemoryGraphStore(); }
 * }
 * }</pre>
 *
 * Before every test the suite creates a store with {@link #createStore()} and resets it; after it, it
 * closes it. Vectors are {@value GraphVectors#DIMENSIONS}-dimensional unit vectors
 * ({@link GraphVectors}); times are whole milliseconds from {@link #T0}.
 */
public abstract class GraphStoreContract {

    /** The time of the first write of a test. */
    protected static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    /** Alice's long-term scope. */
    protected static final Scope ALICE = Scope.user("alice");
    /** Bob's long-term scope. */
    protected static final Scope BOB = Scope.user("bob");

    private GraphStore store;
    private final List<GraphStore> extra = new ArrayList<>();

    /** @return a new store on the collection under test (called once or more per test) */
    protected abstract GraphStore createStore();

    /**
     * @return a new reference store (the in-memory one) whose answers this store's must equal, or null
     *         to skip the comparison (the reference itself)
     */
    protected GraphStore createReferenceStore() {
        return null;
    }

    @BeforeEach
    void openStore() {
        store = createStore();
        store.reset();
    }

    @AfterEach
    void closeStore() {
        extra.forEach(GraphStore::close);
        extra.clear();
        if (store != null) {
            store.close();
        }
    }

    /** @return the store under test of the running test */
    protected GraphStore store() {
        return store;
    }

    // ================================================================ helpers

    private static GraphEntity entity(String name, String type, float[] embedding) {
        return new GraphEntity(name, type, embedding);
    }

    private static Relation rel(String source, String relationship, String destination) {
        return new Relation(source, relationship, destination);
    }

    private static GraphWrite add(Scope scope, Instant at, List<GraphEntity> entities, Relation... relations) {
        return new GraphWrite(scope, at, entities, List.of(relations), List.of());
    }

    private static GraphWrite invalidate(Scope scope, Instant at, String... ids) {
        return new GraphWrite(scope, at, List.of(), List.of(), List.of(ids));
    }

    private static List<Relation> triples(List<StoredRelation> relations) {
        return relations.stream().map(StoredRelation::toRelation).toList();
    }

    private static final GraphEntity ALICE_E = entity("alice", "person", axis(0));
    private static final GraphEntity REX_E = entity("rex", "animal", axis(1));
    private static final GraphEntity BOB_E = entity("bob", "person", axis(2));
    private static final GraphEntity PIZZA_E = entity("pizza", "food", axis(3));

    /** Alice owns Rex and likes pizza, in alice's scope. */
    private GraphWriteResult aliceOwnsRex() {
        return store.write(add(ALICE, T0, List.of(ALICE_E, REX_E, PIZZA_E), rel("alice", "owns", "rex"),
                rel("alice", "likes", "pizza")));
    }

    private static GraphQuery query(Scope scope, float[] embedding) {
        return new GraphQuery(scope, List.of(embedding), 0.7, 10, 100, false);
    }

    // ================================================================ writing and listing

    @Test
    void a_write_creates_its_entities_and_relations() {
        GraphWriteResult result = aliceOwnsRex();

        assertThat(triples(result.added())).containsExactly(rel("alice", "owns", "rex"), rel("alice", "likes", "pizza"));
        assertThat(result.invalidated()).isEmpty();
        assertThat(result.createdEntities()).containsExactlyInAnyOrder("alice", "rex", "pizza");
        assertThat(result.scope()).isEqualTo(ALICE);
        for (StoredRelation r : result.added()) {
            assertThat(r.id()).isNotBlank();
            assertThat(r.scope()).isEqualTo(ALICE);
            assertThat(r.valid()).isTrue();
            assertThat(r.createdAt()).isEqualTo(T0);
            assertThat(r.updatedAt()).isEqualTo(T0);
            assertThat(r.invalidatedAt()).isNull();
        }
        assertThat(store.relations(ALICE, false)).containsExactlyInAnyOrderElementsOf(result.added());
    }

    @Test
    void relations_are_listed_in_the_order_they_were_added() {
        store.write(add(ALICE, T0.plusSeconds(2), List.of(ALICE_E, PIZZA_E), rel("alice", "likes", "pizza")));
        store.write(add(ALICE, T0, List.of(ALICE_E, REX_E), rel("alice", "owns", "rex")));
        store.write(add(ALICE, T0.plusSeconds(1), List.of(BOB_E, REX_E), rel("bob", "walks", "rex"),
                rel("bob", "feeds", "rex")));

        assertThat(triples(store.relations(ALICE, false))).containsExactly(rel("alice", "owns", "rex"),
                rel("bob", "feeds", "rex"), rel("bob", "walks", "rex"), rel("alice", "likes", "pizza"));
    }

    @Test
    void times_are_kept_to_the_millisecond() {
        Instant at = Instant.parse("2025-03-10T09:00:00.123456789Z");
        GraphWriteResult result = store.write(add(ALICE, at, List.of(ALICE_E, REX_E), rel("alice", "owns", "rex")));

        Instant millis = Instant.parse("2025-03-10T09:00:00.123Z");
        assertThat(result.added().get(0).createdAt()).isEqualTo(millis);
        assertThat(store.relations(ALICE, false).get(0).createdAt()).isEqualTo(millis);
        assertThat(store.relations(ALICE, false).get(0).updatedAt()).isEqualTo(millis);
    }

    @Test
    void adding_a_triple_that_is_already_valid_changes_nothing() {
        aliceOwnsRex();

        GraphWriteResult again = store.write(add(ALICE, T0.plusSeconds(5), List.of(ALICE_E, REX_E),
                rel("alice", "owns", "rex")));

        assertThat(again.added()).isEmpty();
        assertThat(again.createdEntities()).isEmpty();
        assertThat(store.relations(ALICE, true)).hasSize(2);
        assertThat(store.relations(ALICE, false)).allSatisfy(r -> assertThat(r.createdAt()).isEqualTo(T0));
    }

    @Test
    void a_triple_given_twice_in_one_write_is_added_once() {
        GraphWriteResult result = store.write(add(ALICE, T0, List.of(ALICE_E, REX_E), rel("alice", "owns", "rex"),
                rel("alice", "owns", "rex")));

        assertThat(result.added()).hasSize(1);
        assertThat(store.relations(ALICE, true)).hasSize(1);
    }

    @Test
    void an_existing_entity_is_reused_with_its_type_and_embedding() {
        aliceOwnsRex();

        // the same name with another type and embedding: the stored entity stays as it was
        GraphWriteResult result = store.write(add(ALICE, T0.plusSeconds(1),
                List.of(entity("rex", "dog", axis(5)), BOB_E), rel("bob", "walks", "rex")));

        assertThat(result.createdEntities()).containsExactly("bob");
        List<ScoredEntity> rex = store.searchEntities(ALICE, axis(1), 0.99, 10);
        assertThat(rex).extracting(ScoredEntity::name, ScoredEntity::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rex", "animal"));
        assertThat(store.searchEntities(ALICE, axis(5), 0.5, 10)).isEmpty();
    }

    @Test
    void relations_between_the_same_entities_with_other_names_coexist() {
        store.write(add(ALICE, T0, List.of(ALICE_E, REX_E), rel("alice", "owns", "rex"), rel("alice", "walks", "rex")));

        assertThat(triples(store.relations(ALICE, false))).containsExactlyInAnyOrder(rel("alice", "owns", "rex"),
                rel("alice", "walks", "rex"));
    }

    @Test
    void names_types_and_relationships_are_stored_and_found_literally() {
        // quotes, backticks, braces, Cypher keywords, comments, unicode and white space
        List<String> names = List.of("o'brien", "say \"hi\"", "back`tick", "{brace}", "}) DETACH DELETE n //",
                "MATCH (n) RETURN n", "x\\y", "Zoë 東京", "  padded  ", "$param", "a;b--c");
        List<GraphEntity> entities = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            entities.add(entity(names.get(i), "type`" + i + "'} RETURN 1", unit(Math.cos(i), Math.sin(i), i, 1)));
        }
        List<Relation> relations = new ArrayList<>();
        for (int i = 0; i + 1 < names.size(); i++) {
            relations.add(rel(names.get(i), "rel`]->() DETACH DELETE n //'\"" + i, names.get(i + 1)));
        }
        store.write(new GraphWrite(ALICE, T0, entities, relations, List.of()));

        assertThat(triples(store.relations(ALICE, false))).containsExactlyInAnyOrderElementsOf(relations);
        for (int i = 0; i < names.size(); i++) {
            List<ScoredEntity> found = store.searchEntities(ALICE, entities.get(i).embedding(), 0.9999, 1);
            assertThat(found).as("entity %s", names.get(i)).hasSize(1);
            assertThat(found.get(0).name()).isEqualTo(names.get(i));
            assertThat(found.get(0).type()).isEqualTo("type`" + i + "'} RETURN 1");
        }
        // nothing else was touched: another scope's graph survives
        store.write(add(BOB, T0, List.of(BOB_E, REX_E), rel("bob", "owns", "rex")));
        assertThat(store.deleteAll(ALICE)).isEqualTo(relations.size());
        assertThat(triples(store.relations(BOB, false))).containsExactly(rel("bob", "owns", "rex"));
    }

    // ================================================================ scopes

    @Test
    void one_users_graph_never_leaks_into_another_users() {
        aliceOwnsRex();
        store.write(add(BOB, T0, List.of(BOB_E, REX_E), rel("bob", "walks", "rex")));

        assertThat(triples(store.relations(ALICE, true))).doesNotContain(rel("bob", "walks", "rex"));
        assertThat(triples(store.relations(BOB, true))).containsExactly(rel("bob", "walks", "rex"));
        assertThat(store.searchEntities(BOB, axis(0), 0.5, 10)).isEmpty();
        assertThat(store.searchEntities(BOB, axis(1), 0.5, 10)).singleElement()
                .satisfies(e -> assertThat(e.scope()).isEqualTo(BOB));
        GraphSearchResult bobs = store.search(query(BOB, axis(1)));
        assertThat(triples(bobs.relations())).containsExactly(rel("bob", "walks", "rex"));
        assertThat(bobs.entities()).allSatisfy(e -> assertThat(e.scope()).isEqualTo(BOB));
        assertThat(store.searchEntities(Scope.user("carol"), axis(1), 0.0, 10)).isEmpty();
    }

    @Test
    void a_scope_matches_every_stored_scope_that_has_its_ids() {
        Scope aliceRun = ALICE.withRun("run-1");
        Scope aliceAgent = ALICE.withAgent("helper");
        store.write(add(ALICE, T0, List.of(ALICE_E, REX_E), rel("alice", "owns", "rex")));
        store.write(add(aliceRun, T0.plusSeconds(1), List.of(ALICE_E, PIZZA_E), rel("alice", "likes", "pizza")));
        store.write(add(aliceAgent, T0.plusSeconds(2), List.of(ALICE_E, BOB_E), rel("alice", "knows", "bob")));
        store.write(add(Scope.agent("helper"), T0.plusSeconds(3), List.of(BOB_E, PIZZA_E), rel("bob", "hates", "pizza")));

        assertThat(triples(store.relations(ALICE, false))).containsExactly(rel("alice", "owns", "rex"),
                rel("alice", "likes", "pizza"), rel("alice", "knows", "bob"));
        assertThat(triples(store.relations(aliceRun, false))).containsExactly(rel("alice", "likes", "pizza"));
        assertThat(triples(store.relations(Scope.agent("helper"), false))).containsExactly(rel("alice", "knows", "bob"),
                rel("bob", "hates", "pizza"));
        assertThat(store.relations(Scope.run("run-1"), false)).singleElement()
                .satisfies(r -> assertThat(r.scope()).isEqualTo(aliceRun));
        // the same name in several exact scopes is one entity per scope
        assertThat(store.searchEntities(ALICE, axis(0), 0.99, 10)).extracting(ScoredEntity::scope)
                .containsExactlyInAnyOrder(ALICE, aliceRun, aliceAgent);
    }

    @Test
    void operations_without_a_scope_are_rejected() {
        for (Runnable call : List.<Runnable>of(
                () -> store.relations(Scope.none(), false),
                () -> store.deleteAll(Scope.none()),
                () -> store.searchEntities(Scope.none(), axis(0), 0.5, 10))) {
            assertThatThrownBy(call::run).isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).code()).isEqualTo(ErrorCode.MISSING_SCOPE));
        }
    }

    // ================================================================ similarity

    @Test
    void entity_search_orders_by_similarity_and_respects_threshold_and_limit() {
        // similarities to axis(0): alice 1.0, alicia 0.96, ally 0.8, bob 0.0
        GraphEntity alicia = entity("alicia", "person", unit(0.96, Math.sqrt(1 - 0.96 * 0.96)));
        GraphEntity ally = entity("ally", "person", unit(0.8, 0, 0.6));
        store.write(add(ALICE, T0, List.of(ALICE_E, alicia, ally, BOB_E), rel("alice", "knows", "alicia"),
                rel("ally", "knows", "bob")));

        List<ScoredEntity> all = store.searchEntities(ALICE, axis(0), 0.0, 10);
        assertThat(all).extracting(ScoredEntity::name).containsExactly("alice", "alicia", "ally", "bob");
        assertThat(all.get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(all.get(1).score()).isCloseTo(0.96, within(1e-5));
        assertThat(all.get(2).score()).isCloseTo(0.8, within(1e-5));
        assertThat(all.get(3).score()).isCloseTo(0.0, within(1e-5));
        assertThat(store.searchEntities(ALICE, axis(0), 0.9, 10)).extracting(ScoredEntity::name)
                .containsExactly("alice", "alicia");
        assertThat(store.searchEntities(ALICE, axis(0), 0.0, 2)).extracting(ScoredEntity::name)
                .containsExactly("alice", "alicia");
        assertThat(store.searchEntities(ALICE, axis(0), 0.0, 10)).allSatisfy(
                e -> assertThat(e.score()).isBetween(0.0, 1.0));
    }

    @Test
    void opposite_vectors_score_zero() {
        store.write(add(ALICE, T0, List.of(ALICE_E, entity("anti", "thing", unit(-1))), rel("alice", "fights", "anti")));

        assertThat(store.searchEntities(ALICE, axis(0), 0.0, 10)).extracting(ScoredEntity::name, ScoredEntity::score)
                .contains(org.assertj.core.groups.Tuple.tuple("anti", 0.0));
    }

    @Test
    void a_near_duplicate_entity_is_found_by_similarity_so_that_it_can_be_reused() {
        aliceOwnsRex();

        // "Alice" embedded slightly differently: above Mem0's merge threshold 0.9
        List<ScoredEntity> hit = store.searchEntities(ALICE, unit(0.97, 0.1, 0.1, 0.1, 0.1), 0.9, 1);
        assertThat(hit).extracting(ScoredEntity::name).containsExactly("alice");
        assertThat(store.searchEntities(ALICE, unit(0.6, 0.8), 0.9, 1)).isEmpty();
    }

    @Test
    void entities_with_equal_scores_are_ordered_by_name() {
        store.write(add(ALICE, T0, List.of(entity("b", "t", axis(0)), entity("a", "t", axis(0)),
                entity("c", "t", axis(0))), rel("b", "r", "a"), rel("a", "r", "c")));

        assertThat(store.searchEntities(ALICE, axis(0), 0.5, 10)).extracting(ScoredEntity::name)
                .containsExactly("a", "b", "c");
    }

    // ================================================================ neighbourhood search

    @Test
    void search_returns_the_relations_touching_the_nearest_entities() {
        aliceOwnsRex();
        store.write(add(ALICE, T0.plusSeconds(1), List.of(BOB_E, REX_E, PIZZA_E), rel("bob", "walks", "rex"),
                rel("bob", "likes", "pizza")));

        GraphSearchResult rex = store.search(query(ALICE, axis(1)));

        assertThat(rex.entities()).extracting(ScoredEntity::name).containsExactly("rex");
        // incoming relations too, newest first
        assertThat(triples(rex.relations())).containsExactly(rel("bob", "walks", "rex"), rel("alice", "owns", "rex"));
        assertThat(store.search(query(ALICE, axis(7)))).isEqualTo(GraphSearchResult.EMPTY);
    }

    @Test
    void search_merges_several_embeddings_keeping_each_entitys_best_score() {
        aliceOwnsRex();

        GraphSearchResult result = store.search(new GraphQuery(ALICE,
                List.of(axis(1), unit(0.8, 0.6), unit(0.1, 0.0, 0.0, 1.0)), 0.5, 10, 100, false));

        // rex 1.0 (first embedding), pizza 0.995 (third), alice 0.8 (second)
        assertThat(result.entities()).extracting(ScoredEntity::name).containsExactly("rex", "pizza", "alice");
        assertThat(result.entities().get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(result.entities().get(1).score()).isCloseTo(1 / Math.sqrt(1.01), within(1e-5));
        assertThat(result.entities().get(2).score()).isCloseTo(0.8, within(1e-5));
        assertThat(triples(result.relations())).containsExactlyInAnyOrder(rel("alice", "owns", "rex"),
                rel("alice", "likes", "pizza"));
    }

    @Test
    void search_returns_at_most_the_relation_limit_newest_first() {
        List<GraphEntity> entities = new ArrayList<>(List.of(ALICE_E));
        for (int i = 0; i < 6; i++) {
            GraphEntity toy = entity("toy" + i, "thing", unit(0, 0, 0, 0, 1, i));
            store.write(add(ALICE, T0.plusSeconds(i), List.of(ALICE_E, toy), rel("alice", "owns", "toy" + i)));
            entities.add(toy);
        }

        GraphSearchResult result = store.search(new GraphQuery(ALICE, List.of(axis(0)), 0.9, 10, 3, false));

        assertThat(triples(result.relations())).containsExactly(rel("alice", "owns", "toy5"),
                rel("alice", "owns", "toy4"), rel("alice", "owns", "toy3"));
    }

    // ================================================================ soft deletion

    @Test
    void invalidated_relations_leave_search_but_stay_in_the_history() {
        GraphWriteResult first = aliceOwnsRex();
        StoredRelation owns = first.added().get(0);
        Instant later = T0.plusSeconds(60);

        GraphWriteResult second = store.write(new GraphWrite(ALICE, later, List.of(BOB_E, REX_E),
                List.of(rel("bob", "owns", "rex")), List.of(owns.id())));

        assertThat(second.invalidated()).singleElement().satisfies(before -> {
            assertThat(before.id()).isEqualTo(owns.id());
            assertThat(before.valid()).isTrue();
            assertThat(before.updatedAt()).isEqualTo(T0);
        });
        assertThat(second.toChanges().deleted()).containsExactly(rel("alice", "owns", "rex"));
        assertThat(second.toChanges().added()).containsExactly(rel("bob", "owns", "rex"));
        assertThat(triples(store.search(query(ALICE, axis(1))).relations())).containsExactly(rel("bob", "owns", "rex"));
        assertThat(triples(store.relations(ALICE, false))).containsExactlyInAnyOrder(rel("alice", "likes", "pizza"),
                rel("bob", "owns", "rex"));
        StoredRelation history = store.relations(ALICE, true).stream().filter(r -> r.id().equals(owns.id()))
                .findFirst().orElseThrow();
        assertThat(history.valid()).isFalse();
        assertThat(history.invalidatedAt()).isEqualTo(later);
        assertThat(history.updatedAt()).isEqualTo(later);
        assertThat(history.createdAt()).isEqualTo(T0);
        GraphSearchResult withInvalid = store.search(new GraphQuery(ALICE, List.of(axis(1)), 0.7, 10, 100, true));
        assertThat(triples(withInvalid.relations())).containsExactly(rel("bob", "owns", "rex"),
                rel("alice", "owns", "rex"));
    }

    @Test
    void a_triple_asserted_again_after_invalidation_is_a_new_valid_relation() {
        StoredRelation owns = aliceOwnsRex().added().get(0);
        store.write(invalidate(ALICE, T0.plusSeconds(1), owns.id()));

        GraphWriteResult again = store.write(add(ALICE, T0.plusSeconds(2), List.of(ALICE_E, REX_E),
                rel("alice", "owns", "rex")));

        assertThat(again.added()).singleElement().satisfies(r -> assertThat(r.id()).isNotEqualTo(owns.id()));
        List<StoredRelation> history = store.relations(ALICE, true).stream()
                .filter(r -> r.toRelation().equals(rel("alice", "owns", "rex"))).toList();
        assertThat(history).extracting(StoredRelation::valid).containsExactly(false, true);
    }

    @Test
    void invalidation_ignores_unknown_and_already_invalid_ids() {
        StoredRelation owns = aliceOwnsRex().added().get(0);
        store.write(invalidate(ALICE, T0.plusSeconds(1), owns.id()));

        GraphWriteResult result = store.write(invalidate(ALICE, T0.plusSeconds(2), owns.id(), "no-such-relation"));

        assertThat(result.invalidated()).isEmpty();
        StoredRelation history = store.relations(ALICE, true).stream().filter(r -> r.id().equals(owns.id()))
                .findFirst().orElseThrow();
        assertThat(history.invalidatedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void invalidation_never_reaches_another_users_relations() {
        StoredRelation bobs = store.write(add(BOB, T0, List.of(BOB_E, REX_E), rel("bob", "owns", "rex")))
                .added().get(0);

        GraphWriteResult result = store.write(invalidate(ALICE, T0.plusSeconds(1), bobs.id()));

        assertThat(result.invalidated()).isEmpty();
        assertThat(store.relations(BOB, false)).singleElement().satisfies(r -> assertThat(r.valid()).isTrue());
    }

    @Test
    void revert_undoes_a_write() {
        StoredRelation owns = aliceOwnsRex().added().get(0);
        List<StoredRelation> before = store.relations(ALICE, true);

        GraphWriteResult change = store.write(new GraphWrite(ALICE, T0.plusSeconds(9),
                List.of(BOB_E, REX_E, entity("ball", "toy", axis(6))),
                List.of(rel("bob", "owns", "rex"), rel("rex", "chases", "ball")), List.of(owns.id())));
        assertThat(change.createdEntities()).containsExactlyInAnyOrder("bob", "ball");
        store.revert(change);

        assertThat(store.relations(ALICE, true)).containsExactlyElementsOf(before);
        assertThat(store.searchEntities(ALICE, axis(2), 0.5, 10)).as("bob was created by the write").isEmpty();
        assertThat(store.searchEntities(ALICE, axis(6), 0.5, 10)).as("ball was created by the write").isEmpty();
        assertThat(store.searchEntities(ALICE, axis(1), 0.5, 10)).extracting(ScoredEntity::name).containsExactly("rex");
    }

    @Test
    void concurrent_writes_of_one_triple_leave_one_valid_relation() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<GraphWriteResult>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> store.write(add(ALICE, T0, List.of(ALICE_E, REX_E), rel("alice", "owns", "rex"))));
            }
            int added = 0;
            for (Future<GraphWriteResult> f : pool.invokeAll(calls)) {
                added += f.get().added().size();
            }
            assertThat(added).isEqualTo(1);
            assertThat(store.relations(ALICE, true)).hasSize(1);
            assertThat(store.searchEntities(ALICE, axis(0), 0.9, 10)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // ================================================================ deletion

    @Test
    void delete_all_removes_only_the_scopes_graph() {
        aliceOwnsRex();
        store.write(add(ALICE.withRun("r1"), T0, List.of(ALICE_E, BOB_E), rel("alice", "met", "bob")));
        StoredRelation invalid = store.write(add(ALICE, T0, List.of(ALICE_E, BOB_E), rel("alice", "hates", "bob")))
                .added().get(0);
        store.write(invalidate(ALICE, T0.plusSeconds(1), invalid.id()));
        store.write(add(BOB, T0, List.of(BOB_E, REX_E), rel("bob", "walks", "rex")));

        assertThat(store.deleteAll(ALICE)).isEqualTo(4);

        assertThat(store.relations(ALICE, true)).isEmpty();
        assertThat(store.searchEntities(ALICE, axis(0), 0.0, 10)).isEmpty();
        assertThat(triples(store.relations(BOB, true))).containsExactly(rel("bob", "walks", "rex"));
        assertThat(store.deleteAll(ALICE)).isZero();
    }

    @Test
    void delete_all_of_a_run_keeps_the_users_other_relations() {
        aliceOwnsRex();
        store.write(add(ALICE.withRun("r1"), T0, List.of(ALICE_E, BOB_E), rel("alice", "met", "bob")));

        assertThat(store.deleteAll(Scope.run("r1"))).isEqualTo(1);

        assertThat(triples(store.relations(ALICE, true))).containsExactlyInAnyOrder(rel("alice", "owns", "rex"),
                rel("alice", "likes", "pizza"));
    }

    @Test
    void reset_removes_every_graph() {
        aliceOwnsRex();
        store.write(add(BOB, T0, List.of(BOB_E, REX_E), rel("bob", "walks", "rex")));

        store.reset();

        assertThat(store.relations(ALICE, true)).isEmpty();
        assertThat(store.relations(BOB, true)).isEmpty();
        assertThat(store.searchEntities(BOB, axis(1), 0.0, 10)).isEmpty();
        // and the store still works
        assertThat(aliceOwnsRex().added()).hasSize(2);
    }

    @Test
    void a_second_store_on_the_same_collection_sees_the_same_graph() {
        aliceOwnsRex();
        GraphStore other = createStore();
        extra.add(other);

        assertThat(triples(other.relations(ALICE, false))).containsExactlyInAnyOrderElementsOf(
                triples(store.relations(ALICE, false)));
    }

    @Test
    @Timeout(120)
    void a_graph_of_hundreds_of_relations_is_written_in_batches_and_searched_by_neighbourhood() {
        HashingEmbedder embedder = new HashingEmbedder(GraphVectors.DIMENSIONS * 4);
        List<String> names = GraphFixtures.populate(store, ALICE, embedder, 600, 7, T0);

        assertThat(store.relations(ALICE, false)).hasSize(600);
        float[] e0 = embedder.embed(names.get(0), dev.memlayer.api.spi.EmbeddingPurpose.ADD);
        GraphSearchResult around = store.search(new GraphQuery(ALICE, List.of(e0), 0.99, 1, 1000, false));
        assertThat(around.entities()).extracting(ScoredEntity::name).containsExactly("e0");
        assertThat(around.relations()).isNotEmpty().allSatisfy(r -> assertThat(List.of(r.source(), r.destination()))
                .contains("e0"));
        assertThat(store.search(new GraphQuery(ALICE, List.of(e0), 0.99, 1, 3, false)).relations()).hasSize(3);
        assertThat(store.deleteAll(ALICE)).isEqualTo(600);
    }

    // ================================================================ agreement with the reference

    @Test
    @Timeout(120)
    void gives_the_same_answers_as_the_reference_store() {
        GraphStore reference = createReferenceStore();
        org.junit.jupiter.api.Assumptions.assumeTrue(reference != null, "this is the reference store");
        extra.add(reference);
        reference.reset();
        Random random = new Random(20250310);
        List<Scope> scopes = List.of(ALICE, BOB, ALICE.withRun("r1"), Scope.agent("helper"));
        List<String> names = List.of("alice", "o'neil", "rex", "x`y", "bob", "pizza", "paris", "car");
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (String n : names) {
            double[] c = new double[GraphVectors.DIMENSIONS];
            for (int i = 0; i < c.length; i++) {
                c[i] = random.nextGaussian();
            }
            vectors.put(n, unit(c));
        }
        List<String> relationships = List.of("owns", "likes", "lives_in", "knows");
        Map<String, String> idMap = new LinkedHashMap<>(); // store id -> reference id, by triple and scope
        Instant now = T0;
        for (int step = 0; step < 30; step++) {
            now = now.plusMillis(1 + random.nextInt(1000));
            Scope scope = scopes.get(random.nextInt(scopes.size()));
            List<Relation> adds = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                String s = names.get(random.nextInt(names.size()));
                String d = names.get(random.nextInt(names.size()));
                adds.add(rel(s, relationships.get(random.nextInt(relationships.size())), d));
                used.add(s);
                used.add(d);
            }
            List<GraphEntity> entities = used.stream().map(n -> entity(n, "t", vectors.get(n))).toList();
            List<String> storeIds = new ArrayList<>();
            List<String> referenceIds = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                List<StoredRelation> current = store.relations(scope, false);
                if (!current.isEmpty()) {
                    StoredRelation victim = current.get(random.nextInt(current.size()));
                    storeIds.add(victim.id());
                    referenceIds.add(idMap.get(victim.id()));
                }
            }
            GraphWriteResult a = store.write(new GraphWrite(scope, now, entities, adds, storeIds));
            GraphWriteResult b = reference.write(new GraphWrite(scope, now, entities, adds, referenceIds));
            assertThat(triples(a.added())).as("added at step %d", step).isEqualTo(triples(b.added()));
            assertThat(triples(a.invalidated())).as("invalidated at step %d", step).isEqualTo(triples(b.invalidated()));
            assertThat(a.createdEntities()).containsExactlyInAnyOrderElementsOf(b.createdEntities());
            for (int i = 0; i < a.added().size(); i++) {
                idMap.put(a.added().get(i).id(), b.added().get(i).id());
            }
        }
        List<Scope> readScopes = new ArrayList<>(scopes);
        readScopes.add(Scope.run("r1"));
        for (Scope scope : readScopes) {
            for (boolean includeInvalid : new boolean[] {false, true}) {
                assertThat(withoutIds(store.relations(scope, includeInvalid)))
                        .as("relations of %s", scope).isEqualTo(withoutIds(reference.relations(scope, includeInvalid)));
            }
            for (String n : names.subList(0, 4)) {
                List<ScoredEntity> x = store.searchEntities(scope, vectors.get(n), 0.3, 5);
                List<ScoredEntity> y = reference.searchEntities(scope, vectors.get(n), 0.3, 5);
                assertThat(x).extracting(ScoredEntity::name, ScoredEntity::scope)
                        .as("entities near %s in %s", n, scope)
                        .isEqualTo(y.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.name(), e.scope())).toList());
                for (int i = 0; i < x.size(); i++) {
                    assertThat(x.get(i).score()).isCloseTo(y.get(i).score(), within(1e-5));
                }
                GraphQuery q = new GraphQuery(scope, List.of(vectors.get(n)), 0.5, 3, 7, random.nextBoolean());
                assertThat(withoutIds(store.search(q).relations())).as("search near %s in %s", n, scope)
                        .isEqualTo(withoutIds(reference.search(q).relations()));
            }
        }
        for (Scope scope : List.of(BOB, Scope.run("r1"))) {
            assertThat(store.deleteAll(scope)).isEqualTo(reference.deleteAll(scope));
        }
        assertThat(withoutIds(store.relations(ALICE, true))).isEqualTo(withoutIds(reference.relations(ALICE, true)));
    }

    private static List<String> withoutIds(List<StoredRelation> relations) {
        return relations.stream().map(r -> r.scope() + " " + r.source() + " -" + r.relationship() + "-> "
                + r.destination() + " created=" + r.createdAt() + " updated=" + r.updatedAt() + " valid=" + r.valid()
                + " invalidated=" + r.invalidatedAt()).toList();
    }
}

package dev.memlayer.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import dev.memlayer.api.graph.GraphEntity;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.graph.ScoredEntity;
import dev.memlayer.conformance.graph.GraphVectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vector-index path of Neo4jGraphStore (forced with an exact-scan limit of 0): it must give the
 * answers of the exact in-memory reference, falling back to an exact scan whenever the index's
 * candidates cannot prove completeness (other tenants' entities crowd the candidates).
 */
class Neo4jVectorIndexTest {

    private static final Scope ALICE = Scope.user("alice");
    private static final Scope BOB = Scope.user("bob");

    private Neo4jGraphStore neo4j;
    private InMemoryGraphStore reference;
    private final Random random = new Random(42);

    @BeforeEach
    void open() {
        neo4j = new Neo4jGraphStore(Neo4jHarness.driver(), Neo4jHarness.config("vector-index").withExactScanLimit(0));
        neo4j.reset();
        reference = new InMemoryGraphStore();
    }

    @AfterEach
    void close() {
        neo4j.close();
    }

    private float[] randomUnit() {
        double[] c = new double[GraphVectors.DIMENSIONS];
        for (int i = 0; i < c.length; i++) {
            c[i] = random.nextGaussian();
        }
        return GraphVectors.unit(c);
    }

    private void fill(Scope scope, int entities) {
        List<GraphEntity> all = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        for (int i = 0; i < entities; i++) {
            all.add(new GraphEntity("e" + i, "thing", randomUnit()));
            if (i > 0) {
                relations.add(new Relation("e" + (i - 1), "next", "e" + i));
            }
        }
        GraphWrite write = new GraphWrite(scope, Instant.parse("2025-03-10T09:00:00Z"), all, relations, List.of());
        neo4j.write(write);
        reference.write(write);
    }

    @Test
    void index_search_gives_the_exact_answers_of_the_reference() {
        fill(ALICE, 60);
        fill(BOB, 400); // bob's entities crowd the index's candidates

        assertThat(neo4j.searchEntities(ALICE, randomUnit(), 0.0, 1)).hasSize(1);
        assertThat(neo4j.usesVectorIndex()).isTrue();
        for (int q = 0; q < 20; q++) {
            float[] query = randomUnit();
            for (Scope scope : List.of(ALICE, BOB)) {
                for (double threshold : new double[] {0.0, 0.5, 0.9}) {
                    for (int limit : new int[] {1, 5, 50}) {
                        List<ScoredEntity> got = neo4j.searchEntities(scope, query, threshold, limit);
                        List<ScoredEntity> want = reference.searchEntities(scope, query, threshold, limit);
                        assertThat(got).extracting(ScoredEntity::name)
                                .as("%s threshold %s limit %s", scope, threshold, limit)
                                .containsExactlyElementsOf(want.stream().map(ScoredEntity::name).toList());
                        for (int i = 0; i < got.size(); i++) {
                            assertThat(got.get(i).score()).isCloseTo(want.get(i).score(), within(1e-5));
                        }
                    }
                }
            }
        }
    }
}

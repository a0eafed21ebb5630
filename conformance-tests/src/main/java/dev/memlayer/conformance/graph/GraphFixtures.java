package dev.memlayer.conformance.graph;

import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import dev.memlayer.api.graph.GraphEntity;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds large graphs for tests and benchmarks (e.g. relation search latency at 10,000 relations).
 */
public final class GraphFixtures {

    /** The relationship names of {@link #populate}. */
    public static final List<String> RELATIONSHIPS = List.of("owns", "likes", "knows", "lives_in", "works_at",
            "visited", "sister_of", "allergic_to");

    private GraphFixtures() {
    }

    /**
     * Writes {@code relations} distinct valid relations into one scope, among {@code max(2, relations / 4)}
     * entities named {@code e0}, {@code e1}, ... (type {@code thing}, embedded with the embedder, purpose
     * ADD): relation {@code i} goes from entity {@code i mod n} to a random other entity with a random
     * relationship of {@link #RELATIONSHIPS}; so every entity has about 8 relations. Written in batches of
     * 500 relations, with times one millisecond apart from {@code start}.
     *
     * @param store     the graph store
     * @param scope     the scope, not empty
     * @param embedder  embeds the entity names (the engine's embedder, for engine-level benchmarks)
     * @param relations how many relations, at least 1
     * @param seed      the seed of the random choices
     * @param start     the time of the first batch
     * @return the entity names, in index order
     */
    public static List<String> populate(GraphStore store, Scope scope, Embedder embedder, int relations, long seed,
                                        Instant start) {
        if (relations < 1) {
            throw new IllegalArgumentException("relations must be at least 1");
        }
        int n = Math.max(2, relations / 4);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("e" + i);
        }
        List<float[]> vectors = embedder.embedAll(names, EmbeddingPurpose.ADD);
        Random random = new Random(seed);
        java.util.Set<Relation> all = new java.util.LinkedHashSet<>();
        int i = 0;
        while (all.size() < relations) {
            int s = i % n;
            int d = random.nextInt(n - 1);
            if (d >= s) {
                d++;
            }
            all.add(new Relation(names.get(s), RELATIONSHIPS.get(random.nextInt(RELATIONSHIPS.size())), names.get(d)));
            i++;
        }
        List<Relation> list = new ArrayList<>(all);
        Instant at = start;
        for (int from = 0; from < list.size(); from += 500) {
            List<Relation> batch = list.subList(from, Math.min(list.size(), from + 500));
            Map<String, GraphEntity> entities = new LinkedHashMap<>();
            for (Relation r : batch) {
                for (String name : List.of(r.source(), r.destination())) {
                    entities.computeIfAbsent(name, k -> new GraphEntity(k, "thing",
                            vectors.get(Integer.parseInt(k.substring(1)))));
                }
            }
            store.write(new GraphWrite(scope, at, List.copyOf(entities.values()), batch, List.of()));
            at = at.plusMillis(1);
        }
        return names;
    }
}

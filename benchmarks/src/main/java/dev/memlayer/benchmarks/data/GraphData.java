package dev.memlayer.benchmarks.data;

import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import dev.memlayer.api.graph.GraphEntity;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic graph for graph-memory benchmarks: one scope with {@code relations} distinct
 * relations among entities named like the engine stores them (lower case): {@code person0001} ...,
 * {@code place001} ..., {@code thing001} ... (one entity per 5 relations: 75% persons, 15% places,
 * 10% things), relationship types from a small vocabulary ({@code knows}, {@code lives_in}, ...).
 * Entity embeddings are the embedder's vectors of the names.
 */
public final class GraphData {

    private static final List<String> RELATIONSHIPS = List.of("knows", "likes", "lives_in", "works_at", "visited",
            "owns", "plays", "studies", "dislikes", "recommended", "married_to", "sibling_of");

    private final int entities;

    /** @param relations the number of relations; the graph has {@code relations / 5} entities */
    public GraphData(int relations) {
        this.entities = Math.max(4, relations / 5);
    }

    /** @return the name of entity {@code i} (lower case, as the engine normalises names) */
    public String entityName(int i) {
        int persons = entities * 3 / 4;
        int places = entities * 3 / 20;
        if (i < persons) {
            return String.format("person%04d", i + 1);
        } else if (i < persons + places) {
            return String.format("place%03d", i - persons + 1);
        }
        return String.format("thing%03d", i - persons - places + 1);
    }

    /** @return the number of entities */
    public int entities() {
        return entities;
    }

    /**
     * @param scope     the scope
     * @param relations how many distinct relations
     * @param embedder  embeds the entity names
     * @param batch     relations per write
     * @return the writes that build the graph, in order
     */
    public List<GraphWrite> writes(Scope scope, int relations, Embedder embedder, int batch) {
        Random random = new Random(31);
        Map<String, float[]> embedded = new LinkedHashMap<>();
        Set<String> triples = new HashSet<>();
        List<GraphWrite> out = new ArrayList<>();
        List<Relation> pending = new ArrayList<>();
        Map<String, GraphEntity> ends = new LinkedHashMap<>();
        Instant now = Instant.parse("2024-06-01T00:00:00Z");
        while (triples.size() < relations) {
            String source = entityName(random.nextInt(entities));
            String destination = entityName(random.nextInt(entities));
            String relationship = RELATIONSHIPS.get(random.nextInt(RELATIONSHIPS.size()));
            if (source.equals(destination) || !triples.add(source + "\u0000" + relationship + "\u0000" + destination)) {
                continue;
            }
            pending.add(new Relation(source, relationship, destination));
            for (String name : List.of(source, destination)) {
                ends.computeIfAbsent(name, n -> new GraphEntity(n, type(n),
                        embedded.computeIfAbsent(n, x -> embedder.embed(x, EmbeddingPurpose.ADD))));
            }
            if (pending.size() == batch || triples.size() == relations) {
                out.add(new GraphWrite(scope, now, List.copyOf(ends.values()), List.copyOf(pending), List.of()));
                now = now.plusSeconds(60);
                pending.clear();
                ends.clear();
            }
        }
        return out;
    }

    private static String type(String name) {
        return name.startsWith("person") ? "person" : name.startsWith("place") ? "place" : "thing";
    }
}

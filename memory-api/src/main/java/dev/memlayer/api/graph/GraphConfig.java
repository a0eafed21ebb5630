package dev.memlayer.api.graph;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.util.Map;
import java.util.Properties;

/**
 * Graph memory settings of the engine (the store keeps its own configuration).
 *
 * @param entityMatchThreshold similarity in [0,1] from which a newly extracted entity is the same as an
 *                             existing one and reuses its name (Mem0 merges nodes at 0.9)
 * @param searchThreshold      similarity in [0,1] from which an entity is "near" an entity of the query
 *                             or of new information, so that its relations are considered (Mem0: 0.7)
 * @param entitiesPerQuery     top-k existing entities per query entity, 1 to 1000 (default 10)
 * @param candidateRelations   the most relations considered per search or add (ranked or shown to the
 *                             LLM), 1 to 10000 (default 100, Mem0's)
 * @param relationLimit        how many relations a search returns, 1 to 1000 (default 5: Mem0 returns
 *                             the BM25 top 5)
 */
public record GraphConfig(double entityMatchThreshold, double searchThreshold, int entitiesPerQuery,
                          int candidateRelations, int relationLimit) {

    /** Mem0's node-merge threshold. */
    public static final double DEFAULT_ENTITY_MATCH_THRESHOLD = 0.9;
    /** Mem0's graph search threshold. */
    public static final double DEFAULT_SEARCH_THRESHOLD = 0.7;
    public static final int DEFAULT_ENTITIES_PER_QUERY = 10;
    public static final int DEFAULT_CANDIDATE_RELATIONS = 100;
    public static final int DEFAULT_RELATION_LIMIT = 5;

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for a value out of range
     */
    public GraphConfig {
        unit("entityMatchThreshold", entityMatchThreshold);
        unit("searchThreshold", searchThreshold);
        range("entitiesPerQuery", entitiesPerQuery, 1000);
        range("candidateRelations", candidateRelations, 10_000);
        range("relationLimit", relationLimit, 1000);
    }

    private static void unit(String name, double v) {
        if (Double.isNaN(v) || v < 0 || v > 1) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, name + " must be in [0,1], got " + v);
        }
    }

    private static void range(String name, int v, int max) {
        if (v < 1 || v > max) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    name + " must be between 1 and " + max + ", got " + v);
        }
    }

    /** @return Mem0's values: merge at 0.9, search at 0.7, 10 entities, 100 candidates, top 5 */
    public static GraphConfig defaults() {
        return new GraphConfig(DEFAULT_ENTITY_MATCH_THRESHOLD, DEFAULT_SEARCH_THRESHOLD, DEFAULT_ENTITIES_PER_QUERY,
                DEFAULT_CANDIDATE_RELATIONS, DEFAULT_RELATION_LIMIT);
    }

    /**
     * Reads {@code MEMLAYER_GRAPH_ENTITY_MATCH_THRESHOLD}, {@code MEMLAYER_GRAPH_SEARCH_THRESHOLD},
     * {@code MEMLAYER_GRAPH_ENTITIES_PER_QUERY}, {@code MEMLAYER_GRAPH_CANDIDATE_RELATIONS} and
     * {@code MEMLAYER_GRAPH_RELATION_LIMIT}; unset ones keep their defaults.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for an unreadable value
     */
    public static GraphConfig fromEnv() {
        return fromMap(System.getenv(), "MEMLAYER_GRAPH_ENTITY_MATCH_THRESHOLD", "MEMLAYER_GRAPH_SEARCH_THRESHOLD",
                "MEMLAYER_GRAPH_ENTITIES_PER_QUERY", "MEMLAYER_GRAPH_CANDIDATE_RELATIONS", "MEMLAYER_GRAPH_RELATION_LIMIT");
    }

    /**
     * Reads {@code memlayer.graph.entity-match-threshold}, {@code memlayer.graph.search-threshold},
     * {@code memlayer.graph.entities-per-query}, {@code memlayer.graph.candidate-relations} and
     * {@code memlayer.graph.relation-limit}.
     */
    public static GraphConfig fromProperties(Properties properties) {
        Map<String, String> map = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
        return fromMap(map, "memlayer.graph.entity-match-threshold", "memlayer.graph.search-threshold",
                "memlayer.graph.entities-per-query", "memlayer.graph.candidate-relations", "memlayer.graph.relation-limit");
    }

    private static GraphConfig fromMap(Map<String, String> map, String match, String search, String perQuery,
                                       String candidates, String limit) {
        GraphConfig d = defaults();
        return new GraphConfig(number(map, match, d.entityMatchThreshold()), number(map, search, d.searchThreshold()),
                (int) integer(map, perQuery, d.entitiesPerQuery()), (int) integer(map, candidates, d.candidateRelations()),
                (int) integer(map, limit, d.relationLimit()));
    }

    private static double number(Map<String, String> map, String key, double fallback) {
        String v = map.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, key + " must be a number, got '" + v + "'", e);
        }
    }

    private static long integer(Map<String, String> map, String key, int fallback) {
        String v = map.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, key + " must be an integer, got '" + v + "'", e);
        }
    }

    /** @return a copy with another entity match threshold */
    public GraphConfig withEntityMatchThreshold(double value) {
        return new GraphConfig(value, searchThreshold, entitiesPerQuery, candidateRelations, relationLimit);
    }

    /** @return a copy with another search threshold */
    public GraphConfig withSearchThreshold(double value) {
        return new GraphConfig(entityMatchThreshold, value, entitiesPerQuery, candidateRelations, relationLimit);
    }

    /** @return a copy with another relation limit */
    public GraphConfig withRelationLimit(int value) {
        return new GraphConfig(entityMatchThreshold, searchThreshold, entitiesPerQuery, candidateRelations, value);
    }
}

package dev.memlayer.graph.internal;

import dev.memlayer.api.Scope;
import java.util.Map;

/**
 * The Cypher of {@code Neo4jGraphStore}. Every value travels as a parameter; the only text assembled
 * at run time is the choice among the constant scope predicates below, so no name, type, relationship
 * or id can change a statement. Relations are one relationship type ({@value #RELATION}) whose
 * {@code relationship} property holds the relation's name, because Cypher cannot take a relationship
 * type as a parameter.
 *
 * <p>Model: {@code (:MemlayerEntity {key, collection, name, type, embedding, user_id, agent_id,
 * run_id, scope_key, created_at, write_id})-[:MEMLAYER_RELATION {id, relationship, valid, created_at,
 * updated_at, invalidated_at}]->(:MemlayerEntity)}; times are epoch milliseconds; {@code key} is
 * {@link GraphScopes#entityKey} and unique.
 */
public final class Cypher {

    private Cypher() {
    }

    /** The label of entity nodes. */
    public static final String ENTITY = "MemlayerEntity";
    /** The type of relation relationships. */
    public static final String RELATION = "MEMLAYER_RELATION";
    /** The name of the vector index on entity embeddings. */
    public static final String VECTOR_INDEX = "memlayer_entity_embedding";

    /** Schema statements, each run on its own (schema and data do not mix in one transaction). */
    public static final String[] SCHEMA = {
        "CREATE CONSTRAINT memlayer_entity_key IF NOT EXISTS FOR (n:MemlayerEntity) REQUIRE n.key IS UNIQUE",
        "CREATE INDEX memlayer_entity_user IF NOT EXISTS FOR (n:MemlayerEntity) ON (n.collection, n.user_id)",
        "CREATE INDEX memlayer_entity_agent IF NOT EXISTS FOR (n:MemlayerEntity) ON (n.collection, n.agent_id)",
        "CREATE INDEX memlayer_entity_run IF NOT EXISTS FOR (n:MemlayerEntity) ON (n.collection, n.run_id)",
        "CREATE INDEX memlayer_entity_write IF NOT EXISTS FOR (n:MemlayerEntity) ON (n.write_id)",
        "CREATE INDEX memlayer_relation_id IF NOT EXISTS FOR ()-[r:MEMLAYER_RELATION]-() ON (r.id)",
    };

    /** The vector index, without quantisation so that index scores are exact cosines. */
    public static final String VECTOR_INDEX_SCHEMA = "CREATE VECTOR INDEX memlayer_entity_embedding IF NOT EXISTS"
            + " FOR (n:MemlayerEntity) ON (n.embedding) OPTIONS {indexConfig: {"
            + "`vector.similarity_function`: 'cosine', `vector.quantization.enabled`: false}}";

    /** The vector index on servers that know no quantisation option. */
    public static final String VECTOR_INDEX_SCHEMA_PLAIN = "CREATE VECTOR INDEX memlayer_entity_embedding IF NOT EXISTS"
            + " FOR (n:MemlayerEntity) ON (n.embedding) OPTIONS {indexConfig: {`vector.similarity_function`: 'cosine'}}";

    public static final String AWAIT_INDEXES = "CALL db.awaitIndexes(300)";

    /** Probe for the cosine function (Neo4j 5.18+). */
    public static final String COSINE_PROBE = "RETURN vector.similarity.cosine([1.0, 0.0], [1.0, 0.0]) AS s";

    /** Neo4j's normalised cosine {@code (1 + cos) / 2} of {@code n.embedding} and {@code $embedding}. */
    public static final String COSINE_FUNCTION = "vector.similarity.cosine(n.embedding, $embedding)";

    /** The same as {@link #COSINE_FUNCTION} for servers without the function. */
    public static final String COSINE_REDUCE = "(1.0 + reduce(d = 0.0, i IN range(0, size($embedding) - 1)"
            + " | d + n.embedding[i] * $embedding[i]) / sqrt(reduce(a = 0.0, x IN n.embedding | a + x * x)"
            + " * reduce(b = 0.0, y IN $embedding | b + y * y))) / 2.0";

    /**
     * The predicate "node {@code var} belongs to this collection and matches the scope": one of eight
     * constant texts chosen by which ids the scope sets; the values are the parameters
     * {@code $collection}, {@code $user_id}, {@code $agent_id} and {@code $run_id}.
     */
    public static String scopePredicate(String var, Scope scope) {
        if (!var.equals("n") && !var.equals("s")) {
            throw new IllegalArgumentException("unknown variable " + var);
        }
        StringBuilder b = new StringBuilder(var).append(".collection = $collection");
        if (scope.userId() != null) {
            b.append(" AND ").append(var).append(".user_id = $user_id");
        }
        if (scope.agentId() != null) {
            b.append(" AND ").append(var).append(".agent_id = $agent_id");
        }
        if (scope.runId() != null) {
            b.append(" AND ").append(var).append(".run_id = $run_id");
        }
        return b.toString();
    }

    /** Adds the scope parameters of {@link #scopePredicate}. */
    public static void scopeParameters(Map<String, Object> params, String collection, Scope scope) {
        params.put("collection", collection);
        params.put("user_id", scope.userId());
        params.put("agent_id", scope.agentId());
        params.put("run_id", scope.runId());
    }

    /** Counts a scope's entities (to choose between an exact scan and the vector index). */
    public static String countEntities(Scope scope) {
        return "MATCH (n:MemlayerEntity) WHERE " + scopePredicate("n", scope) + " RETURN count(n) AS c";
    }

    /** Exact nearest entities of a scope, by Neo4j score. */
    public static String nearestExact(Scope scope, String cosine) {
        return "MATCH (n:MemlayerEntity) WHERE " + scopePredicate("n", scope)
                + " WITH n, " + cosine + " AS score WHERE score >= $min"
                + " RETURN n.name AS name, n.type AS type, n.user_id AS user_id, n.agent_id AS agent_id,"
                + " n.run_id AS run_id, score ORDER BY score DESC, n.name, n.scope_key LIMIT $limit";
    }

    /**
     * Candidates from the vector index: every row has the index score; rows of the scope also carry the
     * entity and its exact score.
     */
    public static String nearestIndexed(Scope scope, String cosine) {
        return "CALL db.index.vector.queryNodes('" + VECTOR_INDEX + "', $k, $embedding) YIELD node AS n, score"
                + " WITH n, score, (" + scopePredicate("n", scope) + ") AS in_scope"
                + " RETURN score, in_scope,"
                + " CASE WHEN in_scope THEN n.name END AS name, CASE WHEN in_scope THEN n.type END AS type,"
                + " CASE WHEN in_scope THEN n.user_id END AS user_id, CASE WHEN in_scope THEN n.agent_id END AS agent_id,"
                + " CASE WHEN in_scope THEN n.run_id END AS run_id,"
                + " CASE WHEN in_scope THEN " + cosine + " END AS exact";
    }

    private static final String RELATION_COLUMNS = " r.id AS id, s.name AS source, r.relationship AS relationship,"
            + " d.name AS destination, s.user_id AS user_id, s.agent_id AS agent_id, s.run_id AS run_id,"
            + " r.created_at AS created_at, r.updated_at AS updated_at, r.valid AS valid,"
            + " r.invalidated_at AS invalidated_at";

    /** The relations touching some entities (by key), newest first, at most {@code $limit}. */
    public static final String RELATIONS_OF = "UNWIND $keys AS key"
            + " MATCH (:MemlayerEntity {key: key})-[x:MEMLAYER_RELATION]-()"
            + " WHERE x.valid OR $include_invalid"
            + " WITH DISTINCT x AS r WITH r, startNode(r) AS s, endNode(r) AS d"
            + " RETURN" + RELATION_COLUMNS
            + " ORDER BY r.created_at DESC, s.name, r.relationship, d.name, s.scope_key, r.id LIMIT $limit";

    /** Every relation of a scope. */
    public static String relations(Scope scope, boolean includeInvalid) {
        return "MATCH (s:MemlayerEntity)-[r:MEMLAYER_RELATION]->(d:MemlayerEntity) WHERE " + scopePredicate("s", scope)
                + (includeInvalid ? "" : " AND r.valid") + " RETURN" + RELATION_COLUMNS;
    }

    /** Marks relations invalid; returns them as they were before. */
    public static String invalidate(Scope scope) {
        return "UNWIND $ids AS rid"
                + " MATCH (s:MemlayerEntity)-[r:MEMLAYER_RELATION {id: rid}]->(d:MemlayerEntity)"
                + " WHERE r.valid AND " + scopePredicate("s", scope)
                + " WITH s, r, d, r.updated_at AS before"
                + " SET r.valid = false, r.invalidated_at = $now, r.updated_at = $now"
                + " RETURN r.id AS id, s.name AS source, r.relationship AS relationship, d.name AS destination,"
                + " s.user_id AS user_id, s.agent_id AS agent_id, s.run_id AS run_id, r.created_at AS created_at,"
                + " before AS updated_at, true AS valid, null AS invalidated_at";
    }

    /**
     * Adds relations: merges both entities by key (creating them in the write's scope) and merges a
     * valid relation of the triple (MERGE locks both nodes, so concurrent writes never duplicate it).
     */
    public static final String ADD_RELATIONS = "UNWIND $relations AS rel"
            + " MERGE (s:MemlayerEntity {key: rel.source.key})"
            + " ON CREATE SET s.collection = $collection, s.name = rel.source.name, s.type = rel.source.type,"
            + " s.embedding = rel.source.embedding, s.user_id = $user_id, s.agent_id = $agent_id, s.run_id = $run_id,"
            + " s.scope_key = $scope_key, s.created_at = $now, s.write_id = $write_id"
            + " MERGE (d:MemlayerEntity {key: rel.destination.key})"
            + " ON CREATE SET d.collection = $collection, d.name = rel.destination.name, d.type = rel.destination.type,"
            + " d.embedding = rel.destination.embedding, d.user_id = $user_id, d.agent_id = $agent_id,"
            + " d.run_id = $run_id, d.scope_key = $scope_key, d.created_at = $now, d.write_id = $write_id"
            + " MERGE (s)-[r:MEMLAYER_RELATION {relationship: rel.relationship, valid: true}]->(d)"
            + " ON CREATE SET r.id = rel.id, r.created_at = $now, r.updated_at = $now"
            + " RETURN r.id = rel.id AS added, r.id AS id, s.name AS source, r.relationship AS relationship,"
            + " d.name AS destination, r.created_at AS created_at,"
            + " s.write_id = $write_id AS source_created, d.write_id = $write_id AS destination_created";

    /** Deletes relations by id. */
    public static final String DELETE_RELATIONS = "UNWIND $ids AS rid"
            + " MATCH ()-[r:MEMLAYER_RELATION {id: rid}]->() DELETE r";

    /** Restores invalidated relations. */
    public static final String RESTORE_RELATIONS = "UNWIND $restore AS x"
            + " MATCH ()-[r:MEMLAYER_RELATION {id: x.id}]->()"
            + " SET r.valid = true, r.invalidated_at = null, r.updated_at = x.updated_at";

    /** Deletes entities by key that have no relation left. */
    public static final String DELETE_ORPHANS = "UNWIND $keys AS key"
            + " MATCH (n:MemlayerEntity {key: key}) WHERE NOT (n)--() DELETE n";

    /** Deletes a scope's entities and relations; returns the number of relations. */
    public static String deleteScope(Scope scope) {
        return "MATCH (n:MemlayerEntity) WHERE " + scopePredicate("n", scope)
                + " OPTIONAL MATCH (n)-[r:MEMLAYER_RELATION]->()"
                + " WITH n, count(r) AS c DETACH DELETE n RETURN coalesce(sum(c), 0) AS deleted";
    }

    /** Deletes a collection. */
    public static final String RESET = "MATCH (n:MemlayerEntity {collection: $collection}) DETACH DELETE n";
}

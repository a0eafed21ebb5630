package dev.memlayer.graph;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.graph.GraphEntity;
import dev.memlayer.api.graph.GraphQuery;
import dev.memlayer.api.graph.GraphSearchResult;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.graph.GraphWriteResult;
import dev.memlayer.api.graph.ScoredEntity;
import dev.memlayer.api.graph.StoredRelation;
import dev.memlayer.graph.internal.Cypher;
import dev.memlayer.graph.internal.GraphOrder;
import dev.memlayer.graph.internal.GraphScopes;
import dev.memlayer.graph.internal.Vectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.NotificationConfig;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.RetryableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GraphStore} on Neo4j (5.x or 2025.x, Community or Enterprise) through the official Java
 * driver over Bolt.
 *
 * <ul>
 *   <li>Every statement is constant Cypher with parameters ({@code Cypher} in the internal package):
 *       entity names, types, relationship names and ids are never part of the statement text. A
 *       relation is a {@code MEMLAYER_RELATION} relationship whose {@code relationship} property holds
 *       its name, since Cypher cannot take a relationship type as a parameter.</li>
 *   <li>Entities are {@code MemlayerEntity} nodes with a unique key (collection, exact scope, name),
 *       their embedding as a list property and range indexes on (collection, user_id / agent_id /
 *       run_id).</li>
 *   <li>Similarity search is exact (Neo4j's {@code vector.similarity.cosine}, or the same formula in
 *       plain Cypher on older servers) for scopes of up to {@link Neo4jConfig#exactScanLimit()} entities. Larger
 *       scopes use the {@code memlayer_entity_embedding} vector index (created on start where the server
 *       has vector indexes, without quantisation) and fall back to the exact scan when the index's
 *       candidates cannot prove they hold every match.</li>
 *   <li>A {@link #write} is one transaction; failures surface as {@link StoreException}
 *       ({@code retryable()} for connection loss, timeouts and transient errors, after the driver's
 *       own retries for {@link Neo4jConfig#retryTime()}).</li>
 *   <li>The schema (constraint and indexes) is created on first use, not in the constructor, so that
 *       creating the store never connects.</li>
 * </ul>
 */
public final class Neo4jGraphStore implements GraphStore {

    private static final Logger LOG = LoggerFactory.getLogger(Neo4jGraphStore.class);

    private final Neo4jConfig config;
    private final Driver driver;
    private final boolean ownsDriver;
    /** What the schema step found out about a server. */
    private record Capabilities(boolean vectorIndex, String cosine) {
    }

    /**
     * Schema work already done per driver and database (and vector-index choice), so that stores sharing
     * a driver run it once.
     */
    private static final Map<Driver, Map<String, Capabilities>> SCHEMA_DONE =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final Object schemaLock = new Object();
    private volatile boolean schemaReady;
    private volatile boolean vectorIndex;
    private volatile String cosine = Cypher.COSINE_FUNCTION;

    /**
     * A store with its own driver (closed by {@link #close()}). Does not connect yet.
     *
     * @param config where Neo4j is
     */
    public Neo4jGraphStore(Neo4jConfig config) {
        this(createDriver(config), config, true);
    }

    /**
     * A store on a driver the caller owns (not closed by {@link #close()}).
     *
     * @param driver the driver
     * @param config the collection, database and options (its URI and credentials are not used)
     */
    public Neo4jGraphStore(Driver driver, Neo4jConfig config) {
        this(driver, config, false);
    }

    private Neo4jGraphStore(Driver driver, Neo4jConfig config, boolean ownsDriver) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.config = Objects.requireNonNull(config, "config");
        this.ownsDriver = ownsDriver;
    }

    private static Driver createDriver(Neo4jConfig config) {
        Config driverConfig = Config.builder()
                .withLogging(Logging.slf4j())
                .withConnectionTimeout(config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .withConnectionAcquisitionTimeout(Math.max(config.connectionTimeout().toMillis(), 1000),
                        TimeUnit.MILLISECONDS)
                .withMaxTransactionRetryTime(config.retryTime().toMillis(), TimeUnit.MILLISECONDS)
                .withNotificationConfig(NotificationConfig.disableAllConfig())
                .withUserAgent("memlayer-graph-store")
                .build();
        try {
            return config.user() == null
                    ? GraphDatabase.driver(config.uri(), AuthTokens.none(), driverConfig)
                    : GraphDatabase.driver(config.uri(), AuthTokens.basic(config.user(), config.password()), driverConfig);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "Bad Neo4j URI '" + config.uri() + "': "
                    + e.getMessage(), e);
        }
    }

    /** @return the configuration */
    public Neo4jConfig config() {
        return config;
    }

    /** @return true when similarity search of large scopes uses Neo4j's vector index (after first use) */
    public boolean usesVectorIndex() {
        return vectorIndex;
    }

    // ---------------------------------------------------------------- plumbing

    private Session session() {
        return config.database() == null ? driver.session()
                : driver.session(SessionConfig.forDatabase(config.database()));
    }

    private <T> T read(String what, Function<TransactionContext, T> work) {
        return call(what, () -> {
            try (Session s = session()) {
                return s.executeRead(work::apply);
            }
        });
    }

    private <T> T write(String what, Function<TransactionContext, T> work) {
        return call(what, () -> {
            try (Session s = session()) {
                return s.executeWrite(work::apply);
            }
        });
    }

    private <T> T call(String what, java.util.function.Supplier<T> work) {
        try {
            ensureSchema();
            return work.get();
        } catch (MemoryException e) {
            throw e;
        } catch (Neo4jException e) {
            boolean retryable = e instanceof RetryableException;
            throw new StoreException("Neo4j " + what + " failed" + (retryable ? " (retry later)" : "") + ": "
                    + e.getMessage(), retryable, e);
        } catch (RuntimeException e) {
            throw new StoreException("Neo4j " + what + " failed: " + e, false, e);
        }
    }

    private void ensureSchema() {
        if (schemaReady) {
            return;
        }
        synchronized (schemaLock) {
            if (schemaReady) {
                return;
            }
            String schemaKey = config.database() + "/" + config.useVectorIndex();
            Capabilities known = SCHEMA_DONE.getOrDefault(driver, Map.of()).get(schemaKey);
            if (known != null) {
                vectorIndex = known.vectorIndex();
                cosine = known.cosine();
                schemaReady = true;
                return;
            }
            try (Session s = session()) {
                // one schema transaction for the constraint and range indexes
                s.executeWriteWithoutResult(tx -> {
                    for (String statement : Cypher.SCHEMA) {
                        tx.run(statement).consume();
                    }
                });
                vectorIndex = config.useVectorIndex() && createVectorIndex(s);
                try {
                    s.run(Cypher.COSINE_PROBE).consume();
                    cosine = Cypher.COSINE_FUNCTION;
                } catch (Neo4jException e) {
                    if (e instanceof RetryableException) {
                        throw e;
                    }
                    LOG.info("Neo4j has no vector.similarity.cosine (before 5.18); computing cosines in plain Cypher");
                    cosine = Cypher.COSINE_REDUCE;
                }
                s.run(Cypher.AWAIT_INDEXES).consume();
            }
            SCHEMA_DONE.computeIfAbsent(driver, d -> new java.util.concurrent.ConcurrentHashMap<>())
                    .put(schemaKey, new Capabilities(vectorIndex, cosine));
            schemaReady = true;
        }
    }

    private static boolean createVectorIndex(Session s) {
        for (String statement : new String[] {Cypher.VECTOR_INDEX_SCHEMA, Cypher.VECTOR_INDEX_SCHEMA_PLAIN}) {
            try {
                s.run(statement).consume();
                return true;
            } catch (Neo4jException e) {
                if (e instanceof RetryableException) {
                    throw e;
                }
                LOG.debug("Vector index statement refused: {}", e.getMessage());
            }
        }
        LOG.info("Neo4j refused to create a vector index (servers before 5.23 need a fixed dimension, before 5.11"
                + " have none); entity search scans exactly");
        return false;
    }

    private Map<String, Object> scoped(Scope scope) {
        Map<String, Object> params = new HashMap<>();
        Cypher.scopeParameters(params, config.collection(), scope);
        return params;
    }

    private String key(Scope scope, String name) {
        return GraphScopes.entityKey(config.collection(), scope, name);
    }

    private static List<Double> list(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }

    private static String text(Value v) {
        return v == null || v.isNull() ? null : v.asString();
    }

    private static Instant instant(Value v) {
        return v == null || v.isNull() ? null : Instant.ofEpochMilli(v.asLong());
    }

    private static Scope scope(Record r) {
        return new Scope(text(r.get("user_id")), text(r.get("agent_id")), text(r.get("run_id")));
    }

    private static StoredRelation relation(Record r) {
        return new StoredRelation(r.get("id").asString(), scope(r), r.get("source").asString(),
                r.get("relationship").asString(), r.get("destination").asString(), instant(r.get("created_at")),
                instant(r.get("updated_at")), r.get("valid").asBoolean(), instant(r.get("invalidated_at")));
    }

    // ---------------------------------------------------------------- search

    @Override
    public List<ScoredEntity> searchEntities(Scope scope, float[] embedding, double threshold, int limit) {
        GraphScopes.require(scope, "searchEntities");
        Objects.requireNonNull(embedding, "embedding");
        if (limit < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "limit must be at least 1, got " + limit);
        }
        if (Double.isNaN(threshold) || threshold < 0 || threshold > 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "threshold is a similarity in [0,1], got " + threshold);
        }
        return read("entity search", tx -> nearest(tx, scope, embedding, threshold, limit));
    }

    private List<ScoredEntity> nearest(TransactionContext tx, Scope scope, float[] embedding, double threshold,
                                       int limit) {
        Map<String, Object> params = scoped(scope);
        params.put("embedding", list(embedding));
        if (vectorIndex) {
            long size = tx.run(Cypher.countEntities(scope), params).single().get("c").asLong();
            if (size > config.exactScanLimit()) {
                List<ScoredEntity> indexed = nearestIndexed(tx, scope, params, threshold, limit);
                if (indexed != null) {
                    return indexed;
                }
            }
        }
        // every cosine <= 0 clamps to 0, so threshold 0 admits everything
        params.put("min", threshold <= 0 ? 0.0 : Vectors.toNeo4jScore(threshold) - 1e-9);
        params.put("limit", limit);
        List<ScoredEntity> out = new ArrayList<>();
        for (Record r : tx.run(Cypher.nearestExact(scope, cosine), params).list()) {
            double score = Vectors.fromNeo4jScore(r.get("score").asDouble());
            if (score >= threshold) {
                out.add(new ScoredEntity(r.get("name").asString(), r.get("type").asString(), scope(r), score));
            }
        }
        out.sort(GraphOrder.ENTITIES);
        return out;
    }

    /** @return the matches, or null when the index's candidates may have missed some */
    private List<ScoredEntity> nearestIndexed(TransactionContext tx, Scope scope, Map<String, Object> params,
                                              double threshold, int limit) {
        int k = Math.min(10_000, Math.max(100, limit * 20));
        params.put("k", k);
        double min = threshold <= 0 ? 0.0 : Vectors.toNeo4jScore(threshold);
        List<Record> rows = tx.run(Cypher.nearestIndexed(scope, cosine), params).list();
        double lowest = Double.POSITIVE_INFINITY;
        List<ScoredEntity> out = new ArrayList<>();
        for (Record r : rows) {
            lowest = Math.min(lowest, r.get("score").asDouble());
            if (r.get("in_scope").asBoolean()) {
                double score = Vectors.fromNeo4jScore(r.get("exact").asDouble());
                if (score >= threshold) {
                    out.add(new ScoredEntity(r.get("name").asString(), r.get("type").asString(), scope(r), score));
                }
            }
        }
        out.sort(GraphOrder.ENTITIES);
        boolean exhausted = rows.size() < k || lowest < min;
        if (out.size() >= limit && out.get(limit - 1).score() > Vectors.fromNeo4jScore(lowest)) {
            exhausted = true; // the top-k of the scope are all better than any candidate the index left out
        }
        if (!exhausted) {
            LOG.debug("Vector index candidates inconclusive for {}; scanning the scope exactly", scope);
            return null;
        }
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public GraphSearchResult search(GraphQuery query) {
        Objects.requireNonNull(query, "query");
        return read("graph search", tx -> {
            Map<String, ScoredEntity> best = new LinkedHashMap<>();
            for (float[] embedding : query.embeddings()) {
                for (ScoredEntity e : nearest(tx, query.scope(), embedding, query.threshold(), query.entityLimit())) {
                    best.merge(key(e.scope(), e.name()), e, (a, b) -> a.score() >= b.score() ? a : b);
                }
            }
            List<ScoredEntity> entities = new ArrayList<>(best.values());
            entities.sort(GraphOrder.ENTITIES);
            if (entities.isEmpty()) {
                return GraphSearchResult.EMPTY;
            }
            Map<String, Object> params = new HashMap<>();
            params.put("keys", List.copyOf(best.keySet()));
            params.put("include_invalid", query.includeInvalid());
            params.put("limit", query.relationLimit());
            List<StoredRelation> relations = new ArrayList<>();
            for (Record r : tx.run(Cypher.RELATIONS_OF, params).list()) {
                relations.add(relation(r));
            }
            relations.sort(GraphOrder.NEWEST_FIRST);
            return new GraphSearchResult(entities, relations);
        });
    }

    // ---------------------------------------------------------------- write

    @Override
    public GraphWriteResult write(GraphWrite write) {
        Objects.requireNonNull(write, "write");
        if (write.isEmpty()) {
            return new GraphWriteResult(write.scope(), List.of(), List.of(), List.of());
        }
        Scope scope = write.scope();
        long now = write.now().toEpochMilli();
        Map<String, GraphEntity> entities = new HashMap<>();
        write.entities().forEach(e -> entities.put(e.name(), e));
        List<Map<String, Object>> rels = new ArrayList<>();
        for (Relation r : new LinkedHashSet<>(write.add())) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", UUID.randomUUID().toString());
            row.put("relationship", r.relationship());
            row.put("source", entityParam(scope, entities.get(r.source())));
            row.put("destination", entityParam(scope, entities.get(r.destination())));
            rels.add(row);
        }
        List<String> invalidateIds = List.copyOf(new LinkedHashSet<>(write.invalidate()));
        String writeId = UUID.randomUUID().toString();
        return write("write", tx -> {
            Map<String, StoredRelation> before = new HashMap<>();
            if (!invalidateIds.isEmpty()) {
                Map<String, Object> params = scoped(scope);
                params.put("ids", invalidateIds);
                params.put("now", now);
                for (Record r : tx.run(Cypher.invalidate(scope), params).list()) {
                    StoredRelation rel = relation(r);
                    before.put(rel.id(), rel);
                }
            }
            List<StoredRelation> invalidated = new ArrayList<>();
            for (String id : invalidateIds) {
                if (before.containsKey(id)) {
                    invalidated.add(before.get(id));
                }
            }
            List<StoredRelation> added = new ArrayList<>();
            LinkedHashSet<String> created = new LinkedHashSet<>();
            if (!rels.isEmpty()) {
                Map<String, Object> params = scoped(scope);
                params.put("relations", rels);
                params.put("now", now);
                params.put("scope_key", GraphScopes.key(scope));
                params.put("write_id", writeId);
                for (Record r : tx.run(Cypher.ADD_RELATIONS, params).list()) {
                    if (r.get("source_created").asBoolean(false)) {
                        created.add(r.get("source").asString());
                    }
                    if (r.get("destination_created").asBoolean(false)) {
                        created.add(r.get("destination").asString());
                    }
                    if (r.get("added").asBoolean()) {
                        Instant at = Instant.ofEpochMilli(r.get("created_at").asLong());
                        added.add(new StoredRelation(r.get("id").asString(), scope, r.get("source").asString(),
                                r.get("relationship").asString(), r.get("destination").asString(), at, at, true, null));
                    }
                }
            }
            return new GraphWriteResult(scope, added, invalidated, List.copyOf(created));
        });
    }

    private Map<String, Object> entityParam(Scope scope, GraphEntity e) {
        Map<String, Object> m = new HashMap<>();
        m.put("key", key(scope, e.name()));
        m.put("name", e.name());
        m.put("type", e.type());
        m.put("embedding", list(e.embedding()));
        return m;
    }

    @Override
    public void revert(GraphWriteResult result) {
        Objects.requireNonNull(result, "result");
        if (result.isEmpty()) {
            return;
        }
        List<String> addedIds = result.added().stream().map(StoredRelation::id).toList();
        List<Map<String, Object>> restore = new ArrayList<>();
        for (StoredRelation r : result.invalidated()) {
            restore.add(Map.of("id", r.id(), "updated_at", r.updatedAt().toEpochMilli()));
        }
        List<String> keys = result.createdEntities().stream().map(n -> key(result.scope(), n)).toList();
        write("revert", tx -> {
            tx.run(Cypher.DELETE_RELATIONS, Map.of("ids", addedIds)).consume();
            tx.run(Cypher.RESTORE_RELATIONS, Map.of("restore", restore)).consume();
            tx.run(Cypher.DELETE_ORPHANS, Map.of("keys", keys)).consume();
            return null;
        });
    }

    // ---------------------------------------------------------------- listing, deletion

    @Override
    public List<StoredRelation> relations(Scope scope, boolean includeInvalid) {
        GraphScopes.require(scope, "relations");
        return read("relation listing", tx -> {
            List<StoredRelation> out = new ArrayList<>();
            for (Record r : tx.run(Cypher.relations(scope, includeInvalid), scoped(scope)).list()) {
                out.add(relation(r));
            }
            out.sort(GraphOrder.OLDEST_FIRST);
            return out;
        });
    }

    @Override
    public long deleteAll(Scope scope) {
        GraphScopes.require(scope, "deleteAll");
        return write("deleteAll", tx -> tx.run(Cypher.deleteScope(scope), scoped(scope)).single().get("deleted").asLong());
    }

    @Override
    public void reset() {
        write("reset", tx -> {
            tx.run(Cypher.RESET, Map.of("collection", config.collection())).consume();
            return null;
        });
    }

    @Override
    public void close() {
        if (ownsDriver) {
            driver.close();
        }
    }

    @Override
    public String toString() {
        return "Neo4jGraphStore[" + config.uri() + ", collection=" + config.collection() + "]";
    }
}

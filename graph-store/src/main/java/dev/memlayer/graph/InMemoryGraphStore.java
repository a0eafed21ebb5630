package dev.memlayer.graph;

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
import dev.memlayer.graph.internal.GraphOrder;
import dev.memlayer.graph.internal.GraphScopes;
import dev.memlayer.graph.internal.Vectors;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-process {@link GraphStore}: the reference implementation every other graph store must agree
 * with. Exact similarity search (a scan of the matching scopes' entities, which are indexed by exact
 * scope so that other tenants are never scanned); writes are atomic and thread-safe (one read-write
 * lock). Nothing is persisted: the graph lives as long as the object.
 */
public final class InMemoryGraphStore implements GraphStore {

    private record Entity(String key, String name, String type, float[] embedding, Scope scope) {
    }

    private static final String COLLECTION = "memory";

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** exact scope key -> entity key -> entity */
    private final Map<String, Map<String, Entity>> entitiesByScope = new HashMap<>();
    private final Map<String, Scope> scopes = new HashMap<>();
    /** relation id -> relation */
    private final Map<String, StoredRelation> relations = new LinkedHashMap<>();
    /** entity key -> ids of the relations it is an end of */
    private final Map<String, Set<String>> adjacency = new HashMap<>();

    /** An empty graph. */
    public InMemoryGraphStore() {
    }

    private static String entityKey(Scope scope, String name) {
        return GraphScopes.entityKey(COLLECTION, scope, name);
    }

    @Override
    public List<ScoredEntity> searchEntities(Scope scope, float[] embedding, double threshold, int limit) {
        GraphScopes.require(scope, "searchEntities");
        Objects.requireNonNull(embedding, "embedding");
        if (limit < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "limit must be at least 1, got " + limit);
        }
        if (Double.isNaN(threshold) || threshold < 0 || threshold > 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "threshold is a similarity in [0,1], got " + threshold);
        }
        lock.readLock().lock();
        try {
            return nearest(scope, embedding, threshold, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<ScoredEntity> nearest(Scope scope, float[] embedding, double threshold, int limit) {
        List<ScoredEntity> hits = new ArrayList<>();
        for (Map.Entry<String, Map<String, Entity>> e : entitiesByScope.entrySet()) {
            if (!GraphScopes.matches(scope, scopes.get(e.getKey()))) {
                continue;
            }
            for (Entity entity : e.getValue().values()) {
                double score = Vectors.similarity(embedding, entity.embedding());
                if (score >= threshold) {
                    hits.add(new ScoredEntity(entity.name(), entity.type(), entity.scope(), score));
                }
            }
        }
        hits.sort(GraphOrder.ENTITIES);
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }

    @Override
    public GraphSearchResult search(GraphQuery query) {
        Objects.requireNonNull(query, "query");
        lock.readLock().lock();
        try {
            Map<String, ScoredEntity> best = new LinkedHashMap<>();
            for (float[] embedding : query.embeddings()) {
                for (ScoredEntity e : nearest(query.scope(), embedding, query.threshold(), query.entityLimit())) {
                    best.merge(entityKey(e.scope(), e.name()), e, (a, b) -> a.score() >= b.score() ? a : b);
                }
            }
            List<ScoredEntity> entities = new ArrayList<>(best.values());
            entities.sort(GraphOrder.ENTITIES);
            Set<String> ids = new LinkedHashSet<>();
            for (String key : best.keySet()) {
                ids.addAll(adjacency.getOrDefault(key, Set.of()));
            }
            List<StoredRelation> found = new ArrayList<>();
            for (String id : ids) {
                StoredRelation r = relations.get(id);
                if (r != null && (r.valid() || query.includeInvalid())) {
                    found.add(r);
                }
            }
            found.sort(GraphOrder.NEWEST_FIRST);
            if (found.size() > query.relationLimit()) {
                found = new ArrayList<>(found.subList(0, query.relationLimit()));
            }
            return new GraphSearchResult(entities, found);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public GraphWriteResult write(GraphWrite write) {
        Objects.requireNonNull(write, "write");
        Instant now = write.now().truncatedTo(ChronoUnit.MILLIS);
        Scope scope = write.scope();
        String scopeKey = GraphScopes.key(scope);
        lock.writeLock().lock();
        try {
            List<StoredRelation> invalidated = new ArrayList<>();
            for (String id : new LinkedHashSet<>(write.invalidate())) {
                StoredRelation r = relations.get(id);
                if (r == null || !r.valid() || !GraphScopes.matches(scope, r.scope())) {
                    continue;
                }
                invalidated.add(r);
                relations.put(id, new StoredRelation(r.id(), r.scope(), r.source(), r.relationship(), r.destination(),
                        r.createdAt(), now, false, now));
            }
            Map<String, Entity> inScope = entitiesByScope.computeIfAbsent(scopeKey, k -> new LinkedHashMap<>());
            scopes.putIfAbsent(scopeKey, scope);
            Map<String, GraphEntity> given = new HashMap<>();
            write.entities().forEach(e -> given.put(e.name(), e));
            List<String> created = new ArrayList<>();
            List<StoredRelation> added = new ArrayList<>();
            for (Relation rel : new LinkedHashSet<>(write.add())) {
                if (hasValid(scope, rel)) {
                    continue;
                }
                for (String name : List.of(rel.source(), rel.destination())) {
                    String key = entityKey(scope, name);
                    if (!inScope.containsKey(key)) {
                        GraphEntity e = given.get(name);
                        inScope.put(key, new Entity(key, name, e.type(), e.embedding().clone(), scope));
                        created.add(name);
                    }
                }
                StoredRelation r = new StoredRelation(UUID.randomUUID().toString(), scope, rel.source(), rel.relationship(),
                        rel.destination(), now, now, true, null);
                relations.put(r.id(), r);
                adjacency.computeIfAbsent(entityKey(scope, rel.source()), k -> new LinkedHashSet<>()).add(r.id());
                adjacency.computeIfAbsent(entityKey(scope, rel.destination()), k -> new LinkedHashSet<>()).add(r.id());
                added.add(r);
            }
            if (inScope.isEmpty()) {
                entitiesByScope.remove(scopeKey);
                scopes.remove(scopeKey);
            }
            return new GraphWriteResult(scope, added, invalidated, created);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean hasValid(Scope scope, Relation rel) {
        for (String id : adjacency.getOrDefault(entityKey(scope, rel.source()), Set.of())) {
            StoredRelation r = relations.get(id);
            if (r.valid() && r.source().equals(rel.source()) && r.relationship().equals(rel.relationship())
                    && r.destination().equals(rel.destination())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void revert(GraphWriteResult result) {
        Objects.requireNonNull(result, "result");
        if (result.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            for (StoredRelation r : result.added()) {
                removeRelation(r.id());
            }
            for (StoredRelation before : result.invalidated()) {
                if (relations.containsKey(before.id())) {
                    relations.put(before.id(), before);
                }
            }
            String scopeKey = GraphScopes.key(result.scope());
            Map<String, Entity> inScope = entitiesByScope.getOrDefault(scopeKey, Map.of());
            for (String name : result.createdEntities()) {
                String key = entityKey(result.scope(), name);
                if (adjacency.getOrDefault(key, Set.of()).isEmpty()) {
                    inScope.remove(key);
                    adjacency.remove(key);
                }
            }
            if (inScope.isEmpty()) {
                entitiesByScope.remove(scopeKey);
                scopes.remove(scopeKey);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void removeRelation(String id) {
        StoredRelation r = relations.remove(id);
        if (r == null) {
            return;
        }
        for (String name : List.of(r.source(), r.destination())) {
            Set<String> ids = adjacency.get(entityKey(r.scope(), name));
            if (ids != null) {
                ids.remove(id);
            }
        }
    }

    @Override
    public List<StoredRelation> relations(Scope scope, boolean includeInvalid) {
        GraphScopes.require(scope, "relations");
        lock.readLock().lock();
        try {
            List<StoredRelation> out = new ArrayList<>();
            for (StoredRelation r : relations.values()) {
                if ((includeInvalid || r.valid()) && GraphScopes.matches(scope, r.scope())) {
                    out.add(r);
                }
            }
            out.sort(GraphOrder.OLDEST_FIRST);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long deleteAll(Scope scope) {
        GraphScopes.require(scope, "deleteAll");
        lock.writeLock().lock();
        try {
            long count = 0;
            for (String id : List.copyOf(relations.keySet())) {
                if (GraphScopes.matches(scope, relations.get(id).scope())) {
                    removeRelation(id);
                    count++;
                }
            }
            for (String scopeKey : List.copyOf(entitiesByScope.keySet())) {
                if (GraphScopes.matches(scope, scopes.get(scopeKey))) {
                    entitiesByScope.remove(scopeKey).keySet().forEach(adjacency::remove);
                    scopes.remove(scopeKey);
                }
            }
            return count;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void reset() {
        lock.writeLock().lock();
        try {
            entitiesByScope.clear();
            scopes.clear();
            relations.clear();
            adjacency.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        lock.readLock().lock();
        try {
            return "InMemoryGraphStore[relations=" + relations.size() + "]";
        } finally {
            lock.readLock().unlock();
        }
    }
}

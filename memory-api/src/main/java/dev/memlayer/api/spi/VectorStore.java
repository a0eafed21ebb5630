package dev.memlayer.api.spi;

import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.Scope;
import dev.memlayer.api.filter.Filter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stores {@link MemoryRecord}s with their embeddings and answers nearest-neighbour and filtered
 * queries. Embedding happens in the engine, never in a store. Implementations are thread-safe and
 * must pass conformance-tests' {@code VectorStoreContract} and {@code FilterContract}: filters mean
 * exactly what {@link dev.memlayer.api.filter.FilterEvaluator} says.
 *
 * <p>Failures of the backend surface as {@link dev.memlayer.api.StoreException}; a failed call
 * wrote nothing (upserts and deletes of one call are atomic where the backend allows, and
 * documented otherwise).
 */
public interface VectorStore extends AutoCloseable {

    /** @return the embedding dimension this store holds */
    int dimensions();

    /**
     * Inserts or replaces records by id, all or nothing.
     *
     * @param records records with embeddings of {@link #dimensions()} length
     * @throws dev.memlayer.api.ValidationException ({@code DIMENSION_MISMATCH}) for a wrong length
     */
    void upsert(List<MemoryRecord> records);

    /**
     * Applies upserts and deletions as one unit (one transaction where the backend has them). The
     * default calls {@link #upsert} then {@link #delete}.
     *
     * @param upserts   records to insert or replace
     * @param deleteIds ids to delete
     */
    default void write(List<MemoryRecord> upserts, Collection<String> deleteIds) {
        if (!upserts.isEmpty()) {
            upsert(upserts);
        }
        if (!deleteIds.isEmpty()) {
            delete(deleteIds);
        }
    }

    /**
     * The {@code limit} records most similar to the query vector among those matching the filter,
     * ordered by score descending, ties by id ascending. A selective filter must not lose results:
     * if at least {@code limit} records match, {@code limit} are returned.
     *
     * @return at most {@code limit} hits with scores per {@link ScoredRecord#similarity}
     */
    List<ScoredRecord> search(VectorQuery query);

    /** @return the record with its embedding, if present */
    Optional<MemoryRecord> get(String id);

    /**
     * @return the records that exist among {@code ids}, in the order of {@code ids}, with embeddings
     */
    List<MemoryRecord> get(Collection<String> ids);

    /**
     * A page of the records matching the filter, ordered by {@code created_at} descending, then id
     * ascending. Embeddings may be omitted (null).
     *
     * @param filter the filter, or null for all
     * @param offset records to skip, at least 0
     * @param limit  maximum records to return, at least 1
     */
    List<MemoryRecord> list(Filter filter, long offset, int limit);

    /** @return how many records match the filter (null: all) */
    long count(Filter filter);

    /** @return how many of the ids existed and were deleted */
    int delete(Collection<String> ids);

    /**
     * Deletes every record matching the filter, however many, atomically where the backend allows.
     *
     * @param filter a filter, not null (use {@link #reset()} to delete everything)
     * @return the records deleted (embeddings may be null), so the engine can write their history
     */
    List<MemoryRecord> deleteWhere(Filter filter);

    /** Deletes every record of this store's collection. */
    void reset();

    /**
     * Every user, agent and run that has records, with counts and time range. The default pages
     * through {@link #list}; backends should override it with an aggregate query.
     */
    default List<EntitySummary> entities() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Instant[]> times = new LinkedHashMap<>();
        long offset = 0;
        int page = 1000;
        while (true) {
            List<MemoryRecord> batch = list(null, offset, page);
            for (MemoryRecord r : batch) {
                Scope s = r.scope();
                for (EntityType type : EntityType.values()) {
                    String id = switch (type) {
                        case USER -> s.userId();
                        case AGENT -> s.agentId();
                        case RUN -> s.runId();
                    };
                    if (id == null) {
                        continue;
                    }
                    String key = type.name() + "\u0000" + id;
                    counts.computeIfAbsent(key, k -> new long[1])[0]++;
                    Instant[] t = times.computeIfAbsent(key, k -> new Instant[] {r.createdAt(), r.updatedAt()});
                    if (r.createdAt().isBefore(t[0])) {
                        t[0] = r.createdAt();
                    }
                    if (r.updatedAt().isAfter(t[1])) {
                        t[1] = r.updatedAt();
                    }
                }
            }
            if (batch.size() < page) {
                break;
            }
            offset += page;
        }
        List<EntitySummary> out = new ArrayList<>();
        counts.forEach((key, n) -> {
            int sep = key.indexOf('\u0000');
            Instant[] t = times.get(key);
            out.add(new EntitySummary(EntityType.valueOf(key.substring(0, sep)), key.substring(sep + 1), n[0], t[0], t[1]));
        });
        out.sort(Comparator.comparing(EntitySummary::type).thenComparing(EntitySummary::id));
        return out;
    }

    /**
     * Runs {@code work} while holding a lock on the scope that also excludes other processes using
     * the same backend (e.g. a PostgreSQL advisory lock), so that reconciliation of one scope is
     * serialised everywhere. The engine already serialises within one JVM; the default just runs
     * the work.
     *
     * @param scope the scope being reconciled
     * @param work  the reconciliation
     * @return the work's result
     */
    default <T> T withScopeLock(Scope scope, Supplier<T> work) {
        return work.get();
    }

    /** Releases connections and other resources. The default does nothing. */
    @Override
    default void close() {
    }
}

package dev.memlayer.store.pgvector;

import com.pgvector.PGvector;
import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Scope;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Operator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.store.pgvector.internal.BinaryCopy;
import dev.memlayer.store.pgvector.internal.PgBinder;
import dev.memlayer.store.pgvector.internal.PgClient;
import dev.memlayer.store.pgvector.internal.PgFilterCompiler;
import dev.memlayer.store.pgvector.internal.PgIndexer;
import dev.memlayer.store.pgvector.internal.PgSchema;
import dev.memlayer.store.pgvector.internal.PgTime;
import dev.memlayer.store.pgvector.internal.HalfVectors;
import dev.memlayer.store.pgvector.internal.RecordRows;
import dev.memlayer.store.pgvector.internal.ScopeCache;
import dev.memlayer.store.pgvector.internal.SqlFragment;
import dev.memlayer.store.pgvector.internal.TextChecks;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VectorStore} on PostgreSQL with pgvector: one table per collection with typed columns
 * (id, memory, hash, scope ids, actor, role, memory_type, immutable, timestamps to the nanosecond,
 * expiration date), {@code text[]} categories, {@code jsonb} metadata and a {@code vector(n)}
 * embedding under a partial HNSW cosine index, plus B-tree indexes on the scope columns. Filters
 * compile to SQL with bound parameters only ({@code PgFilterCompiler}), with exactly the reference
 * semantics. Thread-safe. Create one with {@link #create(PgVectorConfig)};
 * {@link #historyStore()} gives the history store on the same connection pool. Closing both closes
 * the pool.
 *
 * <p>Search: the score is {@link ScoredRecord#similarity}{@code (1 - d)} for pgvector's cosine
 * distance {@code d}; results are ordered by score descending, ties by id. A search is an exact
 * scan (recall 1.0) when the scope its filter pins (user_id/agent_id/run_id, EQ or IN, counted
 * with a bounded index scan) holds at most {@link PgVectorConfig#exactSearchThreshold()} memories,
 * or the whole collection at most 2000 (up to 576 dimensions, a user's vectors are read from the
 * covering index {@code (user_id) INCLUDE (id, expiration_date, embedding)}: an index-only scan of
 * contiguous pages instead of one heap page per row, 2-2.5x faster at 10k x 384, also under the
 * engine's "not expired" filter, which reads only expiration_date). Otherwise it walks the HNSW index with
 * pgvector 0.8's iterative scans ({@code relaxed_order}, {@code hnsw.ef_search} =
 * {@link PgVectorConfig#efSearch()}), fetching a few candidates more than {@code limit} and
 * re-ranking them, together with an exact scan of the rows not yet in the index (one statement);
 * if that yields fewer than {@code limit} matches (a selective filter that exhausted
 * {@code hnsw.max_scan_tuples}), it falls back to an exact scan, so it never returns fewer than
 * {@code limit} rows when that many match. Ties at the edge of the candidate window widen it.
 *
 * <p>Scope cache ({@link PgVectorConfig#scopeCacheMaxVectors()}): a search pinned to one user_id
 * (EQ), with nothing else in its filter but the engine's "not expired" condition, is served from
 * a JVM-side copy of that user's ids, expiration dates and unit vectors in half precision, once the
 * user has at least {@link PgVectorConfig#scopeCacheMinScope()} memories and was seen twice at the
 * same version. The cached vectors only pre-select: every row whose half-precision score is within
 * twice the proven error bound of the k-th best (which covers pgvector's own float arithmetic too)
 * is a candidate, and one statement has PostgreSQL rank the candidates by their exact distance,
 * exactly like the SQL path, and read the user's version in the same snapshot. The result is used
 * only when that version is the cached one. Versions live in {@code <table>_scope_versions}: every
 * write bumps those of the users whose rows it changes (old and new owner), in its own transaction,
 * and reset and bulk load bump the collection's epoch, so a write by any process is seen by the next
 * search of every other. (Every process writing the collection must run a version of this store
 * that bumps them.) Other searches (agent/run scopes, other filters) take the SQL path.
 *
 * <p>Writes: every call is one transaction, rows written in id order (so concurrent batches do not
 * deadlock; a deadlock or a connection broken before commit retries the transaction). Batches of
 * {@value #COPY_THRESHOLD} records or more go through binary COPY into a temporary table and one
 * {@code INSERT ... ON CONFLICT DO UPDATE}, smaller ones through one multi-row
 * {@code INSERT ... ON CONFLICT DO UPDATE}. With {@link PgVectorConfig#deferIndexing()} (the
 * default) rows are written outside the HNSW index ({@code indexed = false}) and a background
 * thread adds them moments later; until then searches find them by exact scan, so results do not
 * change, but a write costs B-tree updates only instead of an HNSW insertion (about 1-3 ms per row
 * at 100k rows). {@link #bulkLoad} loads large volumes with COPY and returns once they are committed;
 * the HNSW index is built afterwards in the background ({@link #awaitIndexed} waits for it).
 * Records are validated before anything is sent: a wrong dimension is a
 * {@link ErrorCode#DIMENSION_MISMATCH}, text PostgreSQL cannot hold (NUL) an
 * {@link ErrorCode#INVALID_ARGUMENT}, and nothing is written.
 *
 * <p>Failures of the server or the network are {@link dev.memlayer.api.StoreException}s, retryable
 * for connection loss and timeouts; nothing hangs past the configured timeouts, and the pool
 * reconnects by itself once the server is back (a read that meets a connection broken by the
 * outage is retried once on a fresh one).
 */
public final class PgVectorStore implements VectorStore {

    private static final Logger LOG = LoggerFactory.getLogger(PgVectorStore.class);

    /**
     * Batches at least this large are written with binary COPY plus a merge (measured at 100k x 384:
     * a multi-row INSERT is 2-3x faster for 1-5 rows, they are even at about 20, COPY is 2-3x
     * faster from 100 rows and 3-5x at 1000).
     */
    public static final int COPY_THRESHOLD = 20;
    /** Rows per multi-row INSERT statement. */
    private static final int INSERT_CHUNK = 500;
    /** Rows the background indexer moves into the HNSW index per transaction. */
    private static final int INDEXER_BATCH = 256;
    /**
     * Candidates an HNSW search fetches beyond {@code limit}, re-ranked exactly: relaxed iterative
     * scans return rows only roughly in distance order. (Measured at 100k x 384: more slack, a
     * larger ef_search or strict_order move recall@10 of a 10% scope only between 0.95 and 0.97.)
     */
    private static final int ANN_SLACK = 10;
    /** Most candidates an ANN search fetches while widening its window over tied scores. */
    private static final int MAX_ANN_WINDOW = 10_000;

    private static final String SCORE_ORDER =
            "CASE WHEN distance = 'NaN'::float8 THEN 0 ELSE greatest(0, least(1, 1 - distance)) END DESC, id";
    private static final Comparator<ScoredRecord> RANKING = Comparator.comparingDouble(ScoredRecord::score).reversed()
            .thenComparing(s -> s.record().id());

    private final PgVectorConfig config;
    private final PgClient client;
    private final PgSchema schema;
    private final PgFilterCompiler compiler;
    private final String table;
    private final String upsertSet;
    private final String annSettings;
    private final PgIndexer indexer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the version table exists: writes bump it, and only then is the scope cache used. */
    private final boolean versions;
    /** The JVM-side scope cache, or null when disabled. */
    private final ScopeCache scopeCache;
    /** The version each uncached user was last seen at: a user is loaded once seen twice unchanged. */
    private final Map<String, ScopeCache.Version> lastSeen = new java.util.concurrent.ConcurrentHashMap<>();
    /** Users found too small (or too large) to cache, with when: not probed again for a while. */
    private final Map<String, Long> notCacheable = new java.util.concurrent.ConcurrentHashMap<>();
    /** Collections up to this size are always searched exactly (a full scan this small is cheap). */
    private static final int SMALL_COLLECTION = 2_000;
    /** How often {@link #smallCollection} looks at the collection's size again. */
    private static final long SIZE_PROBE_INTERVAL_NANOS = 5_000_000_000L;
    private volatile long sizeProbedAt = System.nanoTime() - 2 * SIZE_PROBE_INTERVAL_NANOS;
    private volatile boolean small;
    /**
     * Whether a user is loaded into the scope cache at its first search rather than once seen twice
     * at the same version; a field only so that tests exercise the cache.
     */
    volatile boolean loadScopesAtOnce;
    /** Batch size from which writes use COPY; a field only so that measurements can compare both paths. */
    volatile int copyThreshold = COPY_THRESHOLD;

    private PgVectorStore(PgVectorConfig config, PgClient client, PgSchema schema, PgSchema.ServerInfo server) {
        this.config = config;
        this.client = client;
        this.schema = schema;
        this.compiler = new PgFilterCompiler(server.lowerCollation());
        this.annSettings = "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
                + " set_config('hnsw.ef_search', ?, true), "
                + (server.iterativeScans()
                        ? "set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.max_scan_tuples', ?, true)"
                        : "?");
        this.table = schema.table();
        this.versions = server.scopeVersions();
        this.scopeCache = versions && config.scopeCacheMaxVectors() > 0
                ? new ScopeCache(config.scopeCacheMaxVectors(), config.scopeCacheMinScope()) : null;
        StringBuilder set = new StringBuilder();
        for (String c : RecordRows.WRITE_COLUMNS) {
            if (!c.equals("id")) {
                set.append(set.isEmpty() ? "" : ", ").append(c).append(" = EXCLUDED.").append(c);
            }
        }
        this.upsertSet = set.toString();
        this.indexer = new PgIndexer(client, table, INDEXER_BATCH, Duration.ofSeconds(5), config.schema(),
                schema.backgroundIndexes(), schema.obsoleteIndexes(), config.maintenanceWorkMem());
        if (deferred() || !schema.backgroundIndexes().isEmpty()) {
            indexer.start("memlayer-pg-indexer-" + config.table());
        }
    }

    /**
     * Opens the connection pool and creates or migrates the schema.
     *
     * @param config the configuration; {@link PgVectorConfig#dimensions()} must be set
     * @return the store
     * @throws ValidationException             ({@link ErrorCode#INVALID_CONFIGURATION}) without a
     *                                         dimension, ({@link ErrorCode#DIMENSION_MISMATCH}) when
     *                                         the table exists with another dimension
     * @throws dev.memlayer.api.StoreException when the server is unreachable or refuses the DDL
     */
    public static PgVectorStore create(PgVectorConfig config) {
        if (config.dimensions() < 1) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "PgVectorConfig.dimensions must be set to the embedder's dimension (e.g. 384)");
        }
        PgClient client = PgClient.open(config);
        try {
            PgSchema schema = new PgSchema(config);
            PgSchema.ServerInfo server = client.withHandle("schema migration", schema::migrate);
            LOG.info("pgvector store ready: {}.{} ({} dimensions)", config.schema(), config.table(), config.dimensions());
            return new PgVectorStore(config, client, schema, server);
        } catch (RuntimeException e) {
            client.release();
            throw e;
        }
    }

    /**
     * The history store of this collection ({@code <table>_history}), sharing this store's
     * connection pool; the pool closes when both are closed.
     */
    public PgHistoryStore historyStore() {
        return new PgHistoryStore(client.retain(), schema);
    }

    /** @return the configuration */
    public PgVectorConfig config() {
        return config;
    }

    @Override
    public int dimensions() {
        return config.dimensions();
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void upsert(List<MemoryRecord> records) {
        write(records, List.of());
    }

    /**
     * Upserts then deletes, in one transaction (retried as a whole if the server aborts it for a
     * deadlock). Rows are written in id order.
     */
    @Override
    public void write(List<MemoryRecord> upserts, Collection<String> deleteIds) {
        List<RecordRows.Row> rows = new ArrayList<>(RecordRows.rows(upserts, config.dimensions(), !deferred()));
        // every writer locks rows in the same (code point) order: concurrent batches do not deadlock
        rows.sort((a, b) -> FilterEvaluator.compareCodePoints(a.id(), b.id()));
        String[] ids = storableIds(deleteIds);
        java.util.Arrays.sort(ids, FilterEvaluator::compareCodePoints);
        if (rows.isEmpty() && ids.length == 0) {
            return;
        }
        open().write("write", h -> {
            if (versions) {
                Set<String> touched = new TreeSet<>(FilterEvaluator::compareCodePoints);
                Set<String> users = new TreeSet<>(FilterEvaluator::compareCodePoints);
                for (RecordRows.Row r : rows) {
                    touched.add(r.id());
                }
                touched.addAll(java.util.Arrays.asList(ids));
                for (MemoryRecord r : upserts) {
                    if (r.userId() != null) {
                        users.add(r.userId());
                    }
                }
                bumpUsers(h, touched.toArray(String[]::new), users.toArray(String[]::new));
            }
            writeRows(h, rows);
            if (ids.length > 0) {
                PgBinder.bindAll(h.createUpdate("DELETE FROM " + table + " WHERE id = ANY(?::text[])"),
                        List.of(new SqlFragment.TextArray(ids))).execute();
            }
            return null;
        });
        if (!rows.isEmpty() && deferred()) {
            indexer.signal();
        }
    }

    private boolean deferred() {
        return config.deferIndexing() && schema.hasVectorIndex();
    }

    /**
     * Adds every row still waiting for the background indexer to the HNSW index now, in the
     * calling thread (rows locked by a concurrent indexer are left to it). Searches are correct
     * either way; this only makes them use the index for those rows.
     *
     * @return how many rows were added to the index
     */
    public long indexPending() {
        return schema.hasVectorIndex() ? indexer.drain() : 0;
    }

    /** @return how many rows are not yet in the HNSW index */
    public long pendingCount() {
        return open().read("pending count", h -> h.createQuery("SELECT count(*) FROM " + table
                + " WHERE NOT indexed").mapTo(Long.class).one());
    }

    private void writeRows(Handle h, List<RecordRows.Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (rows.size() >= copyThreshold) {
            copyMerge(h, rows);
        } else {
            insertRows(h, rows);
        }
    }

    /** Multi-row {@code INSERT ... ON CONFLICT (id) DO UPDATE}, in chunks. */
    private void insertRows(Handle h, List<RecordRows.Row> rows) {
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<RecordRows.Row> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                    .append(String.join(", ", RecordRows.WRITE_COLUMNS)).append(") VALUES ");
            List<Object> params = new ArrayList<>(chunk.size() * RecordRows.WRITE_COLUMNS.size());
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::smallint,"
                        + " ?::timestamptz, ?::smallint, ?::date, ?::text[], ?::jsonb, ?::vector, ?, ?)");
                params.addAll(java.util.Arrays.asList(chunk.get(i).values()));
            }
            sql.append(" ON CONFLICT (id) DO UPDATE SET ").append(upsertSet);
            PgBinder.bindAll(h.createUpdate(sql.toString()), params).execute();
        }
    }

    /** Binary COPY into a temporary table, then one {@code INSERT ... SELECT ... ON CONFLICT}. */
    private void copyMerge(Handle h, List<RecordRows.Row> rows) throws SQLException {
        h.execute("CREATE TEMP TABLE memlayer_stage (LIKE " + table + ") ON COMMIT DROP");
        BinaryCopy.copy(h.getConnection(), "memlayer_stage", rows.iterator());
        String cols = String.join(", ", RecordRows.WRITE_COLUMNS);
        h.execute("INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM memlayer_stage ORDER BY id"
                + " ON CONFLICT (id) DO UPDATE SET " + upsertSet);
        h.execute("DROP TABLE memlayer_stage");
    }

    /**
     * Loads many new records fast, with binary COPY straight into the table, in one transaction
     * (all or nothing; an id that already exists fails the load with a non-retryable
     * StoreException), and returns once they are committed and searchable.
     *
     * <p>Into an empty collection: the secondary indexes are dropped and the rows copied with
     * {@code COPY ... FREEZE} (written all-visible) in one transaction (concurrent searches of this
     * collection wait for the commit); only the primary key is maintained during the load. Then, in
     * the background: the planner statistics ({@code ANALYZE}), the scope B-trees (user, agent,
     * run), the creation-time and pending-row B-trees, the covering scope index and the HNSW index,
     * with {@code CREATE INDEX CONCURRENTLY} (a parallel build with
     * {@link PgVectorConfig#maintenanceWorkMem()}). Until they are valid, searches and lists are
     * exact scans of the table: the same results, only slower (at 100k x 384 the scope B-trees are
     * ready about half a second after the load, the HNSW index about half a minute). {@link #awaitIndexed(Duration)} waits for all
     * of it. Into a non-empty collection: the rows are loaded outside the HNSW index and the
     * background indexer adds them (searches find them exactly meanwhile), and the statistics are
     * refreshed in the background. Statement timeouts do not apply to the load. The phases' times
     * are logged (INFO).
     *
     * @param records the records, iterated once; validated as they stream (a bad one aborts the
     *                load, nothing is written)
     * @return how many records were loaded
     */
    public long bulkLoad(Iterator<MemoryRecord> records) {
        long[] result = new long[1];
        boolean[] rebuilt = new boolean[1];
        indexer.cancelBuild(); // a build of the old contents would only make the load wait for its lock
        long t0 = System.nanoTime();
        open().inTransaction("bulk load", h -> {
            int networkTimeout = h.getConnection().getNetworkTimeout();
            h.getConnection().setNetworkTimeout(Runnable::run, 0);
            try {
                load(h, records, result, rebuilt);
            } finally {
                h.getConnection().setNetworkTimeout(Runnable::run, networkTimeout);
            }
            return null;
        });
        LOG.info("bulk load of {} records into {} committed after {} ms{}", result[0], table,
                (System.nanoTime() - t0) / 1_000_000,
                rebuilt[0] ? "; statistics and the HNSW index follow in the background"
                        : "; statistics follow in the background");
        indexer.requestAnalyze(); // and, after a load into an empty table, the background indexes
        if (deferred()) {
            indexer.signal();
        }
        return result[0];
    }

    /**
     * Waits until every row of the collection is in a valid HNSW index (and the other background
     * indexes are valid and the statistics a bulk load left to the background are in): waits for
     * the background build (starting it when an index is missing), then
     * adds the rows still pending to the HNSW index in the calling thread. Searches are correct
     * without this; it is for callers that want index-speed searches right away (benchmarks measure
     * "load" with {@link #bulkLoad} alone and "load + index" with {@code bulkLoad} then this).
     *
     * @param timeout how long to wait at most
     * @return true when the indexes are complete, false when the timeout passed first
     * @throws dev.memlayer.api.StoreException when the server fails
     */
    public boolean awaitIndexed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!indexer.awaitBuilt(deadline)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        indexPending();
        return true;
    }

    private void load(Handle h, Iterator<MemoryRecord> records, long[] result, boolean[] rebuilt) throws SQLException {
        h.execute("SET LOCAL statement_timeout = 0");
        h.execute("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
        boolean empty = h.createQuery("SELECT NOT EXISTS (SELECT 1 FROM " + table + ")").mapTo(Boolean.class).one();
        long t0 = System.nanoTime();
        if (empty) {
            // truncated in this transaction: COPY FREEZE may write the rows frozen and all-visible
            h.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            h.execute("TRUNCATE " + table);
            List<String> drop = new ArrayList<>(schema.secondaryIndexes().keySet());
            drop.addAll(schema.obsoleteIndexes());
            for (String name : drop) {
                h.execute("DROP INDEX IF EXISTS " + PgSchema.quote(config.schema()) + "." + PgSchema.quote(name));
            }
        }
        boolean indexed = empty || !deferred();
        Iterator<RecordRows.Row> rows = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public RecordRows.Row next() {
                if (!records.hasNext()) {
                    throw new NoSuchElementException();
                }
                return RecordRows.rows(List.of(records.next()), config.dimensions(), indexed).get(0);
            }
        };
        long t1 = System.nanoTime();
        result[0] = BinaryCopy.copy(h.getConnection(), table, rows, empty);
        long t2 = System.nanoTime();
        if (empty) {
            h.execute("SET LOCAL maintenance_work_mem = '" + config.maintenanceWorkMem() + "'");
            for (String ddl : schema.foregroundIndexes().values()) {
                h.execute(ddl);
            }
            rebuilt[0] = true;
        }
        if (versions) {
            bumpEpoch(h);
        }
        long t3 = System.nanoTime();
        LOG.info("bulk load of {} records into {}: {}copy {} ms ({} records/s), foreground indexes {} ms",
                result[0], table, empty ? "truncate + drop indexes " + (t1 - t0) / 1_000_000 + " ms, " : "",
                (t2 - t1) / 1_000_000, result[0] * 1_000_000_000L / Math.max(1, t2 - t1), (t3 - t2) / 1_000_000);
    }

    @Override
    public int delete(Collection<String> ids) {
        String[] storable = storableIds(ids);
        if (storable.length == 0) {
            return 0;
        }
        java.util.Arrays.sort(storable, FilterEvaluator::compareCodePoints);
        return open().write("delete", h -> {
            if (versions) {
                bumpUsers(h, storable, new String[0]);
            }
            return PgBinder.bindAll(h.createUpdate("DELETE FROM " + table + " WHERE id = ANY(?::text[])"),
                    List.of(new SqlFragment.TextArray(storable))).execute();
        });
    }

    @Override
    public List<MemoryRecord> deleteWhere(Filter filter) {
        if (filter == null) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "deleteWhere needs a filter; use reset() to delete everything");
        }
        SqlFragment where = compiler.compile(filter);
        if (where.isFalse()) {
            return List.of();
        }
        return open().write("deleteWhere", h -> {
            List<MemoryRecord> deleted = PgBinder.bindAll(
                            h.createQuery("DELETE FROM " + table + " WHERE " + where.sql() + " RETURNING " + RecordRows.SELECT),
                            where.params())
                    .map(RecordRows.MAPPER).list();
            if (versions) {
                Set<String> users = new TreeSet<>(FilterEvaluator::compareCodePoints);
                for (MemoryRecord r : deleted) {
                    if (r.userId() != null) {
                        users.add(r.userId());
                    }
                }
                if (!users.isEmpty()) {
                    bumpUsers(h, new String[0], users.toArray(String[]::new));
                }
            }
            return deleted;
        });
    }

    @Override
    public void reset() {
        indexer.cancelBuild(); // TRUNCATE would wait for a background index build
        open().write("reset", h -> {
            h.execute("TRUNCATE " + table);
            if (versions) {
                bumpEpoch(h);
            }
            return null;
        });
        indexer.requestBuild(); // a cancelled build left an invalid index: rebuilt (instantly) on the empty table
    }

    /**
     * Bumps the versions of the users owning the rows {@code ids} (their rows are locked first, in
     * id order) and of {@code newUsers}, in the caller's transaction: another process's cache of
     * those users is stale from this transaction's commit on (and a reader's snapshot sees either
     * both the old rows and the old version, or both new).
     */
    private void bumpUsers(Handle h, String[] ids, String[] newUsers) {
        String vt = schema.versionTable();
        PgBinder.bindAll(h.createUpdate("WITH old AS (SELECT user_id FROM " + table
                        + " WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE)"
                        + " INSERT INTO " + vt + " AS v (scope, version) SELECT 'u:' || u, 1 FROM"
                        + " (SELECT user_id FROM old UNION SELECT unnest(?::text[])) s(u) WHERE u IS NOT NULL"
                        + " ORDER BY 1 ON CONFLICT (scope) DO UPDATE SET version = v.version + 1"),
                List.of(new SqlFragment.TextArray(ids), new SqlFragment.TextArray(newUsers))).execute();
    }

    /** Bumps the collection's epoch (every cached user is stale), in the caller's transaction. */
    private void bumpEpoch(Handle h) {
        h.execute("INSERT INTO " + schema.versionTable() + " AS v (scope, version) VALUES ('all', 1)"
                + " ON CONFLICT (scope) DO UPDATE SET version = v.version + 1");
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<MemoryRecord> get(String id) {
        if (id == null || !TextChecks.storable(id)) {
            return Optional.empty();
        }
        return open().read("get", h -> h.createQuery("SELECT " + RecordRows.SELECT_WITH_EMBEDDING + " FROM " + table
                        + " WHERE id = ?")
                .bind(0, id).map(RecordRows.MAPPER_WITH_EMBEDDING).findOne());
    }

    @Override
    public List<MemoryRecord> get(Collection<String> ids) {
        String[] storable = storableIds(ids);
        if (storable.length == 0) {
            return List.of();
        }
        Map<String, MemoryRecord> found = new LinkedHashMap<>();
        open().read("get", h -> PgBinder.bindAll(h.createQuery("SELECT " + RecordRows.SELECT_WITH_EMBEDDING
                        + " FROM " + table + " WHERE id = ANY(?::text[])"), List.of(new SqlFragment.TextArray(storable)))
                .map(RecordRows.MAPPER_WITH_EMBEDDING).list()).forEach(r -> found.put(r.id(), r));
        List<MemoryRecord> out = new ArrayList<>(found.size());
        for (String id : storable) {
            MemoryRecord r = found.get(id);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public List<MemoryRecord> list(Filter filter, long offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new ValidationException(ErrorCode.INVALID_PAGE, "list needs offset >= 0 and limit >= 1, got offset "
                    + offset + ", limit " + limit);
        }
        SqlFragment where = compiler.compile(filter);
        if (where.isFalse()) {
            return List.of();
        }
        return open().read("list", h -> {
            Query q = h.createQuery("SELECT " + RecordRows.SELECT + " FROM " + table + " WHERE " + where.sql()
                    + " ORDER BY created_at DESC, created_at_ns DESC, id LIMIT ? OFFSET ?");
            PgBinder.bindAll(q, where.params());
            return q.bind(where.params().size(), limit).bind(where.params().size() + 1, offset)
                    .map(RecordRows.MAPPER).list();
        });
    }

    @Override
    public long count(Filter filter) {
        SqlFragment where = compiler.compile(filter);
        if (where.isFalse()) {
            return 0;
        }
        return open().read("count", h -> PgBinder.bindAll(
                h.createQuery("SELECT count(*) FROM " + table + " WHERE " + where.sql()), where.params())
                .mapTo(Long.class).one());
    }

    /** Every user, agent and run with memories, from one {@code GROUP BY GROUPING SETS} query. */
    @Override
    public List<EntitySummary> entities() {
        String sql = "SELECT GROUPING(user_id) AS gu, GROUPING(agent_id) AS ga, user_id, agent_id, run_id,"
                + " count(*) AS n,"
                + " min(extract(epoch FROM created_at) * 1000000000 + created_at_ns) AS first_ns,"
                + " max(extract(epoch FROM updated_at) * 1000000000 + updated_at_ns) AS last_ns"
                + " FROM " + table + " GROUP BY GROUPING SETS ((user_id), (agent_id), (run_id))";
        List<EntitySummary> out = open().read("entities", h -> h.createQuery(sql).map((rs, ctx) -> {
            EntityType type = rs.getInt("gu") == 0 ? EntityType.USER : rs.getInt("ga") == 0 ? EntityType.AGENT : EntityType.RUN;
            String id = rs.getString(type.field());
            if (id == null) {
                return null;
            }
            BigDecimal first = rs.getBigDecimal("first_ns");
            BigDecimal last = rs.getBigDecimal("last_ns");
            return new EntitySummary(type, id, rs.getLong("n"), PgTime.fromEpochNanos(first), PgTime.fromEpochNanos(last));
        }).list());
        List<EntitySummary> result = new ArrayList<>();
        for (EntitySummary e : out) {
            if (e != null) {
                result.add(e);
            }
        }
        result.sort(Comparator.comparing(EntitySummary::type).thenComparing(EntitySummary::id));
        return result;
    }

    // ------------------------------------------------------------------ search

    @Override
    public List<ScoredRecord> search(VectorQuery query) {
        PGvector vector = new PGvector(checkVector(query.vector()));
        SqlFragment where = compiler.compile(query.filter());
        if (where.isFalse()) {
            return List.of();
        }
        int limit = query.limit();
        if (scopeCache != null) {
            CachePlan plan = cachePlan(query.filter());
            if (plan != null) {
                List<ScoredRecord> hits = cachedSearch(vector, query.vector(), where, plan, limit);
                if (hits != null) {
                    return hits;
                }
            }
        }
        return open().read("search", h -> {
            if (!schema.hasVectorIndex() || config.exactSearchThreshold() > 0 && smallCollection(h)) {
                return exact(h, vector, where, query.filter(), limit);
            }
            if (!where.isTrue() && config.exactSearchThreshold() > 0) {
                SqlFragment scope = scopeOf(query.filter());
                if (scope != null && countUpTo(h, scope, config.exactSearchThreshold() + 1) <= config.exactSearchThreshold()) {
                    return exact(h, vector, where, query.filter(), limit);
                }
            }
            List<ScoredRecord> hits = ann(h, vector, where, limit);
            return hits.size() < limit ? exact(h, vector, where, query.filter(), limit) : hits;
        });
    }

    // ------------------------------------------------------------------ scope cache

    /**
     * A search the scope cache can serve: pinned to one user_id, with at most the engine's "not
     * expired" condition besides ({@code today}: expiration dates must be after it, null: none).
     */
    private record CachePlan(String user, String today) {
    }

    /** @return the plan, or null when the filter holds anything the cache cannot evaluate */
    private static CachePlan cachePlan(Filter filter) {
        List<Filter> parts = new ArrayList<>();
        flattenAnd(filter, parts);
        String user = null;
        String today = null;
        for (Filter f : parts) {
            if (user == null && f instanceof Filter.Comparison c && c.field().equals(FilterFields.USER_ID)
                    && c.operator() == Operator.EQ && c.value() instanceof String id && TextChecks.storable(id)) {
                user = id;
            } else if (today == null && notExpiredBound(f) != null) {
                today = notExpiredBound(f);
            } else {
                return null;
            }
        }
        return user == null ? null : new CachePlan(user, today);
    }

    private static void flattenAnd(Filter filter, List<Filter> out) {
        if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> flattenAnd(f, out));
        } else if (filter != null) {
            out.add(filter);
        }
    }

    /**
     * The bound {@code b} of the shape {@code OR(NOT EXISTS expiration_date, expiration_date > b)}
     * (either order), whose SQL is {@code expiration_date IS NULL OR to_char(expiration_date,
     * 'YYYY-MM-DD') > b} in code point order; null for any other filter, and for a {@code b} that
     * is not plain storable text.
     */
    private static String notExpiredBound(Filter f) {
        if (!(f instanceof Filter.Or or) || or.filters().size() != 2) {
            return null;
        }
        boolean missing = false;
        String bound = null;
        for (Filter p : or.filters()) {
            if (p instanceof Filter.Not not && not.filter() instanceof Filter.Exists e
                    && e.field().equals(FilterFields.EXPIRATION_DATE)) {
                missing = true;
            } else if (p instanceof Filter.Comparison c && c.field().equals(FilterFields.EXPIRATION_DATE)
                    && c.operator() == Operator.GT && c.value() instanceof String b && TextChecks.storable(b)
                    && !TextChecks.hasUnpairedSurrogate(b)) {
                bound = b;
            }
        }
        return missing ? bound : null;
    }

    /**
     * The exact top {@code limit} through the scope cache, or null when the cache cannot serve it
     * (then the SQL path runs). With a current entry: the half-precision pre-selection
     * ({@link ScopeCache.Entry#candidates}), then one statement that reads the user's version and
     * ranks the candidates by pgvector's exact distance exactly as {@link #exact} does, in one
     * snapshot; the result is used only when that version is the entry's (else the entry is
     * dropped). Without one: a probe of the version and the scope's size; a user seen twice at the
     * same version (so not being written right now) is loaded, in one snapshot with its version.
     */
    private List<ScoredRecord> cachedSearch(PGvector vector, float[] q, SqlFragment where, CachePlan plan, int limit) {
        double inverseNorm = HalfVectors.inverseNorm(q);
        if (inverseNorm == 0) {
            return null;
        }
        Long skipped = notCacheable.get(plan.user());
        if (skipped != null && System.nanoTime() - skipped < SIZE_PROBE_INTERVAL_NANOS) {
            return null;
        }
        float[] unit = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            unit[i] = (float) (q[i] * inverseNorm);
        }
        ScopeCache.Entry entry = scopeCache.get(plan.user());
        if (entry == null) {
            entry = loadIfStable(plan.user());
            if (entry == null) {
                return null;
            }
        }
        String[] candidates = entry.candidates(unit, limit, plan.today(), HalfVectors.errorBound(config.dimensions()));
        if (candidates == null) {
            return null;
        }
        List<ScoredRecord> hits = new ArrayList<>();
        ScopeCache.Version now = open().read("search", h -> rankCandidates(h, vector, where, plan.user(), candidates,
                limit, hits));
        if (!now.equals(entry.version())) {
            scopeCache.remove(plan.user(), entry);
            lastSeen.put(plan.user(), now);
            return null;
        }
        hits.sort(RANKING);
        cacheServed.incrementAndGet();
        return hits;
    }

    private String versionsSelect() {
        String vt = schema.versionTable();
        return "coalesce((SELECT version FROM " + vt + " WHERE scope = 'all'), 0) AS epoch,"
                + " coalesce((SELECT version FROM " + vt + " WHERE scope = 'u:' || ?), 0) AS user_version";
    }

    private static ScopeCache.Version version(java.sql.ResultSet rs) throws SQLException {
        return new ScopeCache.Version(rs.getLong("epoch"), rs.getLong("user_version"));
    }

    /** One statement, one snapshot: the user's version and the candidates' exact top {@code limit}. */
    private ScopeCache.Version rankCandidates(Handle h, PGvector vector, SqlFragment where, String user,
                                              String[] candidates, int limit, List<ScoredRecord> hits) {
        String sql = "SELECT v.epoch, v.user_version, x.* FROM (SELECT " + versionsSelect() + ") v LEFT JOIN ("
                + "SELECT * FROM (SELECT " + RecordRows.SELECT + ", embedding <=> ?::vector AS distance FROM " + table
                + " WHERE id = ANY(?::text[]) AND (" + where.sql() + ")) c ORDER BY " + SCORE_ORDER + " LIMIT ?"
                + ") x ON true";
        List<Object> params = new ArrayList<>();
        params.add(user);
        params.add(vector);
        params.add(new SqlFragment.TextArray(candidates));
        params.addAll(where.params());
        params.add(limit);
        ScopeCache.Version[] version = new ScopeCache.Version[1];
        PgBinder.bindAll(h.createQuery(sql), params).map((rs, ctx) -> {
            version[0] = version(rs);
            if (rs.getString("id") != null) {
                hits.add(hit(rs, ctx));
            }
            return Boolean.TRUE;
        }).list();
        return version[0];
    }

    /**
     * Loads the user's rows into the cache when the user is large enough and was seen at the same
     * version by the previous probe.
     *
     * @return the entry, or null when not (yet) cached
     */
    private ScopeCache.Entry loadIfStable(String user) {
        int max = config.scopeCacheMaxVectors();
        int min = scopeCache.minScope();
        Object[] probe = open().read("scope cache probe", h -> h.createQuery("SELECT " + versionsSelect()
                        + ", (SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE user_id = ? LIMIT ?) s) AS n")
                .bind(0, user).bind(1, user).bind(2, min).map((rs, ctx) -> new Object[] {version(rs), rs.getLong("n")})
                .one());
        ScopeCache.Version version = (ScopeCache.Version) probe[0];
        if ((long) probe[1] < min) {
            notCacheable(user);
            return null;
        }
        if (lastSeen.size() > 100_000) {
            lastSeen.clear();
        }
        if (!version.equals(lastSeen.put(user, version)) && !loadScopesAtOnce) {
            return null; // seen for the first time at this version: maybe being written, not loaded yet
        }
        int dims = config.dimensions();
        String rows = "SELECT NULL::bigint AS epoch, NULL::bigint AS user_version, id,"
                + " to_char(expiration_date, 'YYYY-MM-DD') AS expires, vector_send(embedding) AS vec FROM " + table
                + " WHERE user_id = ?";
        String sql = "SELECT " + versionsSelect() + ", NULL::text AS id, NULL::text AS expires, NULL::bytea AS vec"
                + (schema.hasScopeVectorIndex()
                        ? " UNION ALL (" + rows + " AND " + schema.shortIds() + " LIMIT ?) UNION ALL (" + rows + " AND NOT ("
                                + schema.shortIds() + ") LIMIT ?)"
                        : " UNION ALL (" + rows + " LIMIT ?)");
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        List<String> expires = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        ScopeCache.Version[] loaded = new ScopeCache.Version[1];
        open().read("scope cache load", h -> {
            Query query = h.createQuery(sql).bind(0, user).bind(1, user).bind(2, max + 1);
            if (schema.hasScopeVectorIndex()) {
                query.bind(3, user).bind(4, max + 1);
            }
            return query.map((rs, ctx) -> {
                String id = rs.getString("id");
                if (id == null) {
                    loaded[0] = version(rs);
                    return Boolean.TRUE;
                }
                ids.add(id);
                expires.add(rs.getString("expires"));
                vectors.add(vectorOf(rs.getBytes("vec"), dims));
                return Boolean.TRUE;
            }).list();
        });
        int n = ids.size();
        if (n < min || n > max) {
            notCacheable(user);
            return null;
        }
        short[] halves = new short[Math.toIntExact(HalfVectors.length(n, dims))];
        boolean[] irregular = new boolean[n];
        for (int i = 0; i < n; i++) {
            double inv = HalfVectors.inverseNorm(vectors.get(i));
            irregular[i] = inv == 0;
            HalfVectors.store(halves, i, vectors.get(i), inv);
        }
        ScopeCache.Entry entry = new ScopeCache.Entry(loaded[0], ids.toArray(String[]::new), halves, irregular,
                expires.toArray(String[]::new), dims);
        scopeCache.put(user, entry);
        lastSeen.remove(user);
        LOG.debug("scope cache: loaded {} rows of a user of {} in {} ms", n, table, (System.nanoTime() - t0) / 1_000_000);
        return entry;
    }

    private void notCacheable(String user) {
        if (notCacheable.size() > 100_000) {
            notCacheable.clear();
        }
        notCacheable.put(user, System.nanoTime());
    }

    /** Decodes pgvector's binary form: int16 dimensions, int16 unused, float4 values, big-endian. */
    private static float[] vectorOf(byte[] b, int dims) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        int n = buf.getShort();
        if (n != dims) {
            throw new IllegalStateException("a stored vector has " + n + " dimensions, expected " + dims);
        }
        buf.getShort();
        float[] v = new float[n];
        buf.asFloatBuffer().get(v);
        return v;
    }

    /** Searches the scope cache served (for tests and measurements). */
    final java.util.concurrent.atomic.AtomicLong cacheServed = new java.util.concurrent.atomic.AtomicLong();

    /** @return how many vectors the scope cache holds (0 when disabled) */
    long cachedVectors() {
        return scopeCache == null ? 0 : scopeCache.vectors();
    }

    /**
     * The exact (brute-force) top {@code limit} of a query, never using the HNSW index: the
     * ground truth for measuring recall.
     */
    public List<ScoredRecord> searchExact(VectorQuery query) {
        PGvector vector = new PGvector(checkVector(query.vector()));
        SqlFragment where = compiler.compile(query.filter());
        if (where.isFalse()) {
            return List.of();
        }
        return open().read("search", h -> exact(h, vector, where, query.filter(), query.limit()));
    }

    private float[] checkVector(float[] v) {
        if (v.length != config.dimensions()) {
            throw new ValidationException(ErrorCode.DIMENSION_MISMATCH, "the query vector has " + v.length
                    + " dimensions but the store holds " + config.dimensions());
        }
        for (float f : v) {
            if (Float.isNaN(f) || Float.isInfinite(f)) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "the query vector has a non-finite value");
            }
        }
        return v;
    }

    /**
     * The scope columns the filter pins at its top level (EQ, or IN with string values, reached
     * through ANDs only), as an indexable fragment; null when it pins none.
     */
    private static SqlFragment scopeOf(Filter filter) {
        Map<String, SqlFragment> pins = new LinkedHashMap<>();
        collectPins(filter, pins);
        if (pins.isEmpty()) {
            return null;
        }
        SqlFragment.Builder b = SqlFragment.builder();
        int n = 0;
        for (SqlFragment pin : pins.values()) {
            b.sql(n++ == 0 ? "" : " AND ").frag(pin);
        }
        return b.build();
    }

    private static void collectPins(Filter filter, Map<String, SqlFragment> pins) {
        if (filter instanceof Filter.And and) {
            and.filters().forEach(f -> collectPins(f, pins));
            return;
        }
        if (!(filter instanceof Filter.Comparison c) || !SCOPE_FIELDS.contains(c.field()) || pins.containsKey(c.field())) {
            return;
        }
        if (c.operator() == Operator.EQ && c.value() instanceof String id && TextChecks.storable(id)) {
            pins.put(c.field(), SqlFragment.builder().sql(c.field() + " = ").param(id).build());
        } else if (c.operator() == Operator.IN) {
            List<String> ids = new ArrayList<>();
            for (Object v : (List<?>) c.value()) {
                if (v instanceof String id && TextChecks.storable(id)) {
                    ids.add(id);
                }
            }
            if (!ids.isEmpty()) {
                pins.put(c.field(), SqlFragment.builder().sql(c.field() + " = ANY(")
                        .param(new SqlFragment.TextArray(ids.toArray(String[]::new))).sql("::text[])").build());
            }
        }
    }

    private static final Set<String> SCOPE_FIELDS = Set.of(FilterFields.USER_ID, FilterFields.AGENT_ID, FilterFields.RUN_ID);

    /**
     * Whether the whole collection holds at most min({@link PgVectorConfig#exactSearchThreshold()},
     * {@value #SMALL_COLLECTION}) rows, so that every search is an exact scan. Checked at most every
     * few seconds: from the planner's row estimate when that is clearly large, else with a bounded
     * count.
     */
    private boolean smallCollection(Handle h) {
        long now = System.nanoTime();
        if (now - sizeProbedAt > SIZE_PROBE_INTERVAL_NANOS) {
            int threshold = Math.min(config.exactSearchThreshold(), SMALL_COLLECTION);
            double estimate = h.createQuery("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")
                    .bind(0, table).mapTo(Double.class).findOne().orElse(-1.0);
            small = estimate <= 2.0 * threshold && countUpTo(h, SqlFragment.TRUE, threshold + 1) <= threshold;
            sizeProbedAt = now;
        }
        return small;
    }

    /** How many rows match the scope, counting no further than {@code cap} (bounded cost). */
    private long countUpTo(Handle h, SqlFragment scope, int cap) {
        Query q = h.createQuery("SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + scope.sql() + " LIMIT ?) s");
        PgBinder.bindAll(q, scope.params());
        return q.bind(scope.params().size(), cap).mapTo(Long.class).one();
    }

    /**
     * The exact top {@code limit}: distances of every matching row, ranked, then the winners' rows
     * fetched. When the filter pins user_id and the collection has the covering scope index, the
     * rows are read in two parts, those the covering index holds (an index-only scan: a user's
     * vectors lie on contiguous index pages, not one heap page per row) and the rest (rows with
     * very long ids, through their own small index).
     */
    private List<ScoredRecord> exact(Handle h, PGvector vector, SqlFragment where, Filter filter, int limit) {
        SqlFragment sql = exactSql(vector, where, filter, limit);
        List<ScoredRecord> hits = PgBinder.bindAll(h.createQuery(sql.sql()), sql.params()).map(PgVectorStore::hit).list();
        List<ScoredRecord> sorted = new ArrayList<>(hits);
        sorted.sort(RANKING);
        return sorted;
    }

    /**
     * The plan PostgreSQL chooses for the exact search of {@code query} ({@code EXPLAIN}, not
     * executed): for tests and measurements that check which index a search reads.
     */
    String explainExact(VectorQuery query) {
        PGvector vector = new PGvector(checkVector(query.vector()));
        SqlFragment where = compiler.compile(query.filter());
        SqlFragment sql = exactSql(vector, where, query.filter(), query.limit());
        return open().read("explain", h -> String.join("\n", PgBinder.bindAll(h.createQuery("EXPLAIN " + sql.sql()),
                sql.params()).mapTo(String.class).list()));
    }

    private SqlFragment exactSql(PGvector vector, SqlFragment where, Filter filter, int limit) {
        Map<String, SqlFragment> pins = new LinkedHashMap<>();
        if (filter != null) {
            collectPins(filter, pins);
        }
        boolean split = schema.hasScopeVectorIndex() && pins.containsKey(FilterFields.USER_ID);
        List<Object> params = new ArrayList<>();
        String rows;
        if (split) {
            rows = "SELECT id, embedding <=> ?::vector AS distance FROM " + table + " WHERE (" + where.sql() + ") AND "
                    + schema.shortIds() + " OFFSET 0) UNION ALL (SELECT id, embedding <=> ?::vector AS distance FROM "
                    + table + " WHERE (" + where.sql() + ") AND NOT (" + schema.shortIds() + ") OFFSET 0";
            params.add(vector);
            params.addAll(where.params());
        } else {
            rows = "SELECT id, embedding <=> ?::vector AS distance FROM " + table + " WHERE " + where.sql() + " OFFSET 0";
        }
        String sql = "SELECT " + RecordRows.select("t.", false) + ", top.distance FROM ("
                + "SELECT id, distance FROM ((" + rows + ")) d ORDER BY " + SCORE_ORDER + " LIMIT ?"
                + ") top JOIN " + table + " t ON t.id = top.id";
        params.add(vector);
        params.addAll(where.params());
        params.add(limit);
        return new SqlFragment(sql, params);
    }

    /**
     * HNSW search of the indexed rows (iterative scan, {@code window} candidates re-ranked here)
     * together with an exact search of the rows still waiting for the background indexer, in one
     * statement.
     */
    private List<ScoredRecord> ann(Handle h, PGvector vector, SqlFragment where, int limit) {
        int window = limit + ANN_SLACK;
        String exactScore = "CASE WHEN (embedding <=> ?::vector) = 'NaN'::float8 THEN 0"
                + " ELSE greatest(0, least(1, 1 - (embedding <=> ?::vector))) END DESC, id";
        while (true) {
            String sql = "(SELECT " + RecordRows.SELECT + ", embedding <=> ?::vector AS distance, false AS pending FROM "
                    + table + " WHERE indexed AND (" + where.sql() + ") ORDER BY " + schema.indexedDistance()
                    + " LIMIT ?) UNION ALL (SELECT " + RecordRows.SELECT
                    + ", embedding <=> ?::vector AS distance, true AS pending FROM " + table + " WHERE NOT indexed AND ("
                    + where.sql() + ") ORDER BY " + exactScore + " LIMIT ?)";
            List<Object> params = new ArrayList<>();
            params.add(vector);
            params.addAll(where.params());
            params.add(vector);
            params.add(window);
            params.add(vector);
            params.addAll(where.params());
            params.add(vector);
            params.add(vector);
            params.add(limit);
            List<Ranked> rows = annQuery(h, sql, params);
            List<ScoredRecord> hits = new ArrayList<>(rows.size());
            ScoredRecord lastIndexed = null;
            int indexedRows = 0;
            for (Ranked r : rows) {
                hits.add(r.hit());
                if (!r.pending()) {
                    indexedRows++;
                    if (lastIndexed == null || RANKING.compare(r.hit(), lastIndexed) > 0) {
                        lastIndexed = r.hit();
                    }
                }
            }
            hits.sort(RANKING);
            if (hits.size() <= limit) {
                return hits;
            }
            // a tie that reaches past the index's window could hide records with a smaller id: widen
            if (indexedRows >= window && lastIndexed != null && hits.get(limit - 1).score() == lastIndexed.score()
                    && window < MAX_ANN_WINDOW) {
                window = Math.min(MAX_ANN_WINDOW, window * 4);
                continue;
            }
            return new ArrayList<>(hits.subList(0, limit));
        }
    }

    private record Ranked(ScoredRecord hit, boolean pending) {
    }

    private List<Ranked> annQuery(Handle h, String sql, List<Object> params) {
        org.jdbi.v3.core.mapper.RowMapper<Ranked> mapper = (rs, ctx) -> new Ranked(hit(rs, ctx), rs.getBoolean("pending"));
        if (client.sessionDefaults()) {
            return PgBinder.bindAll(h.createQuery(sql), params).map(mapper).list();
        }
        return h.inTransaction(tx -> {
            tx.execute(annSettings, String.valueOf(config.efSearch()), String.valueOf(config.maxScanTuples()));
            return PgBinder.bindAll(tx.createQuery(sql), params).map(mapper).list();
        });
    }

    private static ScoredRecord hit(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws SQLException {
        double distance = rs.getDouble("distance");
        return new ScoredRecord(RecordRows.map(rs, false), ScoredRecord.similarity(1 - distance));
    }

    // ------------------------------------------------------------------ scope locks, lifecycle

    /**
     * Holds transaction-scoped PostgreSQL advisory locks, one per scope id (a 64-bit hash of
     * collection, field and id, taken in ascending order), while {@code work} runs: reconciliation
     * of a scope is serialised across every process using this collection, and two scopes sharing
     * an id (user {@code alex}, and user {@code alex} with agent {@code travel}) exclude each other.
     * The locks live on a connection of a separate small pool, so the work's own queries never wait
     * for it; waits at most {@link PgVectorConfig#scopeLockTimeout()}.
     */
    @Override
    public <T> T withScopeLock(Scope scope, Supplier<T> work) {
        Set<Long> keys = new TreeSet<>();
        scope.asMap().forEach((field, id) -> keys.add(
                PgClient.lockKey("memlayer:" + config.schema() + "." + config.table() + ":" + field + "=" + id)));
        if (keys.isEmpty()) {
            return work.get();
        }
        return open().withAdvisoryLocks(List.copyOf(keys), work);
    }

    private PgClient open() {
        if (closed.get()) {
            throw new IllegalStateException("this " + getClass().getSimpleName() + " is closed");
        }
        return client;
    }

    /** Releases this store's hold on the connection pool (closed once the history store is closed too). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            indexer.close();
            client.release();
        }
    }

    private static String[] storableIds(Collection<String> ids) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            if (id != null && TextChecks.storable(id)) {
                out.add(id);
            }
        }
        return out.toArray(String[]::new);
    }
}

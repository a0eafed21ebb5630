package dev.memlayer.store.pgvector.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves written rows into the HNSW index in the background. Writes store rows with
 * {@code indexed = false}: they are outside the partial HNSW index ({@code WHERE indexed}), so a
 * write costs only its B-tree entries, and searches find them with an exact scan of the pending
 * rows. This thread promotes pending rows in small transactions ({@code UPDATE ... SET indexed =
 * true} on rows claimed with {@code FOR UPDATE SKIP LOCKED}, so several processes share the work
 * and never block writers for long). It wakes when this process writes, and polls otherwise; a
 * failure (server down) backs off and retries. If no indexer runs at all, nothing is lost: pending
 * rows stay searchable exactly.
 *
 * <p>The same thread builds the {@linkplain PgSchema#backgroundIndexes() background indexes} (HNSW,
 * covering scope index) when they are missing or invalid, with {@code CREATE INDEX CONCURRENTLY}
 * (writes and searches go on meanwhile; searches are exact scans until the index is valid). One
 * builder per collection across processes: it holds a session advisory lock while building, and an
 * invalid index nobody is building (a crashed or cancelled build) is dropped and built again.
 * Indexes that newer ones replace are dropped concurrently once those are valid. Before building,
 * it refreshes the planner statistics when asked to ({@link #requestAnalyze}, after a bulk load).
 */
public final class PgIndexer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PgIndexer.class);

    private final PgClient client;
    private final String promoteSql;
    private final String promoteWaitingSql;
    private final int batchSize;
    private final long idlePollMillis;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object signal = new Object();
    private boolean signalled;
    private Thread thread;
    private final String schemaName;
    private final Map<String, String> backgroundIndexes;
    private final java.util.List<String> obsoleteIndexes;
    private final String maintenanceWorkMem;
    private final long buildLock;
    /** The quoted table, for ANALYZE. */
    private final String table;
    /** Set by {@link #requestAnalyze}; cleared once an ANALYZE has run after the request. */
    private volatile boolean analyzeWanted;
    /** Set when the background indexes may need a build; cleared once all are valid. */
    private volatile boolean buildWanted = true;
    /** The server process running a build, 0 when none (for {@link #cancelBuild}). */
    private volatile int buildPid;
    /** Set by {@link #cancelBuild}: the next build failure is that cancellation, not an outage. */
    private volatile boolean cancelled;
    private final Object built = new Object();

    /**
     * @param client    the connections
     * @param table     the quoted table name
     * @param batchSize rows promoted per transaction
     * @param idlePoll  how often to look for rows written by other processes
     */
    public PgIndexer(PgClient client, String table, int batchSize, Duration idlePoll) {
        this(client, table, batchSize, idlePoll, "public", Map.of(), java.util.List.of(), "512MB");
    }

    /**
     * @param client             the connections
     * @param table              the quoted table name
     * @param batchSize          rows promoted per transaction
     * @param idlePoll           how often to look for rows written by other processes
     * @param schemaName         the (unquoted) schema holding the indexes
     * @param backgroundIndexes  index name (unquoted) to its {@code CREATE INDEX IF NOT EXISTS} DDL
     * @param obsoleteIndexes    indexes (unquoted names) the background indexes replace: dropped
     *                           concurrently once those are valid
     * @param maintenanceWorkMem {@code maintenance_work_mem} for the builds
     */
    public PgIndexer(PgClient client, String table, int batchSize, Duration idlePoll, String schemaName,
                     Map<String, String> backgroundIndexes, java.util.List<String> obsoleteIndexes,
                     String maintenanceWorkMem) {
        this.schemaName = schemaName;
        this.backgroundIndexes = new LinkedHashMap<>(backgroundIndexes);
        this.obsoleteIndexes = java.util.List.copyOf(obsoleteIndexes);
        this.maintenanceWorkMem = maintenanceWorkMem;
        this.buildLock = PgClient.lockKey("memlayer-index-build:" + table);
        this.table = table;
        this.client = client;
        this.batchSize = batchSize;
        this.idlePollMillis = idlePoll.toMillis();
        this.promoteSql = "UPDATE " + table + " SET indexed = true WHERE id IN (SELECT id FROM " + table
                + " WHERE NOT indexed LIMIT ? FOR UPDATE SKIP LOCKED)";
        this.promoteWaitingSql = "UPDATE " + table + " SET indexed = true WHERE id IN (SELECT id FROM " + table
                + " WHERE NOT indexed ORDER BY id LIMIT ? FOR UPDATE)";
    }

    /** Starts the background thread (a daemon). */
    public synchronized void start(String name) {
        if (thread == null && !closed.get()) {
            thread = Thread.ofPlatform().daemon().name(name).start(this::run);
        }
    }

    /** Wakes the thread: rows were written. */
    public void signal() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    /**
     * Promotes up to one batch of pending rows in the calling thread.
     *
     * @return how many rows entered the HNSW index
     */
    public int promoteOnce() {
        return client.withHandle("HNSW indexing", h -> h.createUpdate(promoteSql).bind(0, batchSize).execute());
    }

    /**
     * Promotes pending rows until none is left, waiting for rows that another indexer or writer
     * holds locked (they are re-checked once released).
     *
     * @return how many rows this call promoted
     */
    public long drain() {
        long total = 0;
        int n;
        do {
            n = client.withHandle("HNSW indexing", h -> h.createUpdate(promoteWaitingSql).bind(0, batchSize).execute());
            total += n;
        } while (n > 0);
        return total;
    }

    /** Asks the thread to check the background indexes and build those missing or invalid. */
    public void requestBuild() {
        buildWanted = true;
        signal();
    }

    /**
     * Asks the thread to refresh the planner statistics ({@code ANALYZE}) before it builds the
     * missing indexes: a bulk load returns without them, and the planner meanwhile works from the
     * row and page counts the load's index builds recorded (so scoped searches still use the scope
     * B-trees). {@link #awaitBuilt} also waits for this.
     */
    public void requestAnalyze() {
        analyzeWanted = true;
        requestBuild();
    }

    /**
     * Cancels a background build running in this process, if any (it is retried by the thread);
     * used before statements that would otherwise wait for it (TRUNCATE, a bulk load's DDL).
     */
    public void cancelBuild() {
        int pid = buildPid;
        if (pid != 0) {
            cancelled = true;
            client.withHandle("cancel index build", h -> h.createQuery("SELECT pg_cancel_backend(?)").bind(0, pid)
                    .mapTo(Boolean.class).one());
        }
    }

    /**
     * Whether every background index exists and is valid, and no obsolete index is left.
     *
     * @return true when no build is needed
     */
    public boolean indexesValid() {
        if (backgroundIndexes.isEmpty() && obsoleteIndexes.isEmpty()) {
            return true;
        }
        return client.withHandle("index state", h -> {
            for (String name : backgroundIndexes.keySet()) {
                if (!Boolean.TRUE.equals(valid(h, name))) {
                    return false;
                }
            }
            for (String name : obsoleteIndexes) {
                if (valid(h, name) != null) {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * Waits until every background index is valid (asking this thread to build them), polling for
     * builds run by other processes.
     *
     * @param deadlineNanos the {@link System#nanoTime()} to give up at
     * @return whether the indexes are valid
     * @throws InterruptedException when interrupted
     */
    public boolean awaitBuilt(long deadlineNanos) throws InterruptedException {
        while (true) {
            if (!analyzeWanted && indexesValid()) {
                return true;
            }
            requestBuild();
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || closed.get()) {
                return false;
            }
            synchronized (built) {
                built.wait(Math.max(1, Math.min(left / 1_000_000, 200)));
            }
        }
    }

    /** @return null when the index does not exist, else whether it is valid */
    private Boolean valid(Handle h, String name) {
        return h.createQuery("SELECT i.indisvalid AND i.indisready FROM pg_index i WHERE i.indexrelid = to_regclass(?)")
                .bind(0, PgSchema.quote(schemaName) + "." + PgSchema.quote(name)).mapTo(Boolean.class).findOne()
                .orElse(null);
    }

    /**
     * Builds the missing or invalid background indexes, unless another process holds the build lock.
     *
     * @return whether all are valid now
     */
    private boolean buildIndexes() {
        if (analyzeWanted) {
            analyze();
        }
        if (indexesValid()) {
            return true;
        }
        return client.withHandle("index build", h -> {
            boolean locked = h.createQuery("SELECT pg_try_advisory_lock(?)").bind(0, buildLock).mapTo(Boolean.class).one();
            if (!locked) {
                return false; // another process is building
            }
            Connection c = h.getConnection();
            int networkTimeout = c.getNetworkTimeout();
            try {
                c.setNetworkTimeout(Runnable::run, 0);
                h.execute("SET statement_timeout = 0");
                h.execute("SET maintenance_work_mem = '" + maintenanceWorkMem + "'");
                buildPid = h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
                for (var e : backgroundIndexes.entrySet()) {
                    if (closed.get()) {
                        return false;
                    }
                    Boolean state = valid(h, e.getKey());
                    if (Boolean.TRUE.equals(state)) {
                        continue;
                    }
                    String qualified = PgSchema.quote(schemaName) + "." + PgSchema.quote(e.getKey());
                    if (state != null) {
                        // invalid and nobody builds it (we hold the lock): a failed or cancelled build
                        h.execute("DROP INDEX CONCURRENTLY IF EXISTS " + qualified);
                    }
                    long t0 = System.nanoTime();
                    h.execute(e.getValue().replaceFirst("^CREATE INDEX ", "CREATE INDEX CONCURRENTLY "));
                    LOG.info("built index {} in {} ms (in the background)", qualified, (System.nanoTime() - t0) / 1_000_000);
                }
                for (String name : obsoleteIndexes) {
                    if (closed.get()) {
                        return false;
                    }
                    if (valid(h, name) != null) {
                        h.execute("DROP INDEX CONCURRENTLY IF EXISTS " + PgSchema.quote(schemaName) + "." + PgSchema.quote(name));
                        LOG.info("dropped the obsolete index {}.{} (replaced)", schemaName, name);
                    }
                }
                return true;
            } finally {
                buildPid = 0;
                try {
                    h.execute("RESET statement_timeout");
                    h.execute("RESET maintenance_work_mem");
                    h.createQuery("SELECT pg_advisory_unlock(?)").bind(0, buildLock).mapTo(Boolean.class).one();
                    c.setNetworkTimeout(Runnable::run, networkTimeout);
                } catch (RuntimeException | SQLException e) {
                    LOG.debug("could not reset the index build session: {}", e.getMessage());
                }
            }
        });
    }

    /** Runs {@code ANALYZE} on the table (no statement timeout; cancellable like a build). */
    private void analyze() {
        client.withHandle("analyze", h -> {
            Connection c = h.getConnection();
            int networkTimeout = c.getNetworkTimeout();
            try {
                c.setNetworkTimeout(Runnable::run, 0);
                h.execute("SET statement_timeout = 0");
                buildPid = h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
                analyzeWanted = false; // a request arriving from here on runs another ANALYZE
                long t0 = System.nanoTime();
                try {
                    h.execute("ANALYZE " + table);
                } catch (RuntimeException e) {
                    analyzeWanted = true;
                    throw e;
                }
                LOG.info("analyzed {} in {} ms (in the background)", table, (System.nanoTime() - t0) / 1_000_000);
                return null;
            } finally {
                buildPid = 0;
                try {
                    h.execute("RESET statement_timeout");
                    c.setNetworkTimeout(Runnable::run, networkTimeout);
                } catch (RuntimeException | SQLException e) {
                    LOG.debug("could not reset the analyze session: {}", e.getMessage());
                }
            }
        });
    }

    private void run() {
        long backoff = 0;
        while (!closed.get()) {
            try {
                if (buildWanted) {
                    buildWanted = false;
                    boolean done;
                    try {
                        done = buildIndexes();
                    } finally {
                        synchronized (built) {
                            built.notifyAll();
                        }
                    }
                    if (!done) {
                        buildWanted = true; // another process builds (or we closed): look again later
                    }
                }
                int n = promoteOnce();
                if (backoff > 0) {
                    LOG.info("HNSW indexing of {} resumed", promoteSql.substring(7, promoteSql.indexOf(" SET")));
                }
                backoff = 0;
                if (n >= batchSize) {
                    continue;
                }
                await(buildWanted ? Math.min(idlePollMillis, 500) : idlePollMillis);
            } catch (RuntimeException e) {
                if (closed.get()) {
                    break;
                }
                buildWanted = true;
                synchronized (built) {
                    built.notifyAll();
                }
                if (cancelled) {
                    cancelled = false;
                    LOG.info("background index build cancelled; it starts again on the current rows");
                    await(100);
                    continue;
                }
                if (backoff == 0) {
                    LOG.warn("Background HNSW indexing failed, retrying with backoff (pending rows stay searchable): {}",
                            e.getMessage());
                }
                backoff = Math.min(30_000, Math.max(250, backoff * 2));
                await(backoff);
            }
        }
    }

    private void await(long millis) {
        synchronized (signal) {
            if (!signalled && !closed.get()) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed.set(true);
                }
            }
            signalled = false;
        }
    }

    /** Stops the thread and waits briefly for a running batch to finish. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            signal();
            Thread t;
            synchronized (this) {
                t = thread;
            }
            if (t != null) {
                try {
                    t.join(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}

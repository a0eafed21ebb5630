package dev.memlayer.store.pgvector.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.memlayer.api.StoreException;
import dev.memlayer.store.pgvector.PgVectorConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.HandleCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one store: a HikariCP pool (or the caller's data source), a Jdbi over it, a
 * second small pool for scope locks, and a reference count so that a vector store and the history
 * store sharing the pool close it once, when the last one closes.
 *
 * <p>Own pools fail fast: {@code connectTimeout} bounds the wait for a connection (pool or server),
 * the server's {@code statement_timeout} bounds each statement, and the driver's socket timeout
 * (statement timeout + max(2 s, 25%)) bounds a silent network. Broken connections are evicted by the pool,
 * which reconnects on its own once the server is back. Each own connection starts with
 * {@code hnsw.ef_search}, {@code hnsw.iterative_scan = relaxed_order} and
 * {@code hnsw.max_scan_tuples} set, so a search is one round trip.
 */
public final class PgClient {

    private static final Logger LOG = LoggerFactory.getLogger(PgClient.class);

    private final PgVectorConfig config;
    private final HikariDataSource pool;
    private final HikariDataSource lockPool;
    private final DataSource lockDataSource;
    private final Jdbi jdbi;
    private final Semaphore lockPermits;
    private final boolean sessionDefaults;
    private final AtomicInteger references = new AtomicInteger(1);

    private PgClient(PgVectorConfig config, HikariDataSource pool, HikariDataSource lockPool, DataSource dataSource,
                     DataSource lockDataSource) {
        this.config = config;
        this.pool = pool;
        this.lockPool = lockPool;
        this.lockDataSource = lockDataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.lockPermits = new Semaphore(config.poolSize(), true);
        this.sessionDefaults = pool != null;
    }

    /**
     * Opens the pools (no connection is made yet).
     *
     * @param config the configuration
     * @return a client with one reference
     */
    public static PgClient open(PgVectorConfig config) {
        if (config.dataSource() != null) {
            return new PgClient(config, null, null, config.dataSource(), config.dataSource());
        }
        HikariDataSource pool = new HikariDataSource(hikari(config, "memlayer-pg-" + config.table(),
                config.poolSize(), Math.min(2, config.poolSize()), config.statementTimeout().toMillis(), true));
        HikariDataSource locks = new HikariDataSource(hikari(config, "memlayer-pg-locks-" + config.table(),
                config.poolSize(), 0, config.scopeLockTimeout().toMillis(), false));
        return new PgClient(config, pool, locks, pool, locks);
    }

    private static HikariConfig hikari(PgVectorConfig config, String name, int max, int minIdle,
                                       long statementBudgetMillis, boolean searchDefaults) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            h.setUsername(config.user());
        }
        if (config.password() != null) {
            h.setPassword(config.password());
        }
        h.setMaximumPoolSize(max);
        h.setMinimumIdle(minIdle);
        h.setIdleTimeout(60_000);
        h.setMaxLifetime(30 * 60_000);
        h.setKeepaliveTime(60_000);
        long connectMillis = config.connectTimeout().toMillis();
        h.setConnectionTimeout(connectMillis);
        h.setValidationTimeout(Math.max(250, Math.min(connectMillis - 1, 5_000)));
        h.setInitializationFailTimeout(-1); // the first statement reports an unreachable server
        long connectSeconds = Math.max(1, (connectMillis + 999) / 1000);
        h.addDataSourceProperty("connectTimeout", String.valueOf(connectSeconds));
        h.addDataSourceProperty("loginTimeout", String.valueOf(connectSeconds));
        // the server's statement_timeout fires first; the socket timeout only catches a silent network
        long socketMillis = statementBudgetMillis + Math.max(2_000, statementBudgetMillis / 4);
        h.addDataSourceProperty("socketTimeout", String.valueOf((socketMillis + 999) / 1000));
        h.addDataSourceProperty("tcpKeepAlive", "true");
        h.addDataSourceProperty("ApplicationName", "memlayer");
        // plans are made for the actual values: a cached generic plan for "user_id = $1 ORDER BY embedding <=> $2"
        // cannot tell a 50-row scope (exact scan) from a 10,000-row one (HNSW walk)
        StringBuilder options = new StringBuilder("-c statement_timeout=").append(config.statementTimeout().toMillis())
                .append(" -c plan_cache_mode=force_custom_plan")
                // short statements: compiling an expensive exact scan (cost > jit_above_cost) costs more than it saves
                .append(" -c jit=off");
        if (searchDefaults) {
            options.append(" -c hnsw.ef_search=").append(config.efSearch())
                    .append(" -c hnsw.iterative_scan=relaxed_order")
                    .append(" -c hnsw.max_scan_tuples=").append(config.maxScanTuples());
        }
        h.addDataSourceProperty("options", options.toString());
        return h;
    }

    /** @return the configuration */
    public PgVectorConfig config() {
        return config;
    }

    /** @return the Jdbi over the main pool */
    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * @return true when every connection already carries the HNSW search settings; false for a
     *         caller's data source, where searches set them per transaction
     */
    public boolean sessionDefaults() {
        return sessionDefaults;
    }

    /**
     * Runs {@code callback} with a handle; failures become {@link StoreException}s (memlayer's own
     * exceptions pass unchanged).
     */
    public <T> T withHandle(String operation, HandleCallback<T, Exception> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (Exception e) {
            throw PgErrors.translate(operation, e);
        }
    }

    /** Like {@link #withHandle} in one transaction (rolled back on any failure). */
    public <T> T inTransaction(String operation, HandleCallback<T, Exception> callback) {
        try {
            return jdbi.inTransaction(callback);
        } catch (Exception e) {
            throw PgErrors.translate(operation, e);
        }
    }

    /**
     * Runs a read-only {@code callback}. When it fails because the connection was broken (a pooled
     * connection that died with a server restart or a network cut: SQLState 08xxx or 57P01-57P03,
     * not a timeout), it runs once more on a fresh connection, so the first call after an outage
     * does not fail needlessly.
     */
    public <T> T read(String operation, HandleCallback<T, Exception> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (Exception e) {
            if (!PgErrors.isBrokenConnection(e)) {
                throw PgErrors.translate(operation, e);
            }
            LOG.debug("{} failed on a broken connection, retrying once: {}", operation, e.getMessage());
            try {
                return jdbi.withHandle(callback);
            } catch (Exception again) {
                throw PgErrors.translate(operation, again);
            }
        }
    }

    /**
     * Runs {@code callback} in one transaction. The whole transaction runs again when the server
     * aborted it for a deadlock or a serialization failure (up to 3 attempts), or when the
     * connection broke before the callback finished (once): in both cases nothing was committed.
     * A failure during COMMIT is never retried. Only for idempotent callbacks.
     */
    public <T> T write(String operation, HandleCallback<T, Exception> callback) {
        for (int attempt = 1; ; attempt++) {
            boolean[] finished = {false};
            try {
                return jdbi.inTransaction(h -> {
                    T result = callback.withHandle(h);
                    finished[0] = true;
                    return result;
                });
            } catch (Exception e) {
                boolean conflict = PgErrors.isTransactionConflict(e) && attempt < 3;
                boolean broken = !finished[0] && PgErrors.isBrokenConnection(e) && attempt < 2;
                if (!conflict && !broken) {
                    throw PgErrors.translate(operation, e);
                }
                LOG.debug("{} failed ({}), retrying the transaction (attempt {}): {}", operation,
                        conflict ? "transaction conflict" : "broken connection", attempt, e.getMessage());
                if (conflict) {
                    try {
                        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 50L * attempt));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw PgErrors.translate(operation, e);
                    }
                }
            }
        }
    }

    /**
     * Runs {@code work} while holding transaction-scoped advisory locks on {@code keys} (taken in
     * ascending order, so two callers with overlapping keys never deadlock) on a connection of the
     * lock pool; the locks are released when that transaction ends, or by the server if the
     * connection dies. Waits at most {@code scopeLockTimeout} for a lock.
     *
     * Re-entrant per thread: keys this thread already holds are not taken again.
     *
     * @param keys  lock keys, sorted ascending and distinct
     * @param work  runs while the locks are held; its exceptions propagate unchanged
     * @throws StoreException (retryable) when the locks cannot be taken in time or the server is
     *                        unreachable
     */
    public <T> T withAdvisoryLocks(List<Long> keys, Supplier<T> work) {
        Set<Long> held = HELD.get();
        List<Long> missing = keys.stream().filter(k -> !held.contains(k)).toList();
        if (missing.isEmpty()) {
            return work.get(); // re-entrant: this thread already holds them
        }
        return lockAndRun(missing, () -> {
            held.addAll(missing);
            try {
                return work.get();
            } finally {
                missing.forEach(held::remove);
            }
        });
    }

    /** The advisory lock keys the current thread holds through {@link #withAdvisoryLocks}. */
    private static final ThreadLocal<Set<Long>> HELD = ThreadLocal.withInitial(java.util.HashSet::new);

    private <T> T lockAndRun(List<Long> keys, Supplier<T> work) {
        long timeout = config.scopeLockTimeout().toMillis();
        try {
            if (!lockPermits.tryAcquire(timeout, TimeUnit.MILLISECONDS)) {
                throw new StoreException("Timed out after " + timeout + " ms waiting for one of " + config.poolSize()
                        + " scope-lock connections; raise poolSize or scopeLockTimeout", true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for a scope lock", true, e);
        }
        try {
            Connection c;
            try {
                c = lockDataSource.getConnection();
            } catch (SQLException e) {
                throw PgErrors.translate("scope lock", e);
            }
            try (c) {
                try {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        s.execute("SET LOCAL statement_timeout = " + timeout);
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        for (long key : keys) {
                            ps.setLong(1, key);
                            ps.execute();
                        }
                    }
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    throw PgErrors.translate("scope lock", e);
                }
                T result;
                try {
                    result = work.get();
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    // the connection died while the work ran: the server released the locks then
                    LOG.warn("Scope lock connection failed before release; the work completed but its lock may have"
                            + " lapsed early: {}", e.getMessage());
                }
                return result;
            } catch (SQLException e) {
                LOG.debug("closing a scope lock connection failed: {}", e.getMessage());
                throw PgErrors.translate("scope lock", e);
            }
        } finally {
            lockPermits.release();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback of a scope lock transaction failed: {}", e.getMessage());
        }
    }

    /**
     * A stable 64-bit advisory lock key for a string: the first 8 bytes of its SHA-256.
     *
     * @param text e.g. {@code "memlayer:public.memories:user_id=alex"}
     */
    public static long lockKey(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a reference (a store sharing this client). */
    public PgClient retain() {
        if (references.getAndUpdate(n -> n == 0 ? 0 : n + 1) == 0) {
            throw new IllegalStateException("this PostgreSQL client is closed");
        }
        return this;
    }

    /** Drops a reference; the last one closes the own pools (a caller's data source stays open). */
    public void release() {
        if (references.updateAndGet(n -> Math.max(0, n - 1)) == 0) {
            if (pool != null) {
                pool.close();
            }
            if (lockPool != null) {
                lockPool.close();
            }
        }
    }

    /** @return true once every reference has been released */
    public boolean isClosed() {
        return references.get() == 0;
    }
}

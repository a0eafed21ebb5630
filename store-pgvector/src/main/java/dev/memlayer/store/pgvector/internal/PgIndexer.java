package dev.memlayer.store.pgvector.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * @param client    the connections
     * @param table     the quoted table name
     * @param batchSize rows promoted per transaction
     * @param idlePoll  how often to look for rows written by other processes
     */
    public PgIndexer(PgClient client, String table, int batchSize, Duration idlePoll) {
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

    private void run() {
        long backoff = 0;
        while (!closed.get()) {
            try {
                int n = promoteOnce();
                if (backoff > 0) {
                    LOG.info("HNSW indexing of {} resumed", promoteSql.substring(7, promoteSql.indexOf(" SET")));
                }
                backoff = 0;
                if (n >= batchSize) {
                    continue;
                }
                await(idlePollMillis);
            } catch (RuntimeException e) {
                if (closed.get()) {
                    break;
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

package dev.memlayer.store.redis.internal;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that moves a collection's pending vectors into their vector sets: woken after
 * each write (and when a store opens a collection), it runs index steps until none are left.
 * A failing step (Redis down, an error the server reports) is logged and retried after a pause
 * that doubles from {@value #FIRST_PAUSE_MS} ms up to {@value #MAX_PAUSE_MS} ms; the pending
 * vectors stay searchable meanwhile, and upserts over the backlog bound index themselves, so a
 * failure that lasts reaches their callers as an exception.
 */
public final class BackgroundIndexer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundIndexer.class);
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 30_000;

    private final String name;
    private final LongSupplier step;
    private final Duration joinTimeout;
    private final Object monitor = new Object();
    private Thread thread;
    private boolean signalled;
    private volatile boolean stopped;

    /**
     * @param name        the collection, for the thread name and log lines
     * @param step        runs one index step and returns how many pending vectors are left
     *                    (negative: nothing could be indexed, stop until the next signal)
     * @param joinTimeout how long {@link #close()} waits for a step in flight
     */
    public BackgroundIndexer(String name, LongSupplier step, Duration joinTimeout) {
        this.name = name;
        this.step = step;
        this.joinTimeout = joinTimeout;
    }

    /** Asks for a pass over the pending vectors; starts the thread on first use. */
    public void wake() {
        synchronized (monitor) {
            if (stopped) {
                return;
            }
            signalled = true;
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("memlayer-redis-indexer-" + name).start(this::run);
            }
            monitor.notifyAll();
        }
    }

    private void run() {
        long pause = 0;
        while (!stopped) {
            synchronized (monitor) {
                while (!signalled && !stopped) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                signalled = false;
            }
            try {
                long left;
                do {
                    left = step.getAsLong();
                } while (left > 0 && !stopped);
                pause = 0;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                pause = pause == 0 ? FIRST_PAUSE_MS : Math.min(MAX_PAUSE_MS, pause * 2);
                LOG.warn("indexing the pending vectors of Redis collection {} failed; retrying in {} ms: {}",
                        name, pause, e.getMessage());
                LOG.debug("indexing failure", e);
                synchronized (monitor) {
                    signalled = true;
                    try {
                        monitor.wait(pause);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** Stops the thread, waiting up to the join timeout for a step in flight. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (monitor) {
            stopped = true;
            monitor.notifyAll();
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(joinTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

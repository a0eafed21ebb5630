package dev.memlayer.cli.internal;

import dev.memlayer.cli.locomo.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr. On a terminal, a bar redrawn in place at most ten times a second:
 * {@code ingest [##########..........]  50%  1380/2760 turns  212/s  eta 6s}; otherwise (a pipe, a
 * log file) one plain line at the start, one every {@value #LINE_INTERVAL_SECONDS} seconds and one
 * at the end of each phase. Thread-safe.
 */
public final class Progress implements ProgressListener {

    static final int LINE_INTERVAL_SECONDS = 5;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;

    private String phase = "";
    private String unit = "";
    private long total;
    private long done;
    private long startNanos;
    private long lastDrawNanos;
    private int lastWidth;

    /**
     * @param err      where to draw
     * @param terminal true if {@code err} is a terminal (redraw in place), false for plain lines
     */
    public Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * @return true if the launcher said stderr is a terminal (system property
     *         {@code memlayer.stderr.tty=true}); the JVM itself cannot tell for stderr
     */
    public static boolean stderrIsTerminal() {
        return Boolean.getBoolean("memlayer.stderr.tty");
    }

    @Override
    public synchronized void start(String phase, long total, String unit) {
        this.phase = phase;
        this.unit = unit;
        this.total = Math.max(0, total);
        this.done = 0;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = startNanos;
        if (terminal) {
            draw(startNanos);
        } else {
            err.printf(Locale.ROOT, "%s: %d %s...%n", phase, total, unit);
            err.flush();
        }
    }

    @Override
    public synchronized void advance(long units) {
        done += units;
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDrawNanos >= REDRAW_NANOS) {
                draw(now);
            }
        } else if (now - lastDrawNanos >= LINE_INTERVAL_SECONDS * 1_000_000_000L) {
            lastDrawNanos = now;
            err.printf(Locale.ROOT, "%s: %d/%d %s (%d%%), %s/s%n", phase, done, total, unit, percent(),
                    rate(now));
            err.flush();
        }
    }

    @Override
    public synchronized void finish() {
        long now = System.nanoTime();
        double seconds = (now - startNanos) / 1e9;
        if (terminal) {
            draw(now);
            err.println();
        } else {
            err.printf(Locale.ROOT, "%s: done, %d %s in %.1f s (%s/s)%n", phase, done, unit, seconds, rate(now));
        }
        err.flush();
    }

    private void draw(long now) {
        lastDrawNanos = now;
        int filled = total == 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
        String eta = "";
        double elapsed = (now - startNanos) / 1e9;
        if (done > 0 && done < total && elapsed > 0.5) {
            eta = String.format(Locale.ROOT, "  eta %ds", Math.round(elapsed * (total - done) / done));
        }
        String line = String.format(Locale.ROOT, "%-7s[%s] %3d%%  %d/%d %s  %s/s%s", phase, bar, percent(), done,
                total, unit, rate(now), eta);
        int pad = Math.max(0, lastWidth - line.length());
        lastWidth = line.length();
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
    }

    private int percent() {
        return total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
    }

    private String rate(long now) {
        double seconds = (now - startNanos) / 1e9;
        return seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", done / seconds);
    }
}

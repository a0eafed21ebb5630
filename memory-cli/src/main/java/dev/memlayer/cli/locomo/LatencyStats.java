package dev.memlayer.cli.locomo;

import java.util.Arrays;

/**
 * Percentiles of a list of latencies by the nearest-rank method: the p-th percentile of n sorted
 * values is the value at rank ceil(p/100 * n) (1-based).
 */
public final class LatencyStats {

    private final long[] sortedNanos;

    /** @param nanos latencies in nanoseconds, any order; copied */
    public LatencyStats(long[] nanos) {
        this.sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    /** @return how many latencies there are */
    public int count() {
        return sortedNanos.length;
    }

    /**
     * @param p the percentile, in (0, 100]
     * @return the nearest-rank percentile in milliseconds, or 0 when there are no values
     * @throws IllegalArgumentException for p outside (0, 100]
     */
    public double percentileMillis(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (sortedNanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }
}

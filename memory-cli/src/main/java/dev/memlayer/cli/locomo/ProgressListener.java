package dev.memlayer.cli.locomo;

/**
 * Told by {@link LocomoEvaluator} how far it got, phase by phase ({@code ingest}, then
 * {@code search}). Calls may come from several threads.
 */
public interface ProgressListener {

    /** Ignores everything. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void start(String phase, long total, String unit) {
        }

        @Override
        public void advance(long units) {
        }

        @Override
        public void finish() {
        }
    };

    /**
     * A phase begins.
     *
     * @param phase a short name, e.g. {@code ingest}
     * @param total how many units the phase has, at least 0
     * @param unit  what a unit is, plural, e.g. {@code turns}
     */
    void start(String phase, long total, String unit);

    /** @param units how many more units are done */
    void advance(long units);

    /** The current phase ended. */
    void finish();
}

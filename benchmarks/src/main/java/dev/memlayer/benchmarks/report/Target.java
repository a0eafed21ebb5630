package dev.memlayer.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * A performance target from the issues, checked against a measured number.
 *
 * @param label     what is measured, for the table
 * @param benchmark {@code SimpleClassName.method} of a JMH benchmark, or {@code recall}
 * @param params    parameters the result must have (others may be anything)
 * @param metric    which number of the result is compared
 * @param scale     for {@link Metric#RATE_FROM_P50}: operations (e.g. vectors) per sampled call
 * @param goal      the bound
 * @param atMost    true: measured <= goal; false: measured >= goal
 * @param unit      the unit of {@code goal} and the measured value, for the table
 */
public record Target(String label, String benchmark, Map<String, String> params, Metric metric, double scale,
                     double goal, boolean atMost, String unit) {

    /** The number a target compares. */
    public enum Metric {
        /** Median latency in milliseconds (sample mode). */
        P50_MS,
        /** Mean latency in milliseconds. */
        MEAN_MS,
        /** Operations per second (throughput, or 1 / time per operation). */
        RATE,
        /** {@code scale} divided by the median time in seconds (e.g. vectors scored per second). */
        RATE_FROM_P50,
        /** Mean recall@k of a {@code RecallCheck} result. */
        RECALL
    }

    static Target atMost(String label, String benchmark, Map<String, String> params, Metric metric, double goal,
                         String unit) {
        return new Target(label, benchmark, params, metric, 1, goal, true, unit);
    }

    static Target atLeast(String label, String benchmark, Map<String, String> params, Metric metric, double goal,
                          String unit) {
        return new Target(label, benchmark, params, metric, 1, goal, false, unit);
    }

    /** The targets of issues 3 (core), 4 (pgvector), 5 (Redis) and 6 (HTTP LLM, no bound). */
    public static List<Target> all() {
        String search = "SearchBenchmark.search";
        return List.of(
                atMost("in-memory search, scoped to 10k of 100k, 384 d, top-10: p50", search,
                        Map.of("backend", "inmemory", "scope", "scoped-10k", "filter", "none"), Metric.P50_MS, 0.5,
                        "ms"),
                new Target("in-memory exact search, unscoped 100k x 384: vectors scored per second (1 thread, "
                        + "100,000 / p50)", search,
                        Map.of("backend", "inmemory", "scope", "unscoped-100k", "filter", "none"),
                        Metric.RATE_FROM_P50, 100_000, 5_000_000, false, "vectors/s"),
                atMost("add overhead, infer=true, zero-latency LLM, 10k in scope (in-memory): p50 per add",
                        "AddPipelineBenchmark.add", Map.of("backend", "inmemory", "memoriesInScope", "10000",
                                "infer", "true"), Metric.P50_MS, 2, "ms"),
                atMost("add overhead, infer=true, zero-latency LLM, 10k in scope (in-memory): mean per add",
                        "AddPipelineBenchmark.add", Map.of("backend", "inmemory", "memoriesInScope", "10000",
                                "infer", "true"), Metric.MEAN_MS, 2, "ms"),
                atLeast("local embedder bge-small int8, 2 intra-op threads, one sentence per call",
                        "EmbedderBenchmark.embed", Map.of("intraOpThreads", "2"), Metric.RATE, 250, "sentences/s"),
                atLeast("local embedder bge-small int8, 2 intra-op threads, embedAll of 32",
                        "EmbedderBenchmark.embedAll", Map.of("intraOpThreads", "2"), Metric.RATE, 250, "sentences/s"),
                atLeast("local embedder bge-small int8, 2 caller threads x 1 intra-op thread",
                        "EmbedderTwoCallersBenchmark.embed", Map.of(), Metric.RATE, 250, "sentences/s"),
                atMost("pgvector search, scoped to 10k of 100k: p50", search,
                        Map.of("backend", "pgvector", "scope", "scoped-10k", "filter", "none"), Metric.P50_MS, 2, "ms"),
                atLeast("pgvector search, scoped to 10k of 100k: recall@10 (clustered vectors)", "recall",
                        Map.of("backend", "pgvector", "searchCase", "scoped-10k", "filter", "none",
                                "distribution", "clustered"), Metric.RECALL, 1.0, ""),
                atMost("pgvector search, unscoped 100k: p50", search,
                        Map.of("backend", "pgvector", "scope", "unscoped-100k", "filter", "none"), Metric.P50_MS, 5,
                        "ms"),
                atLeast("pgvector search, unscoped 100k: recall@10 (clustered vectors)", "recall",
                        Map.of("backend", "pgvector", "searchCase", "unscoped-100k", "filter", "none",
                                "distribution", "clustered"), Metric.RECALL, 0.95, ""),
                atLeast("pgvector search, unscoped 100k: recall@10 (uniform random vectors: our stress case, beyond the"
                        + " issue's benchmark data)", "recall",
                        Map.of("backend", "pgvector", "searchCase", "unscoped-100k", "filter", "none",
                                "distribution", "uniform"), Metric.RECALL, 0.95, ""),
                atLeast("pgvector bulk load of 100k into an empty table (binary COPY; committed and searchable when"
                        + " it returns, the HNSW index then built in the background: see BulkLoadBenchmark.loadAndIndex)",
                        "BulkLoadBenchmark.load", Map.of("backend", "pgvector"), Metric.RATE, 50_000, "records/s"),
                atLeast("pgvector batch upsert of 1,000 into the indexed 100k table (HNSW insertion deferred to the"
                        + " store's background indexer)",
                        "BatchUpsertBenchmark.upsert", Map.of("backend", "pgvector"), Metric.RATE, 5_000, "records/s"),
                atMost("Redis search, scoped to 10k, 100k stored: p50", search,
                        Map.of("backend", "redis", "scope", "scoped-10k", "filter", "none"), Metric.P50_MS, 1, "ms"),
                atMost("Redis search, scoped to 1k, 100k stored: p50", search,
                        Map.of("backend", "redis", "scope", "scoped-1k", "filter", "none"), Metric.P50_MS, 1, "ms"),
                atLeast("Redis batch upsert of 1,000 (384 d) into the 100k collection",
                        "BatchUpsertBenchmark.upsert", Map.of("backend", "redis"), Metric.RATE, 10_000, "records/s"));
    }
}

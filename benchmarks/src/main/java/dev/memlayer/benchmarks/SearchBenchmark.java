package dev.memlayer.benchmarks;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.benchmarks.data.Distribution;
import dev.memlayer.benchmarks.data.SearchCase;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Top-k search latency at the {@link VectorStore} level (no embedding): {@link SearchCase scoped}
 * (one user's 1k or 10k memories among 100k) and unscoped (10k, 100k), 384 dimensions, limit 10,
 * with and without a metadata filter selecting 1/8 of the memories, per backend. Queries are 1,024
 * pre-drawn vectors of the data's distribution, used round-robin. Sample mode: p50/p90/p99.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class SearchBenchmark {

    /** The {@link BenchmarkBackend#name()}. */
    @Param({"inmemory", "pgvector", "redis"})
    public String backend;

    /** A {@link SearchCase#label()}. */
    @Param({"scoped-1k", "scoped-10k", "unscoped-10k", "unscoped-100k"})
    public String scope;

    /** {@code none} or {@code metadata} ({@link SearchCase#METADATA_FILTER}). */
    @Param({"none", "metadata"})
    public String filter;

    /** A {@link Distribution}. */
    @Param({"clustered"})
    public String distribution;

    /** Top-k. */
    @Param({"10"})
    public int limit;

    /** Divides every dataset size; only the smoke test changes it. */
    int sizeDivisor = 1;

    private static final int QUERIES = 1024;

    private VectorStore store;
    private Filter storeFilter;
    private float[][] queries;
    private int next;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        SearchCase c = SearchCase.parse(scope);
        Dataset dataset = c.dataset(Distribution.parse(distribution), sizeDivisor);
        store = StoreFixture.openLoaded(BenchmarkBackend.named(backend), dataset, "");
        storeFilter = c.filter(dataset, parseFilter(filter));
        queries = dataset.queries(QUERIES, 7_001L + c.ordinal());
        long matching = store.count(storeFilter);
        List<ScoredRecord> probe = search();
        if (probe.size() != Math.min(limit, matching)) {
            throw new IllegalStateException(backend + " returned " + probe.size() + " hits for " + scope
                    + " with filter " + filter + "; expected " + Math.min(limit, matching));
        }
    }

    /** @return one search's hits */
    @Benchmark
    public List<ScoredRecord> search() {
        float[] q = queries[next++ & (QUERIES - 1)];
        return store.search(new VectorQuery(q, storeFilter, limit));
    }

    /** Releases the trial's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    static boolean parseFilter(String value) {
        return switch (value) {
            case "none" -> false;
            case "metadata" -> true;
            default -> throw new IllegalArgumentException("filter must be none or metadata, got " + value);
        };
    }
}

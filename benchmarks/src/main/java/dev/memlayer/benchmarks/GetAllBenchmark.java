package dev.memlayer.benchmarks;

import dev.memlayer.api.GetAllRequest;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Page;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.benchmarks.data.Distribution;
import dev.memlayer.benchmarks.data.SearchCase;
import dev.memlayer.conformance.support.HashingEmbedder;
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
 * {@link Memory#getAll} pages of 100 (newest first) through the facade, for one user's 1k or 10k
 * memories in the 100k store: the first page and the middle page of the scope.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class GetAllBenchmark {

    /** Items per page. */
    public static final int PAGE_SIZE = 100;

    /** The {@link BenchmarkBackend#name()}. */
    @Param({"inmemory", "pgvector", "redis"})
    public String backend;

    /** {@code scoped-1k} or {@code scoped-10k}. */
    @Param({"scoped-1k", "scoped-10k"})
    public String scope;

    /** A {@link Distribution}. */
    @Param({"clustered"})
    public String distribution;

    /** Divides the dataset size; only the smoke test changes it. */
    int sizeDivisor = 1;

    private Memory memory;
    private dev.memlayer.api.Scope memoryScope;
    private int pageSize;
    private int middlePage;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        SearchCase c = SearchCase.parse(scope);
        if (c != SearchCase.SCOPED_1K && c != SearchCase.SCOPED_10K) {
            throw new IllegalArgumentException("getAll needs a scope: scoped-1k or scoped-10k, got " + scope);
        }
        Dataset dataset = c.dataset(Distribution.parse(distribution), sizeDivisor);
        BenchmarkBackend b = BenchmarkBackend.named(backend);
        String collection = dataset.collectionName("");
        VectorStore store = StoreFixture.openLoaded(b, dataset, "");
        memory = Memory.builder().vectorStore(store).historyStore(b.openHistoryStore(store, collection))
                .embedder(new HashingEmbedder(Dataset.DIMENSIONS)).build();
        memoryScope = c.scope(dataset);
        pageSize = Math.min(PAGE_SIZE, c.candidates(dataset));
        middlePage = Math.max(1, c.candidates(dataset) / pageSize / 2);
        Page<MemoryItem> probe = middlePage();
        if (probe.results().size() != pageSize || probe.count() != c.candidates(dataset)) {
            throw new IllegalStateException(backend + ": getAll returned " + probe.results().size() + " of "
                    + probe.count() + " memories for " + scope);
        }
    }

    /** @return page 1 */
    @Benchmark
    public Page<MemoryItem> firstPage() {
        return memory.getAll(GetAllRequest.of(memoryScope, null, 1, pageSize));
    }

    /** @return the page in the middle of the scope (page 50 of 100 for 10k memories) */
    @Benchmark
    public Page<MemoryItem> middlePage() {
        return memory.getAll(GetAllRequest.of(memoryScope, null, middlePage, pageSize));
    }

    /** Releases the trial's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (memory != null) {
            memory.close();
        }
    }
}

package dev.memlayer.benchmarks;

import dev.memlayer.api.spi.MemoryRecord;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk load: {@value #RECORDS} records (384 dimensions, pre-generated) into an empty collection
 * through {@link BenchmarkBackend#bulkLoad} — pgvector: binary COPY, the HNSW index built in the
 * background afterwards; in-memory and Redis: upserts of 1,000. {@link #load} ends when the call
 * returns (the records are committed and searchable, by exact scan until the index is built);
 * {@link #loadAndIndex} also waits for the indexes ({@link BenchmarkBackend#awaitIndexed}), so the
 * two together give the load rate with and without the index build. Single shot per iteration;
 * the collection is emptied before each. Score: time per record (the report shows records/s).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class BulkLoadBenchmark {

    /** Records per load. */
    public static final int RECORDS = 100_000;

    /** The {@link BenchmarkBackend#name()}. */
    @Param({"inmemory", "pgvector", "redis"})
    public String backend;

    /** A {@link Distribution}. */
    @Param({"clustered"})
    public String distribution;

    /** Divides the dataset size; only the smoke test changes it. */
    int sizeDivisor = 1;

    private BenchmarkBackend target;
    private VectorStore store;
    private List<MemoryRecord> records;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        Dataset dataset = SearchCase.UNSCOPED_100K.dataset(Distribution.parse(distribution), sizeDivisor);
        if (dataset.size() * sizeDivisor != RECORDS) {
            throw new IllegalStateException("the 100k dataset has " + dataset.size() + " records");
        }
        records = dataset.materialize();
        target = BenchmarkBackend.named(backend);
        store = target.openStore(dataset.collectionName("bulk"), Dataset.DIMENSIONS);
    }

    /**
     * Empties the collection and waits until the backend's background work on it (e.g. index
     * builds left over from the previous iteration's load) is done, so every timed load starts
     * from the same idle state (not timed).
     */
    @Setup(Level.Iteration)
    public void empty() {
        store.reset();
        target.awaitIndexed(store);
    }

    /** @return how many records were loaded */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long load() {
        return target.bulkLoad(store, records.iterator());
    }

    /** @return how many records were loaded, once the indexes cover them all */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long loadAndIndex() {
        long n = target.bulkLoad(store, records.iterator());
        target.awaitIndexed(store);
        return n;
    }

    /** @return how many records the store holds (for the smoke test) */
    long storedRecords() {
        return store.count(null);
    }

    /** Empties the collection (its data is not reused) and closes it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (store != null) {
            store.reset();
            store.close();
        }
    }
}

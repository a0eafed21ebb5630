package dev.memlayer.benchmarks;

import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.benchmarks.data.Distribution;
import dev.memlayer.benchmarks.data.SearchCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
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
 * Incremental batch upsert: one {@link VectorStore#upsert} call of {@value #BATCH} new records
 * (fresh ids, spread over the existing users, 384 dimensions) into a collection that already holds
 * the 100k dataset with its indexes built. Each batch is deleted again after it is measured
 * (outside the timing), so every batch lands in the same 100k store. Score: records per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class BatchUpsertBenchmark {

    /** Records per upsert call. */
    public static final int BATCH = 1_000;
    private static final int POOL = 8;

    /** The {@link BenchmarkBackend#name()}. */
    @Param({"inmemory", "pgvector", "redis"})
    public String backend;

    /** A {@link Distribution}. */
    @Param({"clustered"})
    public String distribution;

    /** Divides the dataset size; only the smoke test changes it. */
    int sizeDivisor = 1;

    private VectorStore store;
    private final List<List<MemoryRecord>> pool = new ArrayList<>();
    private final Random ids = new Random(11);
    private int next;
    private List<MemoryRecord> batch;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        Dataset dataset = SearchCase.SCOPED_10K.dataset(Distribution.parse(distribution), sizeDivisor);
        store = StoreFixture.openLoaded(BenchmarkBackend.named(backend), dataset, "w");
        Random random = new Random(5);
        List<String> users = dataset.users();
        for (int b = 0; b < POOL; b++) {
            List<MemoryRecord> records = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                records.add(dataset.freshRecord(random, users.get(random.nextInt(users.size()))));
            }
            pool.add(records);
        }
    }

    /** Gives the next batch fresh ids (not timed). */
    @Setup(Level.Invocation)
    public void nextBatch() {
        List<MemoryRecord> template = pool.get(next++ % POOL);
        batch = new ArrayList<>(template.size());
        for (MemoryRecord r : template) {
            batch.add(r.toBuilder().id(new UUID(ids.nextLong() & ~0xF000L | 0x4000L,
                    ids.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString()).build());
        }
    }

    /** Upserts {@value #BATCH} records in one call. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void upsert() {
        store.upsert(batch);
    }

    /** Deletes the batch again (not timed), so the store stays at the dataset's size. */
    @TearDown(Level.Invocation)
    public void removeBatch() {
        List<String> written = new ArrayList<>(batch.size());
        for (MemoryRecord r : batch) {
            written.add(r.id());
        }
        store.delete(written);
    }

    /** @return how many records the store holds (for the smoke test) */
    long storedRecords() {
        return store.count(null);
    }

    /** Releases the trial's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (store != null) {
            store.close();
        }
    }
}

package dev.memlayer.benchmarks;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
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
 * memlayer's own overhead per {@code add} through the {@link dev.memlayer.api.Memory} facade, with
 * a zero-latency in-process LLM ({@link ScriptedLanguageModel}) and a deterministic embedder
 * ({@link HashingEmbedder}, 384 dimensions), when the scope already holds 1k or 10k memories.
 * {@code infer=true}: fact extraction call, embedding, candidate search (limit 5 per fact),
 * reconcile call, write and history; {@code infer=false}: embedding, write and history. One user
 * message per add, one memory stored; it is deleted again after the measurement.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class AddPipelineBenchmark {

    /** The {@link BenchmarkBackend#name()}. */
    @Param({"inmemory"})
    public String backend;

    /** Memories already in the scope. */
    @Param({"1000", "10000"})
    public int memoriesInScope;

    /** Whether the add extracts and reconciles facts with the LLM. */
    @Param({"true", "false"})
    public boolean infer;

    /** Divides the scope size; only the smoke test changes it. */
    int sizeDivisor = 1;

    private AddFixture fixture;
    private AddRequest request;
    private AddResult result;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        ScriptedLanguageModel model = AddFixture.scriptedModel();
        fixture = AddFixture.open(BenchmarkBackend.named(backend), "bench_v1_add_" + memoriesInScope,
                memoriesInScope / sizeDivisor, new HashingEmbedder(Dataset.DIMENSIONS), model, model, null);
    }

    /** Draws the next message (not timed). */
    @Setup(Level.Invocation)
    public void nextMessage() {
        request = fixture.nextRequest(infer);
    }

    /** @return the add's result */
    @Benchmark
    public AddResult add() {
        result = fixture.memory().add(request);
        return result;
    }

    /** Deletes what the add stored (not timed). */
    @TearDown(Level.Invocation)
    public void forget() {
        fixture.forget(result);
    }

    /** Releases the trial's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }
}

package dev.memlayer.benchmarks;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.support.HashingEmbedder;
import dev.memlayer.graph.InMemoryGraphStore;
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
 * The add pipeline ({@code infer=true}) with graph memory off and on, with the same zero-latency
 * {@link ScriptedLanguageModel} (graph on: three more LLM calls — entities, relations, outdated
 * relations — run beside fact extraction, then a graph write) and {@link HashingEmbedder}, the scope
 * holding 1k or 10k memories; graph store: {@link InMemoryGraphStore}. The memory an add stores is
 * deleted again after the measurement; the graph keeps what the adds taught it (its entities come
 * from a bounded vocabulary, so it stops growing after the warm-up).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class GraphAddBenchmark {

    /** The {@link BenchmarkBackend#name()} of the vector store. */
    @Param({"inmemory"})
    public String backend;

    /** Memories already in the scope. */
    @Param({"1000", "10000"})
    public int memoriesInScope;

    /** {@code off} or {@code on}. */
    @Param({"off", "on"})
    public String graph;

    /** Divides the scope size; only the smoke test changes it. */
    int sizeDivisor = 1;

    private AddFixture fixture;
    private AddRequest request;
    private AddResult result;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        ScriptedLanguageModel model = AddFixture.scriptedModel();
        boolean on = switch (graph) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("graph must be on or off, got " + graph);
        };
        fixture = AddFixture.open(BenchmarkBackend.named(backend), "bench_v1_graphadd_" + memoriesInScope,
                memoriesInScope / sizeDivisor, new HashingEmbedder(Dataset.DIMENSIONS), model, model,
                on ? new InMemoryGraphStore() : null);
    }

    /** Draws the next message (not timed). */
    @Setup(Level.Invocation)
    public void nextMessage() {
        request = fixture.nextRequest(true);
    }

    /** @return the add's result */
    @Benchmark
    public AddResult add() {
        result = fixture.memory().add(request);
        return result;
    }

    /** Deletes the memory the add stored (not timed). */
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

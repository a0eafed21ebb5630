package dev.memlayer.benchmarks;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * What the add benchmarks share: a scope that already holds {@link #memoriesInScope} memories in an
 * {@link AddFixture} (opened by the subclass's trial setup), one {@code add} of one user message
 * per invocation (sample mode, microseconds), and the memory it stored deleted again afterwards
 * (not timed), so every add meets the same store.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public abstract class AddBenchmarkBase {

    /** The {@link BenchmarkBackend#name()} of the vector store. */
    @Param({"inmemory"})
    public String backend;

    /** Memories already in the scope. */
    @Param({"1000", "10000"})
    public int memoriesInScope;

    /** Divides the scope size; only the smoke test changes it. */
    int sizeDivisor = 1;

    /** The memory under test; set by the subclass's {@code @Setup(Level.Trial)}. */
    AddFixture fixture;
    private AddRequest request;
    private AddResult result;

    /** @return whether the adds extract and reconcile facts with the LLM ({@code infer}) */
    boolean infer() {
        return true;
    }

    /** Releases what the subclass opened besides the fixture (called by the trial tear-down). */
    void closeOthers() {
    }

    /** Draws the next message (not timed). */
    @Setup(Level.Invocation)
    public void nextMessage() {
        request = fixture.nextRequest(infer());
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
        closeOthers();
    }
}

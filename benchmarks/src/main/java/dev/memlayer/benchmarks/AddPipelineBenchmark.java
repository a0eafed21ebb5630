package dev.memlayer.benchmarks;

import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.support.HashingEmbedder;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * memlayer's own overhead per {@code add} through the {@link dev.memlayer.api.Memory} facade, with
 * a zero-latency in-process LLM ({@link ScriptedLanguageModel}) and a deterministic embedder
 * ({@link HashingEmbedder}, 384 dimensions), when the scope already holds 1k or 10k memories.
 * {@code infer=true}: fact extraction call, embedding, candidate search (limit 5 per fact),
 * reconcile call, write and history; {@code infer=false}: embedding, write and history. One user
 * message per add, one memory stored; it is deleted again after the measurement.
 */
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
public class AddPipelineBenchmark extends AddBenchmarkBase {

    /** Whether the add extracts and reconciles facts with the LLM. */
    @Param({"true", "false"})
    public boolean infer;

    @Override
    boolean infer() {
        return infer;
    }

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        ScriptedLanguageModel model = AddFixture.scriptedModel();
        fixture = AddFixture.open(BenchmarkBackend.named(backend), "bench_v1_add_" + memoriesInScope,
                memoriesInScope / sizeDivisor, new HashingEmbedder(Dataset.DIMENSIONS), model, model, null);
    }
}

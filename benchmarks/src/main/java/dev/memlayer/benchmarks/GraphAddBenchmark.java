package dev.memlayer.benchmarks;

import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.support.HashingEmbedder;
import dev.memlayer.graph.InMemoryGraphStore;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The add pipeline ({@code infer=true}) with graph memory off and on, with the same zero-latency
 * {@link ScriptedLanguageModel} (graph on: three more LLM calls — entities, relations, outdated
 * relations — run beside fact extraction, then a graph write) and {@link HashingEmbedder}, the scope
 * holding 1k or 10k memories; graph store: {@link InMemoryGraphStore}. The memory an add stores is
 * deleted again after the measurement; the graph keeps what the adds taught it (its entities come
 * from a bounded vocabulary, so it stops growing after the warm-up).
 */
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES})
public class GraphAddBenchmark extends AddBenchmarkBase {

    /** {@code off} or {@code on}. */
    @Param({"off", "on"})
    public String graph;

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
}

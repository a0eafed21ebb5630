package dev.memlayer.benchmarks;

import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.benchmarks.data.Corpus;
import dev.memlayer.embedder.onnx.OnnxEmbedder;
import dev.memlayer.embedder.onnx.OnnxEmbedderConfig;
import dev.memlayer.embedder.onnx.OnnxModel;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local embedder throughput with two caller threads sharing one {@link OnnxEmbedder} (bge-small
 * int8), each inference on one intra-op thread: sentences per second over both threads, one sentence
 * per call — how a server embedding concurrent requests uses two cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(2)
public class EmbedderTwoCallersBenchmark {

    /** The shared embedder. */
    @State(Scope.Benchmark)
    public static class Shared {
        /** The {@link OnnxModel} name. */
        @Param({"BGE_SMALL_EN_V15_Q"})
        public String model;

        OnnxEmbedder embedder;
        List<String> sentences;

        /** Loads the model (not timed). */
        @Setup(Level.Trial)
        public void setUp() {
            embedder = OnnxEmbedder.create(OnnxEmbedderConfig.builder().model(OnnxModel.valueOf(model))
                    .intraOpThreads(1).build());
            sentences = Corpus.sentences(EmbedderBenchmark.SENTENCES, 42);
        }

        /** Releases the model. */
        @TearDown(Level.Trial)
        public void tearDown() {
            if (embedder != null) {
                embedder.close();
            }
        }
    }

    /** Each caller's position in the sentences. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().threadId() * 131);
    }

    /** @return one sentence's embedding */
    @Benchmark
    public float[] embed(Shared shared, Cursor cursor) {
        return shared.embedder.embed(shared.sentences.get(cursor.next++ & (EmbedderBenchmark.SENTENCES - 1)),
                EmbeddingPurpose.ADD);
    }
}

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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local embedder throughput, sentences per second: {@link OnnxEmbedder} with bge-small-en-v1.5 int8
 * (384 dimensions) on realistic memory sentences (6 to 30 words), one caller thread whose ONNX
 * inference uses {@code intraOpThreads} CPU threads; one sentence per call ({@code embed}) and
 * lists of {@value #BATCH} ({@code embedAll}). {@link EmbedderTwoCallersBenchmark} measures two
 * caller threads instead.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class EmbedderBenchmark {

    /** Texts per {@code embedAll} call. */
    public static final int BATCH = 32;
    static final int SENTENCES = 1024;

    /** The {@link OnnxModel} name. */
    @Param({"BGE_SMALL_EN_V15_Q"})
    public String model;

    /** ONNX Runtime intra-op threads per inference. */
    @Param({"1", "2"})
    public int intraOpThreads;

    private OnnxEmbedder embedder;
    private List<String> sentences;
    private int next;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        embedder = OnnxEmbedder.create(OnnxEmbedderConfig.builder().model(OnnxModel.valueOf(model))
                .intraOpThreads(intraOpThreads).build());
        sentences = Corpus.sentences(SENTENCES, 42);
    }

    /** @return one sentence's embedding */
    @Benchmark
    public float[] embed() {
        return embedder.embed(sentences.get(next++ & (SENTENCES - 1)), EmbeddingPurpose.ADD);
    }

    /** @return the embeddings of {@value #BATCH} sentences, one call */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<float[]> embedAll() {
        int from = (next += BATCH) & (SENTENCES - 1);
        return embedder.embedAll(sentences.subList(from, from + BATCH), EmbeddingPurpose.ADD);
    }

    /** Releases the trial's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (embedder != null) {
            embedder.close();
        }
    }
}

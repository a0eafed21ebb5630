package dev.memlayer.benchmarks;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.support.HashingEmbedder;
import dev.memlayer.llm.openai.OpenAiEmbedder;
import dev.memlayer.llm.openai.OpenAiLanguageModel;
import dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer;
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
 * The add pipeline ({@code infer=true}) with the LLM reached over HTTP: {@link OpenAiLanguageModel}
 * talking to a zero-latency local OpenAI-compatible server ({@link OpenAiCompatibleTestServer} on
 * 127.0.0.1) whose answers come from the same {@link ScriptedLanguageModel} as in
 * {@link AddPipelineBenchmark}. The difference to that benchmark is the cost of the HTTP round
 * trips and JSON (de)serialisation on both sides (two chat calls per add). With
 * {@code embedder=openai} the embeddings also go over HTTP ({@link OpenAiEmbedder}; the server
 * embeds with the same {@link HashingEmbedder}); with {@code hashing} they stay in-process.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class HttpAddPipelineBenchmark {

    /** The {@link BenchmarkBackend#name()}. */
    @Param({"inmemory"})
    public String backend;

    /** Memories already in the scope. */
    @Param({"1000", "10000"})
    public int memoriesInScope;

    /** {@code hashing} (in-process) or {@code openai} (over HTTP to the same server). */
    @Param({"hashing", "openai"})
    public String embedder;

    /** Divides the scope size; only the smoke test changes it. */
    int sizeDivisor = 1;

    private OpenAiCompatibleTestServer server;
    private AddFixture fixture;
    private AddRequest request;
    private AddResult result;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        ScriptedLanguageModel scripted = AddFixture.scriptedModel();
        HashingEmbedder hashing = new HashingEmbedder(Dataset.DIMENSIONS);
        server = OpenAiCompatibleTestServer.start(call -> scripted.chat(call.request()).content(),
                (texts, dims) -> hashing.embedAll(texts, EmbeddingPurpose.ADD), Dataset.DIMENSIONS);
        Embedder memoryEmbedder = switch (embedder) {
            case "hashing" -> hashing;
            case "openai" -> new OpenAiEmbedder(server.config().build());
            default -> throw new IllegalArgumentException("embedder must be hashing or openai, got " + embedder);
        };
        fixture = AddFixture.open(BenchmarkBackend.named(backend), "bench_v1_addhttp_" + memoriesInScope,
                memoriesInScope / sizeDivisor, memoryEmbedder, new OpenAiLanguageModel(server.config().build()),
                scripted, null);
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

    /** Deletes what the add stored (not timed). */
    @TearDown(Level.Invocation)
    public void forget() {
        fixture.forget(result);
    }

    /** @return chat calls the server answered so far (for the smoke test) */
    long chatCalls() {
        return server.chatRequestCount();
    }

    /** Releases the trial's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
        if (server != null) {
            server.close();
        }
    }
}

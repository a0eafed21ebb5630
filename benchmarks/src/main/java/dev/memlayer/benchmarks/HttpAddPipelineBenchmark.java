package dev.memlayer.benchmarks;

import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.support.HashingEmbedder;
import dev.memlayer.llm.openai.OpenAiEmbedder;
import dev.memlayer.llm.openai.OpenAiLanguageModel;
import dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The add pipeline ({@code infer=true}) with the LLM reached over HTTP: {@link OpenAiLanguageModel}
 * talking to a zero-latency local OpenAI-compatible server ({@link OpenAiCompatibleTestServer} on
 * 127.0.0.1) whose answers come from the same {@link ScriptedLanguageModel} as in
 * {@link AddPipelineBenchmark}. The difference to that benchmark is the cost of the HTTP round
 * trips and JSON (de)serialisation on both sides (two chat calls per add). With
 * {@code embedder=openai} the embeddings also go over HTTP ({@link OpenAiEmbedder}; the server
 * embeds with the same {@link HashingEmbedder}); with {@code hashing} they stay in-process.
 */
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES, JvmArgs.LOG_PG})
public class HttpAddPipelineBenchmark extends AddBenchmarkBase {

    /** {@code hashing} (in-process) or {@code openai} (over HTTP to the same server). */
    @Param({"hashing", "openai"})
    public String embedder;

    private OpenAiCompatibleTestServer server;

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

    /** @return chat calls the server answered so far (for the smoke test) */
    long chatCalls() {
        return server.chatRequestCount();
    }

    @Override
    void closeOthers() {
        if (server != null) {
            server.close();
        }
    }
}

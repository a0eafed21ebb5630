package dev.memlayer.llm.openai.e2e;

import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.memory.MemoryContract;
import dev.memlayer.conformance.memory.ScriptEmbedder;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.llm.openai.OpenAiConfig;
import dev.memlayer.llm.openai.OpenAiEmbedder;
import dev.memlayer.llm.openai.OpenAiLanguageModel;
import dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryVectorStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole engine contract (SPEC.md §1–§6) with the engine wired to {@link OpenAiLanguageModel}
 * and {@link OpenAiEmbedder} over HTTP: every chat call and every embedding goes through the
 * Chat Completions and Embeddings wire formats to a local {@link OpenAiCompatibleTestServer}, which
 * decodes the request and answers with the suite's {@link ScriptedLanguageModel} and
 * {@link ScriptEmbedder} of the running test. So facts extraction, reconciliation (ADD, UPDATE,
 * DELETE, NONE), history, failures that must write nothing, and concurrency are all checked with a
 * real HTTP client in the loop.
 */
class OpenAiMemoryConformanceTest extends MemoryContract {

    private static volatile ScriptedLanguageModel currentModel;
    private static volatile ScriptEmbedder currentEmbedder;
    private static OpenAiCompatibleTestServer server;

    @BeforeAll
    static void startServer() {
        server = OpenAiCompatibleTestServer.start(
                call -> currentModel.chat(call.request()).content(),
                (texts, dimensions) -> currentEmbedder.embedAll(texts, EmbeddingPurpose.ADD),
                ScriptEmbedder.DEFAULT_DIMENSIONS);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private OpenAiConfig config() {
        return server.config()
                .jsonSchemaSupported(scriptedModel().supportsJsonSchema())
                .embeddingDimensions(scriptEmbedder().dimensions())
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5))
                .build();
    }

    @Override
    protected LanguageModel createLanguageModel() {
        currentModel = scriptedModel();
        return new OpenAiLanguageModel(config());
    }

    @Override
    protected Embedder createEmbedder() {
        currentEmbedder = scriptEmbedder();
        return new OpenAiEmbedder(config());
    }

    @Override
    protected VectorStore createVectorStore(int dimensions) {
        return new InMemoryVectorStore(dimensions);
    }

    @Override
    protected HistoryStore createHistoryStore() {
        return new InMemoryHistoryStore();
    }
}

package dev.memlayer.llm.ollama.e2e;

import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.memory.MemoryContract;
import dev.memlayer.conformance.memory.ScriptEmbedder;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.llm.ollama.OllamaConfig;
import dev.memlayer.llm.ollama.OllamaEmbedder;
import dev.memlayer.llm.ollama.OllamaLanguageModel;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryVectorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole engine contract (SPEC.md §1–§6) with the engine wired to {@link OllamaLanguageModel}
 * and {@link OllamaEmbedder} over HTTP: every chat call ({@code /api/chat}) and every embedding
 * ({@code /api/embed}) goes through Ollama's wire format to a local {@link OllamaScriptServer},
 * which decodes the request and answers with the suite's {@link ScriptedLanguageModel} and
 * {@link ScriptEmbedder} of the running test.
 */
class OllamaMemoryConformanceTest extends MemoryContract {

    private static volatile ScriptedLanguageModel currentModel;
    private static volatile ScriptEmbedder currentEmbedder;
    private static OllamaScriptServer server;

    @BeforeAll
    static void startServer() {
        server = new OllamaScriptServer(call -> currentModel.chat(call.request()).content(),
                (model, texts) -> currentEmbedder.embedAll(texts, EmbeddingPurpose.ADD));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private OllamaConfig config() {
        return server.config()
                .jsonSchemaSupported(scriptedModel().supportsJsonSchema())
                .embeddingModel("script-embedder")
                .embeddingDimensions(scriptEmbedder().dimensions())
                .build();
    }

    @Override
    protected LanguageModel createLanguageModel() {
        currentModel = scriptedModel();
        return new OllamaLanguageModel(config());
    }

    @Override
    protected Embedder createEmbedder() {
        currentEmbedder = scriptEmbedder();
        return new OllamaEmbedder(config());
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

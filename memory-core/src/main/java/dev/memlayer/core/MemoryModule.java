package dev.memlayer.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.memlayer.api.AsyncMemory;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.graph.GraphConfig;
import dev.memlayer.api.graph.GraphExtractor;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.LlmExtractor;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.core.internal.MemoryEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's Guice module. Install it with one module per backend:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new MemoryModule(MemoryConfig.defaults()),
 *     new InMemoryStoreModule(),          // binds VectorStore and HistoryStore
 *     new OnnxEmbedderModule(),           // binds Embedder
 *     new OpenAiModule(OpenAiConfig.fromEnv()));   // binds LanguageModel (optional)
 * Memory memory = injector.getInstance(Memory.class);
 * }</pre>
 *
 * <p>Binds:
 * <ul>
 *   <li>{@link MemoryConfig} to the given instance;</li>
 *   <li>{@link Memory} as a singleton: the engine over the bound components;</li>
 *   <li>{@link AsyncMemory} as a singleton: {@code memory.async()} of that engine;</li>
 *   <li>optional bindings ({@link OptionalBinder}) for {@link LanguageModel} and
 *       {@link LlmExtractor}: other modules may set them. When no extractor is set but a language
 *       model is, the extractor is a {@link DefaultLlmExtractor} over it (with the config's custom
 *       prompts); with neither, {@code add} with {@code infer=true} fails with
 *       {@code LLM_NOT_CONFIGURED};</li>
 *   <li>optional bindings for graph memory: {@link GraphStore} (set by a graph module such as
 *       graph-store's {@code Neo4jGraphModule} or {@code InMemoryGraphModule}, which turns graph memory
 *       on), {@link GraphExtractor} (default: a {@link DefaultGraphExtractor} over the language model)
 *       and {@link GraphConfig} (default: {@link GraphConfig#defaults()}).</li>
 * </ul>
 * Requires {@link VectorStore}, {@link HistoryStore} and {@link Embedder} to be bound by backend
 * modules. {@code configure()} has no side effects; the engine is created on first use and checks
 * then that the embedder's and the store's dimensions agree (a {@code ValidationException} with
 * {@code INVALID_CONFIGURATION}, wrapped by Guice in a {@code ProvisionException}). Closing the
 * {@link Memory} closes the store, history store, embedder and language model when they are
 * {@link AutoCloseable}.
 */
public final class MemoryModule extends AbstractModule {

    private final MemoryConfig config;

    /** @param config the engine settings, not null */
    public MemoryModule(MemoryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(MemoryConfig.class).toInstance(config);
        OptionalBinder.newOptionalBinder(binder(), LanguageModel.class);
        OptionalBinder.newOptionalBinder(binder(), LlmExtractor.class);
        OptionalBinder.newOptionalBinder(binder(), GraphStore.class);
        OptionalBinder.newOptionalBinder(binder(), GraphExtractor.class);
        OptionalBinder.newOptionalBinder(binder(), GraphConfig.class);
    }

    @Provides
    @Singleton
    Memory memory(MemoryConfig memoryConfig, VectorStore store, HistoryStore history, Embedder embedder,
                  Optional<LanguageModel> languageModel, Optional<LlmExtractor> extractor,
                  Optional<GraphStore> graphStore, Optional<GraphExtractor> graphExtractor,
                  Optional<GraphConfig> graphConfig) {
        LlmExtractor effective = extractor.orElseGet(
                () -> languageModel.map(m -> (LlmExtractor) new DefaultLlmExtractor(m, memoryConfig)).orElse(null));
        GraphExtractor graphEffective = graphExtractor.orElseGet(() -> graphStore.isPresent()
                ? languageModel.map(m -> (GraphExtractor) new DefaultGraphExtractor(m)).orElse(null) : null);
        List<Object> owned = new ArrayList<>(List.of(store, history, embedder));
        languageModel.ifPresent(owned::add);
        extractor.ifPresent(owned::add);
        graphStore.ifPresent(owned::add);
        graphExtractor.ifPresent(owned::add);
        return new MemoryEngine(memoryConfig, store, history, embedder, effective, graphStore.orElse(null),
                graphEffective, graphConfig.orElse(null), owned);
    }

    @Provides
    @Singleton
    AsyncMemory asyncMemory(Memory memory) {
        return memory.async();
    }
}

package dev.memlayer.core;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryBuilder;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.graph.GraphConfig;
import dev.memlayer.api.graph.GraphExtractor;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbedderProvider;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.LlmExtractor;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.api.spi.VectorStoreProvider;
import dev.memlayer.core.internal.MemoryEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The plain {@link MemoryBuilder} behind {@link Memory#builder()} (registered in
 * {@code META-INF/services/dev.memlayer.api.MemoryBuilder}):
 *
 * <pre>{@code
 * Memory memory = Memory.builder().languageModel(model).build();   // in-memory store, ONNX embedder
 * }</pre>
 *
 * Components not given are found with {@link ServiceLoader}: an {@link EmbedderProvider} (the local
 * ONNX embedder of {@code dev.memlayer:embedder-onnx}) and a {@link VectorStoreProvider} (the
 * in-memory store of {@code dev.memlayer:store-inmemory}), which also supplies the history store
 * when none is given. Without a language model or extractor, {@code infer=true} fails with
 * {@code LLM_NOT_CONFIGURED}. With {@link #graphStore} graph memory is on (its extractor defaults to a
 * {@link DefaultGraphExtractor} over the language model). The built memory owns every component and closes them. Not
 * thread-safe; build once.
 */
public final class DefaultMemoryBuilder implements MemoryBuilder {

    private MemoryConfig config = MemoryConfig.defaults();
    private VectorStore vectorStore;
    private HistoryStore historyStore;
    private Embedder embedder;
    private LanguageModel languageModel;
    private LlmExtractor llmExtractor;
    private GraphStore graphStore;
    private GraphExtractor graphExtractor;
    private GraphConfig graphConfig;

    /** A builder with the default configuration (for {@link ServiceLoader}). */
    public DefaultMemoryBuilder() {
    }

    @Override
    public MemoryBuilder config(MemoryConfig value) {
        config = value == null ? MemoryConfig.defaults() : value;
        return this;
    }

    @Override
    public MemoryBuilder vectorStore(VectorStore store) {
        vectorStore = store;
        return this;
    }

    @Override
    public MemoryBuilder historyStore(HistoryStore store) {
        historyStore = store;
        return this;
    }

    @Override
    public MemoryBuilder embedder(Embedder value) {
        embedder = value;
        return this;
    }

    @Override
    public MemoryBuilder languageModel(LanguageModel model) {
        languageModel = model;
        return this;
    }

    @Override
    public MemoryBuilder llmExtractor(LlmExtractor extractor) {
        llmExtractor = extractor;
        return this;
    }

    @Override
    public MemoryBuilder graphStore(GraphStore store) {
        graphStore = store;
        return this;
    }

    @Override
    public MemoryBuilder graphExtractor(GraphExtractor extractor) {
        graphExtractor = extractor;
        return this;
    }

    @Override
    public MemoryBuilder graphConfig(GraphConfig value) {
        graphConfig = value;
        return this;
    }

    /**
     * {@inheritDoc} With a graph store and no graph extractor, the graph extractor is a
     * {@link DefaultGraphExtractor} over the language model.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) naming the module to add
     *                             when a component is missing and no provider is on the class path,
     *                             or when the embedder's and the store's dimensions differ
     */
    @Override
    public Memory build() {
        List<AutoCloseable> created = new ArrayList<>();
        try {
            Embedder e = embedder;
            if (e == null) {
                e = load(EmbedderProvider.class).map(EmbedderProvider::create)
                        .orElseThrow(() -> new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                                "No embedder: pass .embedder(...) or add the dev.memlayer:embedder-onnx dependency"
                                        + " (the local default) to the class path"));
                if (e instanceof AutoCloseable c) {
                    created.add(c);
                }
            }
            VectorStore store = vectorStore;
            HistoryStore history = historyStore;
            if (store == null || history == null) {
                String missing = store == null ? "vectorStore" : "historyStore";
                VectorStoreProvider provider = load(VectorStoreProvider.class).orElseThrow(
                        () -> new ValidationException(ErrorCode.INVALID_CONFIGURATION, "No " + missing + ": pass ."
                                + missing + "(...) or add the dev.memlayer:store-inmemory dependency (the in-memory"
                                + " default) to the class path"));
                if (store == null) {
                    store = provider.create(e.dimensions());
                    created.add(store);
                }
                if (history == null) {
                    history = provider.createHistoryStore();
                    created.add(history);
                }
            }
            LlmExtractor extractor = llmExtractor != null ? llmExtractor
                    : languageModel != null ? new DefaultLlmExtractor(languageModel, config) : null;
            List<Object> owned = new ArrayList<>(List.of(store, history, e));
            if (languageModel != null) {
                owned.add(languageModel);
            }
            if (llmExtractor != null) {
                owned.add(llmExtractor);
            }
            GraphExtractor graphEx = graphExtractor != null ? graphExtractor
                    : graphStore != null && languageModel != null ? new DefaultGraphExtractor(languageModel) : null;
            if (graphStore != null) {
                owned.add(graphStore);
            }
            if (graphExtractor != null) {
                owned.add(graphExtractor);
            }
            return new MemoryEngine(config, store, history, e, extractor, graphStore, graphEx, graphConfig, owned);
        } catch (RuntimeException failure) {
            for (AutoCloseable c : created) {
                try {
                    c.close();
                } catch (Exception closeFailure) {
                    failure.addSuppressed(closeFailure);
                }
            }
            throw failure;
        }
    }

    private static <T> Optional<T> load(Class<T> type) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Optional<T> found = loader == null ? Optional.empty() : ServiceLoader.load(type, loader).findFirst();
        return found.isPresent() ? found : ServiceLoader.load(type, DefaultMemoryBuilder.class.getClassLoader()).findFirst();
    }
}

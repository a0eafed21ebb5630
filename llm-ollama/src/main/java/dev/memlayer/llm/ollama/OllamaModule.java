package dev.memlayer.llm.ollama;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.LanguageModel;
import java.util.Objects;

/**
 * Guice bindings for Ollama. {@code new OllamaModule(config)} binds both {@link LanguageModel} (to {@link OllamaLanguageModel}) and {@link Embedder} (to
 * {@link OllamaEmbedder}), as singletons. To take only one of them, install
 * {@link #languageModel(OllamaConfig)} or {@link #embedder(OllamaConfig)} instead (e.g. Ollama for
 * chat and the local ONNX embedder for vectors).
 *
 * <p>{@code configure()} has no side effects: the clients are created on first injection, and
 * creating them opens no connection. They are {@link AutoCloseable}: close them (or the
 * {@code Memory} that owns them) when done.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new MemoryModule(MemoryConfig.defaults()),
 *     new OllamaModule(OllamaConfig.fromEnv()));
 * }</pre>
 */
public final class OllamaModule extends AbstractModule {

    private final OllamaConfig config;

    /** @param config the settings of both the chat model and the embedder */
    public OllamaModule(OllamaConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return a module binding only {@link LanguageModel} to {@link OllamaLanguageModel} */
    public static Module languageModel(OllamaConfig config) {
        return new LanguageModelModule(config);
    }

    /** @return a module binding only {@link Embedder} to {@link OllamaEmbedder} */
    public static Module embedder(OllamaConfig config) {
        return new EmbedderModule(config);
    }

    @Override
    protected void configure() {
        install(new LanguageModelModule(config));
        install(new EmbedderModule(config));
    }

    /** Binds {@link LanguageModel} to a lazily created {@link OllamaLanguageModel}. */
    private static final class LanguageModelModule extends AbstractModule {
        private final OllamaConfig config;

        LanguageModelModule(OllamaConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        @Provides
        @Singleton
        LanguageModel languageModel() {
            return new OllamaLanguageModel(config);
        }
    }

    /** Binds {@link Embedder} to a lazily created {@link OllamaEmbedder}. */
    private static final class EmbedderModule extends AbstractModule {
        private final OllamaConfig config;

        EmbedderModule(OllamaConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        @Provides
        @Singleton
        Embedder embedder() {
            return new OllamaEmbedder(config);
        }
    }
}

package dev.memlayer.llm.openai;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.LanguageModel;
import java.util.Objects;

/**
 * Guice bindings for OpenAI (or an OpenAI-compatible server). {@code new OpenAiModule(config)}
 * binds both {@link LanguageModel} (to {@link OpenAiLanguageModel}) and {@link Embedder} (to
 * {@link OpenAiEmbedder}), as singletons. To take only one of them, install
 * {@link #languageModel(OpenAiConfig)} or {@link #embedder(OpenAiConfig)} instead (e.g. OpenAI for
 * chat and the local ONNX embedder for vectors).
 *
 * <p>{@code configure()} has no side effects: the clients are created on first injection, and
 * creating them opens no connection. They are {@link AutoCloseable}: close them (or the
 * {@code Memory} that owns them) when done.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new MemoryModule(MemoryConfig.defaults()),
 *     new OpenAiModule(OpenAiConfig.fromEnv()));
 * }</pre>
 */
public final class OpenAiModule extends AbstractModule {

    private final OpenAiConfig config;

    /** @param config the settings of both the chat model and the embedder */
    public OpenAiModule(OpenAiConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return a module binding only {@link LanguageModel} to {@link OpenAiLanguageModel} */
    public static Module languageModel(OpenAiConfig config) {
        return new LanguageModelModule(config);
    }

    /** @return a module binding only {@link Embedder} to {@link OpenAiEmbedder} */
    public static Module embedder(OpenAiConfig config) {
        return new EmbedderModule(config);
    }

    @Override
    protected void configure() {
        install(new LanguageModelModule(config));
        install(new EmbedderModule(config));
    }

    /** Binds {@link LanguageModel} to a lazily created {@link OpenAiLanguageModel}. */
    private static final class LanguageModelModule extends AbstractModule {
        private final OpenAiConfig config;

        LanguageModelModule(OpenAiConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        @Provides
        @Singleton
        LanguageModel languageModel() {
            return new OpenAiLanguageModel(config);
        }
    }

    /** Binds {@link Embedder} to a lazily created {@link OpenAiEmbedder}. */
    private static final class EmbedderModule extends AbstractModule {
        private final OpenAiConfig config;

        EmbedderModule(OpenAiConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        @Provides
        @Singleton
        Embedder embedder() {
            return new OpenAiEmbedder(config);
        }
    }
}

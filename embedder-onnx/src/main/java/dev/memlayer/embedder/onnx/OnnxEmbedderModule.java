package dev.memlayer.embedder.onnx;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.memlayer.api.spi.Embedder;
import java.util.Objects;

/**
 * Guice bindings for the local ONNX embedder:
 * <ul>
 *   <li>{@link OnnxEmbedder} — a singleton, created on first use from the given
 *       {@link OnnxEmbedderConfig} (loading takes about a second); close it, or the
 *       {@code Memory} that owns it, when done;</li>
 *   <li>{@link Embedder} — the same instance.</li>
 * </ul>
 * {@code configure()} does nothing: no model is loaded until something asks for the embedder.
 */
public final class OnnxEmbedderModule extends AbstractModule {

    private final OnnxEmbedderConfig config;

    /** Binds an embedder with {@link OnnxEmbedderConfig#defaults()}. */
    public OnnxEmbedderModule() {
        this(OnnxEmbedderConfig.defaults());
    }

    /**
     * @param config the embedder configuration, not null
     */
    public OnnxEmbedderModule(OnnxEmbedderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Provides
    @Singleton
    OnnxEmbedder onnxEmbedder() {
        return OnnxEmbedder.create(config);
    }

    @Provides
    @Singleton
    Embedder embedder(OnnxEmbedder embedder) {
        return embedder;
    }
}

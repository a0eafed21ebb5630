package dev.memlayer.api.spi;

/**
 * Found with {@link java.util.ServiceLoader} by {@code Memory.builder()} when no embedder is given:
 * an embedder that needs no configuration (the local ONNX embedder) registers one in
 * {@code META-INF/services/dev.memlayer.api.spi.EmbedderProvider}.
 */
public interface EmbedderProvider {

    /** @return a new embedder with its default configuration */
    Embedder create();
}

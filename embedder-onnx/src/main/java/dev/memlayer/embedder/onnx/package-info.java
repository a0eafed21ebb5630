/**
 * A local, in-process {@link dev.memlayer.api.spi.Embedder}: ONNX Runtime runs a small
 * sentence-embedding model that ships as a resource inside a Maven Central jar, and the HuggingFace
 * tokenizer (through DJL's native binding) turns text into word pieces. Nothing is downloaded at run
 * time, so this is memlayer's offline default.
 *
 * <p>Start with {@link dev.memlayer.embedder.onnx.OnnxEmbedder#create()} or install
 * {@link dev.memlayer.embedder.onnx.OnnxEmbedderModule}; choose the model with
 * {@link dev.memlayer.embedder.onnx.OnnxEmbedderConfig}.
 */
package dev.memlayer.embedder.onnx;

/**
 * The Ollama provider: {@link dev.memlayer.llm.ollama.OllamaLanguageModel} ({@code /api/chat}) and
 * {@link dev.memlayer.llm.ollama.OllamaEmbedder} ({@code /api/embed}), configured by
 * {@link dev.memlayer.llm.ollama.OllamaConfig} and bound for Guice by
 * {@link dev.memlayer.llm.ollama.OllamaModule}.
 */
package dev.memlayer.llm.ollama;

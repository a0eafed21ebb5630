/**
 * Service-provider interfaces that backends and providers implement: {@link
 * dev.memlayer.api.spi.VectorStore}, {@link dev.memlayer.api.spi.HistoryStore}, {@link
 * dev.memlayer.api.spi.Embedder}, {@link dev.memlayer.api.spi.LanguageModel} and {@link
 * dev.memlayer.api.spi.LlmExtractor}, with the records they exchange.
 */
package dev.memlayer.api.spi;

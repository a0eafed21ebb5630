/**
 * memory-core's public entry points: {@link dev.memlayer.core.MemoryModule} (Guice),
 * {@link dev.memlayer.core.DefaultMemoryBuilder} (behind {@link dev.memlayer.api.Memory#builder()})
 * and {@link dev.memlayer.core.DefaultLlmExtractor}, memlayer's prompts on any
 * {@link dev.memlayer.api.spi.LanguageModel}. The engine itself lives in
 * {@code dev.memlayer.core.internal}; JSON helpers in {@link dev.memlayer.core.json}.
 */
package dev.memlayer.core;

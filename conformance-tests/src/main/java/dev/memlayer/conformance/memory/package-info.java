/**
 * The conformance suite of the whole engine seen through the {@link dev.memlayer.api.Memory} facade
 * ({@link dev.memlayer.conformance.memory.MemoryContract}, SPEC.md §1–§6), and the deterministic
 * collaborators it runs with: a scripted {@link dev.memlayer.api.spi.LanguageModel} that speaks the
 * engine's LLM protocol, an embedder with pinnable vectors, a controllable clock and a history store
 * decorator that journals what was appended. Backends run the suite by extending
 * {@code MemoryContract} once and supplying their stores.
 */
package dev.memlayer.conformance.memory;

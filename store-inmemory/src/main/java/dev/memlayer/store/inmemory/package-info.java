/**
 * The in-process backend, memlayer's reference implementation and default:
 * {@link dev.memlayer.store.inmemory.InMemoryVectorStore} (exact search, partitioned by scope) and
 * {@link dev.memlayer.store.inmemory.InMemoryHistoryStore}, bound by
 * {@link dev.memlayer.store.inmemory.InMemoryStoreModule} or found by {@code Memory.builder()}
 * through {@link dev.memlayer.store.inmemory.InMemoryStoreProvider}.
 */
package dev.memlayer.store.inmemory;

/**
 * Internal: the engine behind {@link dev.memlayer.api.Memory} — the add pipelines (verbatim,
 * infer with extraction and reconciliation, procedural), search and the other operations, per-scope
 * locking, batched writes with compensation, validation and vector checks. Reconciliation never
 * changes a memory's scope ids (see {@link dev.memlayer.core} for why this differs from SPEC §2). Not
 * API: nothing outside memory-core imports it; obtain the engine through
 * {@link dev.memlayer.core.MemoryModule} or {@link dev.memlayer.api.Memory#builder()}.
 */
package dev.memlayer.core.internal;

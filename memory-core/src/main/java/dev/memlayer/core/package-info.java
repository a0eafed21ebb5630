/**
 * memory-core's public entry points: {@link dev.memlayer.core.MemoryModule} (Guice),
 * {@link dev.memlayer.core.DefaultMemoryBuilder} (behind {@link dev.memlayer.api.Memory#builder()})
 * and {@link dev.memlayer.core.DefaultLlmExtractor}, memlayer's prompts on any
 * {@link dev.memlayer.api.spi.LanguageModel}. The engine itself lives in
 * {@code dev.memlayer.core.internal}; JSON helpers in {@link dev.memlayer.core.json}.
 *
 * <p><b>Deliberate difference from SPEC §2.</b> The engine never changes the scope ids of an
 * existing memory during reconciliation. A session (run_id) or agent (agent_id) add still sees the
 * user's long-term memories, to avoid duplicates and to update a long-term fact, but a NONE event
 * changes nothing at all and an UPDATE keeps the memory's user_id, agent_id and run_id. SPEC §2 says
 * that NONE records a new agent_id/run_id association; doing so moved long-term memories into the
 * session: later plain user adds no longer saw them (and duplicated them), other agents lost them,
 * and deleting the session deleted them.
 */
package dev.memlayer.core;

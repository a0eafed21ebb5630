/**
 * Internal: memlayer's own prompts and JSON schemas for fact extraction, reconciliation and
 * procedural summaries (and, in {@code GraphPrompts}, for graph memory), the one way both extractors
 * call the model ({@link dev.memlayer.core.internal.llm.StructuredCall}), and the reading of the
 * model's answers, used by {@link dev.memlayer.core.DefaultLlmExtractor} and
 * {@link dev.memlayer.core.DefaultGraphExtractor}. Not API.
 */
package dev.memlayer.core.internal.llm;

/**
 * Internal: memlayer's own prompts and JSON schemas for fact extraction, reconciliation and
 * procedural summaries, and the reading of the model's answers, used by
 * {@link dev.memlayer.core.DefaultLlmExtractor}. Not API.
 */
package dev.memlayer.core.internal.llm;

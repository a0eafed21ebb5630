/**
 * memlayer's JSON, in one place each: the parser of Mem0's v2 JSON filters
 * ({@link dev.memlayer.core.json.FilterJsonParser}), the Mem0 wire shapes of memories, add and
 * search results, history rows and pages ({@link dev.memlayer.core.json.Mem0Json}), and the
 * tolerant parser of language-model answers ({@link dev.memlayer.core.json.LenientJson}). Built on
 * Jackson.
 */
package dev.memlayer.core.json;

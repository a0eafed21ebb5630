/**
 * Test fixtures for code that talks to OpenAI-compatible servers:
 * {@link dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer} is a zero-latency local server
 * with scripted chat answers and deterministic embeddings, for tests and benchmarks without network.
 */
package dev.memlayer.llm.openai.testing;

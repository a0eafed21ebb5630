/**
 * Internals of the OpenAI adapter: the configured endpoint (URLs, authentication headers) on the
 * shared retrying client of llm-http, and the decoding of OpenAI-style error bodies. Not API:
 * nothing outside this module imports it.
 */
package dev.memlayer.llm.openai.internal;

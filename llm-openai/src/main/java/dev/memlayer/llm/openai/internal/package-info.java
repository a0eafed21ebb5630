/**
 * Transport internals of the OpenAI adapter: the retrying JSON-over-HTTP client, the retry policy,
 * and the decoding of OpenAI-style error bodies. Not API: nothing outside this module imports it.
 */
package dev.memlayer.llm.openai.internal;

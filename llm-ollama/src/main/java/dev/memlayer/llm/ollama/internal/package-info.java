/**
 * Transport internals of the Ollama adapter: the retrying JSON-over-HTTP client, the retry policy,
 * and the decoding of Ollama's {@code {"error": "..."}} answers. Not API: nothing outside this
 * module imports it.
 */
package dev.memlayer.llm.ollama.internal;

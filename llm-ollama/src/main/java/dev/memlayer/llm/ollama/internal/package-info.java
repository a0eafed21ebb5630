/**
 * Internals of the Ollama adapter: the configured server (URLs, headers) on the shared retrying
 * client of llm-http, and the decoding of Ollama's {@code {"error": "..."}} answers. Not API:
 * nothing outside this module imports it.
 */
package dev.memlayer.llm.ollama.internal;

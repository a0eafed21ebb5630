/**
 * Support code for memlayer's LLM provider modules (llm-openai, llm-ollama): one JSON-over-HTTP
 * client on the JDK {@link java.net.http.HttpClient} and Jackson, with bounded retries (exponential
 * backoff with jitter, {@code Retry-After}, a total deadline) and typed
 * {@link dev.memlayer.api.LlmException}s. Each provider plugs in its own {@link
 * dev.memlayer.llm.http.ErrorDecoder} for its error bodies.
 *
 * <p>Besides the transport, what both providers do alike lives here once: the settings every
 * provider configuration has ({@link dev.memlayer.llm.http.HttpModelSettings}, their builder
 * setters in {@link dev.memlayer.llm.http.HttpModelSettingsBuilder}), checking those values
 * ({@link dev.memlayer.llm.http.ConfigValues}) and reading them from environment variables
 * ({@link dev.memlayer.llm.http.EnvSettings}), batching and checking embeddings
 * ({@link dev.memlayer.llm.http.EmbeddingBatcher}), and the chat JSON both APIs share
 * ({@link dev.memlayer.llm.http.ChatJson}).
 *
 * <p>Public only because two modules share it; it is not API for applications, which configure a
 * provider ({@code OpenAiConfig}, {@code OllamaConfig}) instead.
 */
package dev.memlayer.llm.http;

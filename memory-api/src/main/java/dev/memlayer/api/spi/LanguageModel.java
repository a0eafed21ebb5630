package dev.memlayer.api.spi;

/**
 * A chat model: messages in, text or tool calls out. Implementations are thread-safe transport
 * adapters (OpenAI-compatible, Ollama) or scripted models for tests.
 */
public interface LanguageModel {

    /**
     * @param request the call
     * @return the model's answer
     * @throws dev.memlayer.api.LlmException when the provider fails after bounded retries; the
     *                                       message carries the provider's own message and status
     */
    ChatResponse chat(ChatRequest request);

    /**
     * @return true if the provider enforces {@link ResponseFormat.JsonSchema} (structured outputs);
     *         the default extractor then sends schemas, otherwise it asks for a JSON object and
     *         parses tolerantly. The default is false.
     */
    default boolean supportsJsonSchema() {
        return false;
    }
}

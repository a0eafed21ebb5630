package dev.memlayer.api.spi;

/**
 * Tokens a call consumed, as the provider reported them.
 *
 * @param promptTokens     input tokens
 * @param completionTokens output tokens
 */
public record TokenUsage(long promptTokens, long completionTokens) {

    /** No usage reported. */
    public static final TokenUsage NONE = new TokenUsage(0, 0);

    /** @return prompt plus completion tokens */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}

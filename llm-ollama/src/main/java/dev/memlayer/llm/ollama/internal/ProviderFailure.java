package dev.memlayer.llm.ollama.internal;

/**
 * A provider's error answer, explained: the message for the caller (the provider's own message
 * plus what to fix) and whether another attempt can help.
 *
 * @param message   the explanation, never null
 * @param retryable true for rate limits, server errors and other transient failures
 */
public record ProviderFailure(String message, boolean retryable) {
}

package dev.memlayer.llm.http;

import java.util.Objects;

/**
 * A provider's error answer, explained by its {@link ErrorDecoder}: the message for the caller (the
 * provider's own message plus what to fix) and whether another attempt can help.
 *
 * @param message   the explanation, never null
 * @param retryable true for rate limits, server errors and other transient failures; the client
 *                  then retries within its {@link RetryPolicy}
 */
public record DecodedError(String message, boolean retryable) {

    /**
     * Checks the message.
     *
     * @throws NullPointerException when {@code message} is null
     */
    public DecodedError {
        Objects.requireNonNull(message, "message");
    }
}

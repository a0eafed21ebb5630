package dev.memlayer.api;

import java.util.OptionalInt;

/**
 * A language model or embedding provider failed, after bounded retries, or answered something that
 * could not be understood. The operation that called it wrote nothing.
 */
public class LlmException extends MemoryException {

    private final int status;

    /**
     * @param message what failed, including the provider's own message when it gave one
     */
    public LlmException(String message) {
        this(message, -1, null);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure, may be null
     */
    public LlmException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    /**
     * @param message what failed, including the provider's own message
     * @param status  the HTTP status the provider answered with, or -1 when there was none
     * @param cause   the underlying failure, may be null
     */
    public LlmException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the provider's HTTP status, if the failure came with one */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}

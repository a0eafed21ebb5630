package dev.memlayer.api;

/**
 * The root of every exception memlayer throws. Unchecked: callers catch the subtype they can act on
 * ({@link ValidationException}, {@link MemoryNotFoundException}, {@link ImmutableMemoryException},
 * {@link LlmException}, {@link StoreException}).
 */
public class MemoryException extends RuntimeException {

    /**
     * @param message what went wrong and what to do about it
     */
    public MemoryException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause   the underlying failure, may be null
     */
    public MemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}

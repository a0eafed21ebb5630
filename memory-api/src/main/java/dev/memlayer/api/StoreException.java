package dev.memlayer.api;

/**
 * A backend (vector store, history store, graph store) failed. The operation wrote nothing it did not
 * report. {@link #retryable()} says whether trying again later can help (connection lost, timeout)
 * or not (schema mismatch, constraint violation).
 */
public class StoreException extends MemoryException {

    private final boolean retryable;

    /**
     * @param message   what failed and what to check
     * @param retryable whether retrying the same operation later can succeed
     * @param cause     the backend's exception, may be null
     */
    public StoreException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** @return true when the failure is transient (connection, timeout) and a retry may succeed */
    public boolean retryable() {
        return retryable;
    }
}

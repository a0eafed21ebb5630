package dev.memlayer.api;

import java.util.Objects;

/**
 * The caller's input is invalid. Nothing was written. The {@link #code()} is stable; the message
 * says what was wrong and how to fix it.
 */
public class ValidationException extends MemoryException {

    private final ErrorCode code;

    /**
     * @param code    the stable error code, not null
     * @param message what was wrong and what to do
     */
    public ValidationException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code    the stable error code, not null
     * @param message what was wrong and what to do
     * @param cause   the underlying parse error, may be null
     */
    public ValidationException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the stable error code */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String getMessage() {
        return "[" + code + "] " + super.getMessage();
    }
}

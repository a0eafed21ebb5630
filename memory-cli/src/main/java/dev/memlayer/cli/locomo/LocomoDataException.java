package dev.memlayer.cli.locomo;

/** The LoCoMo data file is missing or is not in LoCoMo's format. The message says what to do. */
public final class LocomoDataException extends RuntimeException {

    /** @param message what is wrong and how to fix it */
    public LocomoDataException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and how to fix it
     * @param cause   the underlying I/O or parse error
     */
    public LocomoDataException(String message, Throwable cause) {
        super(message, cause);
    }
}

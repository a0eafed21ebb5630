package dev.memlayer.api;

/** An attempt to update a memory that was added with {@code immutable = true}. Nothing changed. */
public class ImmutableMemoryException extends MemoryException {

    private final String id;

    /**
     * @param id the immutable memory's id
     */
    public ImmutableMemoryException(String id) {
        super("Memory " + id + " is immutable and cannot be updated; delete it and add it again");
        this.id = id;
    }

    /** @return the immutable memory's id */
    public String id() {
        return id;
    }
}

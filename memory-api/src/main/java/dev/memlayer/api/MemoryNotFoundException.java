package dev.memlayer.api;

import java.util.List;

/** One or more memory ids do not exist. Nothing was changed. */
public class MemoryNotFoundException extends MemoryException {

    private final List<String> ids;

    /**
     * @param id the id that was not found
     */
    public MemoryNotFoundException(String id) {
        super("Memory " + id + " not found; check the id (get/getAll list existing memories)");
        this.ids = List.of(id);
    }

    /** @return the ids that were not found, never empty */
    public List<String> ids() {
        return ids;
    }
}

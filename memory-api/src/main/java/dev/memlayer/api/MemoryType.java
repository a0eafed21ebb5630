package dev.memlayer.api;

/**
 * The kind of a memory, stored as {@code memory_type}. Ordinary (semantic) memories have no type;
 * Mem0 names one type explicitly.
 */
public enum MemoryType {
    /** A summary of an agent's execution history: task, steps, results (SPEC §2). */
    PROCEDURAL("procedural_memory");

    private final String wireName;

    MemoryType(String wireName) {
        this.wireName = wireName;
    }

    /** @return the wire name, e.g. {@code procedural_memory} */
    public String wireName() {
        return wireName;
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for an unknown name
     */
    public static MemoryType fromWireName(String name) {
        for (MemoryType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                "Unknown memory_type '" + name + "'; the only supported value is procedural_memory");
    }
}

package dev.memlayer.api;

import java.util.Locale;

/** The kinds of entity that own memories (Mem0's {@code users()} lists them). */
public enum EntityType {
    USER("user_id"),
    AGENT("agent_id"),
    RUN("run_id");

    private final String field;

    EntityType(String field) {
        this.field = field;
    }

    /** @return the scope field, e.g. {@code user_id} */
    public String field() {
        return field;
    }

    /** @return the wire name: {@code user}, {@code agent} or {@code run} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for an unknown name
     */
    public static EntityType fromWireName(String name) {
        for (EntityType t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "Unknown entity type '" + name + "'; use user, agent or run");
    }
}

package dev.memlayer.api;

import java.util.Locale;

/** The author of a {@link Message}: Mem0's and OpenAI's {@code system | user | assistant}. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT;

    /** @return the lower-case wire name ({@code "user"}) */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name, case-insensitively.
     *
     * @param name {@code system}, {@code user} or {@code assistant}
     * @return the role
     * @throws ValidationException ({@link ErrorCode#INVALID_MESSAGES}) for any other value
     */
    public static Role fromWireName(String name) {
        if (name != null) {
            for (Role role : values()) {
                if (role.wireName().equalsIgnoreCase(name.trim())) {
                    return role;
                }
            }
        }
        throw new ValidationException(ErrorCode.INVALID_MESSAGES,
                "Unknown message role '" + name + "'; use system, user or assistant");
    }
}

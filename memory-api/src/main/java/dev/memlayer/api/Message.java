package dev.memlayer.api;

import java.util.Objects;

/**
 * One chat message: who said it, what was said and, optionally, the speaker's name (Mem0's
 * {@code name}, stored as {@code actor_id} when messages are stored verbatim).
 *
 * @param role    the author, not null
 * @param content the text, not null (may be empty only for system messages)
 * @param name    the speaker's name, or null
 */
public record Message(Role role, String content, String name) {

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_MESSAGES}) if role or content is null
     */
    public Message {
        if (role == null) {
            throw new ValidationException(ErrorCode.INVALID_MESSAGES, "A message needs a role (system, user or assistant)");
        }
        if (content == null) {
            throw new ValidationException(ErrorCode.INVALID_MESSAGES, "A message needs content; got null for a " + role.wireName() + " message");
        }
        if (name != null) {
            name = name.strip();
            if (name.isEmpty()) {
                name = null;
            }
        }
    }

    /** @return a user message without a name */
    public static Message user(String content) {
        return new Message(Role.USER, content, null);
    }

    /** @return an assistant message without a name */
    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content, null);
    }

    /** @return a system message */
    public static Message system(String content) {
        return new Message(Role.SYSTEM, content, null);
    }

    /** @return a copy of this message with the given speaker name */
    public Message withName(String speakerName) {
        return new Message(role, content, speakerName);
    }

    @Override
    public String toString() {
        return role.wireName() + (name == null ? "" : "(" + name + ")") + ": " + Objects.toString(content);
    }
}

package dev.memlayer.api;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change to one memory, for {@link Memory#update} and {@link Memory#batchUpdate} (SPEC §5). At
 * least one of text, metadata and timestamp must be given.
 *
 * @param memoryId  the memory's id
 * @param text      the new text (re-embedded and re-hashed), or null to keep it
 * @param metadata  entries merged into the metadata; a key mapped to null is removed; null or empty
 *                  to keep it. Identity keys are rejected.
 * @param timestamp a new {@code updated_at}, or null for now
 */
public record MemoryUpdate(String memoryId, String text, Map<String, Object> metadata, Instant timestamp) {

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ID}) for a bad id,
     *                             ({@link ErrorCode#INVALID_ARGUMENT}) when nothing is to change or
     *                             the text is blank
     */
    public MemoryUpdate {
        memoryId = Ids.require("memory_id", memoryId);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (text != null && text.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "update text must not be blank; delete the memory instead");
        }
        if (text == null && metadata.isEmpty() && timestamp == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "update of " + memoryId + " needs text, metadata or timestamp");
        }
    }

    /** @return an update of the text only */
    public static MemoryUpdate text(String memoryId, String text) {
        return new MemoryUpdate(memoryId, text, null, null);
    }
}

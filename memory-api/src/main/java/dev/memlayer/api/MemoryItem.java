package dev.memlayer.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A memory as the facade returns it (SPEC §2, §7).
 *
 * @param id             UUID
 * @param memory         the text
 * @param hash           MD5 hex of the text's UTF-8 bytes
 * @param metadata       caller metadata (JSON-like values), unmodifiable, empty when none
 * @param categories     categories, unmodifiable, empty when none
 * @param score          similarity in [0,1] for search results, null otherwise
 * @param createdAt      when the memory was created (or the add's {@code timestamp})
 * @param updatedAt      when it last changed; equals createdAt until then
 * @param userId         scope, may be null
 * @param agentId        scope, may be null
 * @param runId          scope, may be null
 * @param actorId        who said it (the message {@code name}), may be null
 * @param role           the message role for verbatim memories, may be null
 * @param memoryType     {@link MemoryType#PROCEDURAL} or null
 * @param immutable      true if the memory refuses updates
 * @param expirationDate the first day on which the memory is expired, or null
 */
public record MemoryItem(
        String id,
        String memory,
        String hash,
        Map<String, Object> metadata,
        List<String> categories,
        Double score,
        Instant createdAt,
        Instant updatedAt,
        String userId,
        String agentId,
        String runId,
        String actorId,
        Role role,
        MemoryType memoryType,
        boolean immutable,
        LocalDate expirationDate) {

    public MemoryItem {
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** @return a copy carrying the given similarity score */
    public MemoryItem withScore(Double newScore) {
        return new MemoryItem(id, memory, hash, metadata, categories, newScore, createdAt, updatedAt, userId,
                agentId, runId, actorId, role, memoryType, immutable, expirationDate);
    }

    /** @return the item's scope */
    public Scope scope() {
        return new Scope(userId, agentId, runId);
    }
}

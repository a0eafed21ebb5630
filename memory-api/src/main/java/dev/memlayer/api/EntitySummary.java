package dev.memlayer.api;

import java.time.Instant;

/**
 * An entity that has memories (SPEC §5).
 *
 * @param type          user, agent or run
 * @param id            the entity's id
 * @param totalMemories how many memories carry this id
 * @param createdAt     the earliest created_at among them
 * @param updatedAt     the latest updated_at among them
 */
public record EntitySummary(EntityType type, String id, long totalMemories, Instant createdAt, Instant updatedAt) {
}

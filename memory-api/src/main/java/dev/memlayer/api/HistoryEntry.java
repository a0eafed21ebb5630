package dev.memlayer.api;

import java.time.Instant;

/**
 * One row of a memory's audit history (SPEC §5). History is append-only and survives the memory's
 * deletion.
 *
 * @param id        the entry's own id (UUID)
 * @param memoryId  the memory it describes
 * @param oldMemory the text before the event (null for ADD)
 * @param newMemory the text after the event (null for DELETE)
 * @param event     ADD, UPDATE or DELETE
 * @param createdAt the memory's created_at at the time of the event
 * @param updatedAt when the event happened (the engine's clock at the time of the event), even when
 *                  the operation set the memory's created_at/updated_at from a caller's
 *                  {@code timestamp}
 * @param isDeleted true for the DELETE event
 * @param actorId   the memory's actor, may be null
 * @param role      the memory's role, may be null
 */
public record HistoryEntry(String id, String memoryId, String oldMemory, String newMemory, EventType event,
                           Instant createdAt, Instant updatedAt, boolean isDeleted, String actorId, Role role) {
}

package dev.memlayer.api;

/**
 * One change made by {@code add}: Mem0's {@code {"id", "memory", "event", "previous_memory"?}}.
 *
 * @param id             the memory's id (a UUID)
 * @param memory         the memory's text after the event (for DELETE, the deleted text)
 * @param event          ADD, UPDATE or DELETE
 * @param previousMemory for UPDATE, the stored text before the change; otherwise null
 */
public record MemoryEvent(String id, String memory, EventType event, String previousMemory) {
}

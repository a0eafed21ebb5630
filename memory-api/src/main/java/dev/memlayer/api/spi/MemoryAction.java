package dev.memlayer.api.spi;

import dev.memlayer.api.EventType;

/**
 * One reconciliation decision of the LLM (SPEC §2, step 5).
 *
 * @param id        for UPDATE, DELETE and NONE, the small integer id of an {@link ExistingMemory};
 *                  for ADD, ignored (may be null)
 * @param text      the memory text after the action (for ADD and UPDATE); may be null otherwise
 * @param event     ADD, UPDATE, DELETE or NONE
 * @param oldMemory for UPDATE, the text the model believes it replaces; informational
 */
public record MemoryAction(String id, String text, EventType event, String oldMemory) {
}

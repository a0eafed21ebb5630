package dev.memlayer.api.spi;

/**
 * A stored memory as shown to the LLM for reconciliation: with a small integer id ("0", "1", ...)
 * standing in for its UUID, so the model cannot corrupt real ids.
 *
 * @param id        the small integer id as a string
 * @param text      the memory text
 * @param immutable true if the memory refuses UPDATE and DELETE (the model is told so)
 */
public record ExistingMemory(String id, String text, boolean immutable) {
}

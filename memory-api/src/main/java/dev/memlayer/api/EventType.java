package dev.memlayer.api;

/** What reconciliation did to a memory (SPEC §2), also the event of a history entry. */
public enum EventType {
    /** A new memory was stored. */
    ADD,
    /** An existing memory got new text. */
    UPDATE,
    /** A memory was removed. */
    DELETE,
    /** Nothing changed (never stored in history, never listed in an {@link AddResult}). */
    NONE
}

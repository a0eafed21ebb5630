package dev.memlayer.api.graph;

import java.util.Objects;

/**
 * An entity an LLM found in a text, with its type.
 *
 * @param name the entity's name as the extractor gave it, not null (the engine normalises it)
 * @param type the entity's type (e.g. {@code person}), or null when unknown
 */
public record ExtractedEntity(String name, String type) {
    public ExtractedEntity {
        Objects.requireNonNull(name, "name");
    }
}

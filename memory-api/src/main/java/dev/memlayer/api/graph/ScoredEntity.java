package dev.memlayer.api.graph;

import dev.memlayer.api.Scope;
import java.util.Objects;

/**
 * An entity found by similarity of its embedding to a query embedding.
 *
 * @param name  the entity's name
 * @param type  the entity's type
 * @param scope the exact scope the entity is stored in
 * @param score cosine similarity of the unit vectors, clamped to [0,1] (the formula of
 *              {@link dev.memlayer.api.spi.ScoredRecord#similarity}); higher is more similar
 */
public record ScoredEntity(String name, String type, Scope scope, double score) {
    public ScoredEntity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scope, "scope");
    }
}

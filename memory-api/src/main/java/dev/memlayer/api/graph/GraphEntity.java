package dev.memlayer.api.graph;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An entity node of graph memory, as a {@link GraphWrite} creates it: a name such as {@code alice}
 * or {@code rex}, a type such as {@code person} or {@code animal}, and the embedding of the name.
 * Stores keep names and types literally (any characters, case-sensitive); the engine normalises them
 * before writing (lower case, white space as {@code _}).
 *
 * @param name      the entity's name, not blank; unique per exact scope
 * @param type      the entity's type, not blank ({@link #UNKNOWN_TYPE} when the extractor gave none)
 * @param embedding the embedding of the name: a non-empty unit-length vector (the engine's embedder's
 *                  dimension)
 */
public record GraphEntity(String name, String type, float[] embedding) {

    /** The type of an entity whose type the extractor did not give (Mem0's {@code unknown}). */
    public static final String UNKNOWN_TYPE = "unknown";

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a blank name or an empty
     *                             embedding
     */
    public GraphEntity {
        if (name == null || name.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "a graph entity needs a non-blank name");
        }
        type = type == null || type.isBlank() ? UNKNOWN_TYPE : type;
        if (embedding == null || embedding.length == 0) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "graph entity '" + name + "' needs a non-empty embedding");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GraphEntity e && name.equals(e.name) && type.equals(e.type)
                && Arrays.equals(embedding, e.embedding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(embedding));
    }

    @Override
    public String toString() {
        return "GraphEntity[name=" + name + ", type=" + type + ", embedding=float[" + embedding.length + "]]";
    }
}

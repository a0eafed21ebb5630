package dev.memlayer.api.spi;

import java.util.Objects;

/**
 * The shape a {@link LanguageModel} is asked to answer in (OpenAI's {@code response_format},
 * Ollama's {@code format}).
 */
public sealed interface ResponseFormat permits ResponseFormat.Text, ResponseFormat.JsonObject, ResponseFormat.JsonSchema {

    /** Free text. */
    ResponseFormat TEXT = new Text();
    /** Any JSON object. */
    ResponseFormat JSON_OBJECT = new JsonObject();

    /** Free text. */
    record Text() implements ResponseFormat {
    }

    /** Any JSON object. */
    record JsonObject() implements ResponseFormat {
    }

    /**
     * A JSON object following a JSON Schema (OpenAI structured outputs).
     *
     * @param name   the schema's name, {@code [a-zA-Z0-9_-]{1,64}}
     * @param schema the JSON Schema, as JSON text
     * @param strict whether the provider must follow the schema exactly
     */
    record JsonSchema(String name, String schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }
    }
}

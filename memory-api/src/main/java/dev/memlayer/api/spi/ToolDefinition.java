package dev.memlayer.api.spi;

/**
 * A function the model may call.
 *
 * @param name        the function name, {@code [a-zA-Z0-9_-]{1,64}}
 * @param description what it does, for the model
 * @param parameters  the JSON Schema of its arguments, as JSON text
 */
public record ToolDefinition(String name, String description, String parameters) {
}

package dev.memlayer.api.spi;

/**
 * A function call the model asked for.
 *
 * @param id        the provider's call id (may be null for providers without one)
 * @param name      the function name
 * @param arguments the arguments as JSON text, exactly as the provider sent them (possibly invalid)
 */
public record ToolCall(String id, String name, String arguments) {
}

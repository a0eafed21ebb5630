package dev.memlayer.api.spi;

import java.util.List;

/**
 * A model's answer.
 *
 * @param content      the text (JSON text when a JSON format was asked for); may be null when the
 *                     model only called tools
 * @param toolCalls    tool calls, empty for none
 * @param finishReason the provider's finish reason ({@code stop}, {@code length}, {@code tool_calls}),
 *                     or null
 * @param usage        token usage, {@link TokenUsage#NONE} if unreported
 */
public record ChatResponse(String content, List<ToolCall> toolCalls, String finishReason, TokenUsage usage) {
    public ChatResponse {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? TokenUsage.NONE : usage;
    }

    /** @return a plain text answer */
    public static ChatResponse ofText(String content) {
        return new ChatResponse(content, List.of(), "stop", TokenUsage.NONE);
    }
}

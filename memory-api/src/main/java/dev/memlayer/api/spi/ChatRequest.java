package dev.memlayer.api.spi;

import dev.memlayer.api.Message;
import java.util.List;

/**
 * A provider-neutral chat call.
 *
 * @param messages       the conversation, at least one message
 * @param responseFormat the answer's shape, never null ({@link ResponseFormat#TEXT} by default)
 * @param tools          functions the model may call; empty for none
 * @param temperature    sampling temperature in [0,2], or null for the provider's default (and
 *                       never sent to models that reject it)
 * @param maxTokens      the answer's token limit, or null for the provider's default
 */
public record ChatRequest(List<Message> messages, ResponseFormat responseFormat, List<ToolDefinition> tools,
                          Double temperature, Integer maxTokens) {

    public ChatRequest {
        messages = List.copyOf(messages);
        responseFormat = responseFormat == null ? ResponseFormat.TEXT : responseFormat;
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** @return a text request with provider defaults */
    public static ChatRequest of(List<Message> messages) {
        return new ChatRequest(messages, ResponseFormat.TEXT, List.of(), null, null);
    }

    /** @return the same request with another response format */
    public ChatRequest withResponseFormat(ResponseFormat format) {
        return new ChatRequest(messages, format, tools, temperature, maxTokens);
    }
}

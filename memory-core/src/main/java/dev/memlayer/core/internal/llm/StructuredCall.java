package dev.memlayer.core.internal.llm;

import dev.memlayer.api.LlmException;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.Message;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ChatResponse;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.ResponseFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of the engine's LLM protocol: a system prompt and one user message carrying the input,
 * asking for JSON (a strict JSON schema named after the call when the model supports schemas, else
 * JSON mode), temperature 0, no tools.
 */
public final class StructuredCall {

    private static final Logger LOG = LoggerFactory.getLogger(StructuredCall.class);

    private StructuredCall() {
    }

    /**
     * @param model      the language model
     * @param system     the system prompt
     * @param input      the user message
     * @param schemaName the schema's name, which also names the call in errors
     * @param schema     the JSON schema of the answer
     * @return the answer's text (not yet parsed); a cut-off answer ({@code finish_reason=length})
     *         is returned with a warning, for the tolerant parser to try
     * @throws LlmException when the model fails or answers nothing; a {@link MemoryException} from
     *                      the model passes through unchanged
     */
    public static String call(LanguageModel model, String system, String input, String schemaName, String schema) {
        ResponseFormat format = model.supportsJsonSchema()
                ? new ResponseFormat.JsonSchema(schemaName, schema, true)
                : ResponseFormat.JSON_OBJECT;
        ChatRequest request = new ChatRequest(List.of(Message.system(system), Message.user(input)), format, List.of(),
                0.0, null);
        ChatResponse response;
        try {
            response = model.chat(request);
        } catch (MemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LlmException("The language model failed on the " + schemaName + " call; nothing was written: "
                    + e.getMessage(), e);
        }
        if (response == null || response.content() == null || response.content().isBlank()) {
            String reason = response == null ? "no response" : "finish reason " + response.finishReason();
            throw new LlmException("The language model gave an empty answer to the " + schemaName + " call (" + reason
                    + "); nothing was written");
        }
        if ("length".equals(response.finishReason())) {
            LOG.warn("The {} answer was cut off at the token limit; trying to read it anyway", schemaName);
        }
        return response.content();
    }
}

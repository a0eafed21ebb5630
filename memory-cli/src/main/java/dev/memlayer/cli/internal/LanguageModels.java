package dev.memlayer.cli.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.cli.demo.DemoLanguageModel;
import dev.memlayer.llm.ollama.OllamaConfig;
import dev.memlayer.llm.ollama.OllamaLanguageModel;
import dev.memlayer.llm.openai.OpenAiConfig;
import dev.memlayer.llm.openai.OpenAiLanguageModel;
import java.util.Map;

/**
 * Chooses the language model from {@code --llm} and the environment: with {@link LlmKind#AUTO},
 * OpenAI when {@code OPENAI_API_KEY} is set, else Ollama when {@code OLLAMA_HOST} is set, else
 * memlayer's scripted {@link DemoLanguageModel}. The providers read the rest of their settings from
 * the environment ({@link OpenAiConfig#fromEnv(Map)}: {@code OPENAI_BASE_URL},
 * {@code MEMLAYER_OPENAI_MODEL}, ...; {@link OllamaConfig#fromEnv(Map)}: {@code MEMLAYER_OLLAMA_MODEL}, ...).
 */
public final class LanguageModels {

    /** What the demo prints when it falls back to the scripted model. */
    public static final String SCRIPTED_FALLBACK_NOTICE =
            "no LLM configured: using memlayer's scripted demo model; set OPENAI_API_KEY or OLLAMA_HOST for a real one";

    private LanguageModels() {
    }

    /**
     * A chosen model and the line that tells the user which one it is.
     *
     * @param model       the model, not null
     * @param description one line for humans
     * @param scripted    true for the scripted demo model
     */
    public record Selection(LanguageModel model, String description, boolean scripted) {
    }

    /**
     * @param kind the requested kind
     * @param env  the environment (variable name to value)
     * @return the selection
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) when the requested
     *                             provider is not configured
     */
    public static Selection select(LlmKind kind, Map<String, String> env) {
        return switch (kind) {
            case SCRIPTED -> new Selection(new DemoLanguageModel(), "LLM: memlayer's scripted demo model (--llm scripted)", true);
            case OPENAI -> openAi(env);
            case OLLAMA -> ollama(env);
            case AUTO -> {
                if (isSet(env, "OPENAI_API_KEY")) {
                    yield openAi(env);
                }
                if (isSet(env, "OLLAMA_HOST")) {
                    yield ollama(env);
                }
                yield new Selection(new DemoLanguageModel(), SCRIPTED_FALLBACK_NOTICE, true);
            }
        };
    }

    private static Selection openAi(Map<String, String> env) {
        if (!isSet(env, "OPENAI_API_KEY") && !isSet(env, "OPENAI_BASE_URL")) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "--llm openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for another OpenAI-compatible server)");
        }
        OpenAiConfig config = OpenAiConfig.fromEnv(env);
        return new Selection(new OpenAiLanguageModel(config),
                "LLM: " + config.chatModel() + " through the OpenAI API at " + config.baseUrl(), false);
    }

    private static Selection ollama(Map<String, String> env) {
        if (!isSet(env, "OLLAMA_HOST")) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "--llm ollama needs OLLAMA_HOST (e.g. 127.0.0.1:11434)");
        }
        OllamaConfig config = OllamaConfig.fromEnv(env);
        return new Selection(new OllamaLanguageModel(config),
                "LLM: " + config.chatModel() + " on the Ollama server at " + config.baseUrl(), false);
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}

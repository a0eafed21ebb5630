package dev.memlayer.cli.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which language model the command line uses ({@code --llm}). */
public enum LlmKind {
    /** OpenAI when {@code OPENAI_API_KEY} is set, else Ollama when {@code OLLAMA_HOST} is set, else scripted. */
    AUTO("auto"),
    /** memlayer's scripted demo model: rules, no network. */
    SCRIPTED("scripted"),
    /** An OpenAI-compatible server ({@code OPENAI_API_KEY}, optional {@code OPENAI_BASE_URL}). */
    OPENAI("openai"),
    /** An Ollama server ({@code OLLAMA_HOST}). */
    OLLAMA("ollama");

    private final String optionName;

    LlmKind(String optionName) {
        this.optionName = optionName;
    }

    /** @return the name used on the command line */
    public String optionName() {
        return optionName;
    }

    /**
     * @param name an option value, case-insensitive
     * @return the kind
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LlmKind parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (LlmKind kind : values()) {
            if (kind.optionName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown LLM '" + name + "'; use one of " + names());
    }

    /** @return the accepted option values, comma-separated */
    public static String names() {
        return Arrays.stream(values()).map(LlmKind::optionName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return optionName;
    }
}

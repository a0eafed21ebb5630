package dev.memlayer.api;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Engine settings. Each backend keeps its own configuration record.
 *
 * @param searchCandidatesPerFact how many similar memories to fetch per new fact before
 *                                reconciliation, 1 to 100 (Mem0: 5)
 * @param factExtractionPrompt    a custom prompt for fact extraction, or null for memlayer's
 * @param updateMemoryPrompt      a custom prompt for reconciliation, or null for memlayer's
 * @param clock                   the clock for timestamps and expiration (UTC)
 */
public record MemoryConfig(int searchCandidatesPerFact, String factExtractionPrompt, String updateMemoryPrompt,
                           Clock clock) {

    /** Mem0's number of candidates per fact. */
    public static final int DEFAULT_SEARCH_CANDIDATES = 5;

    public MemoryConfig {
        if (searchCandidatesPerFact < 1 || searchCandidatesPerFact > 100) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "searchCandidatesPerFact must be between 1 and 100, got " + searchCandidatesPerFact);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** @return the defaults: 5 candidates, memlayer's prompts, the UTC system clock */
    public static MemoryConfig defaults() {
        return builder().build();
    }

    /**
     * Reads {@code MEMLAYER_SEARCH_CANDIDATES}, {@code MEMLAYER_FACT_EXTRACTION_PROMPT} and
     * {@code MEMLAYER_UPDATE_MEMORY_PROMPT} from the environment.
     */
    public static MemoryConfig fromEnv() {
        return fromMap(System.getenv(), "MEMLAYER_SEARCH_CANDIDATES", "MEMLAYER_FACT_EXTRACTION_PROMPT",
                "MEMLAYER_UPDATE_MEMORY_PROMPT");
    }

    /**
     * Reads {@code memlayer.search-candidates}, {@code memlayer.fact-extraction-prompt} and
     * {@code memlayer.update-memory-prompt}.
     */
    public static MemoryConfig fromProperties(Properties properties) {
        Map<String, String> map = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
        return fromMap(map, "memlayer.search-candidates", "memlayer.fact-extraction-prompt",
                "memlayer.update-memory-prompt");
    }

    private static MemoryConfig fromMap(Map<String, String> map, String candidates, String factPrompt,
                                        String updatePrompt) {
        Builder b = builder();
        String c = map.get(candidates);
        if (c != null && !c.isBlank()) {
            try {
                b.searchCandidatesPerFact(Integer.parseInt(c.strip()));
            } catch (NumberFormatException e) {
                throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, candidates + " must be an integer, got '" + c + "'", e);
            }
        }
        b.factExtractionPrompt(map.get(factPrompt));
        b.updateMemoryPrompt(map.get(updatePrompt));
        return b.build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MemoryConfig}s. */
    public static final class Builder {
        private int searchCandidatesPerFact = DEFAULT_SEARCH_CANDIDATES;
        private String factExtractionPrompt;
        private String updateMemoryPrompt;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder searchCandidatesPerFact(int value) {
            searchCandidatesPerFact = value;
            return this;
        }

        public Builder factExtractionPrompt(String value) {
            factExtractionPrompt = value == null || value.isBlank() ? null : value;
            return this;
        }

        public Builder updateMemoryPrompt(String value) {
            updateMemoryPrompt = value == null || value.isBlank() ? null : value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public MemoryConfig build() {
            return new MemoryConfig(searchCandidatesPerFact, factExtractionPrompt, updateMemoryPrompt, clock);
        }
    }
}

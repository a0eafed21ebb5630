package dev.memlayer.llm.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/** A minimal provider configuration for the tests: the shared settings plus a known model size. */
record TestModelSettings(URI baseUrl, String apiKey, Map<String, String> headers,
                         String chatModel, Double temperature, Integer maxTokens,
                         String embeddingModel, Integer embeddingDimensions, Integer modelSize, int embeddingBatchSize,
                         String embeddingQueryPrefix, String embeddingDocumentPrefix,
                         Duration connectTimeout, Duration requestTimeout, int maxRetries,
                         Duration initialBackoff, Duration maxBackoff, Duration totalTimeout) implements HttpModelSettings {

    TestModelSettings {
        headers = ConfigValues.orderedCopy(headers);
    }

    static Builder builder() {
        return new Builder();
    }

    Builder toBuilder() {
        return new Builder().copyOf(this);
    }

    @Override
    public OptionalInt knownEmbeddingDimensions() {
        Integer known = embeddingDimensions != null ? embeddingDimensions : modelSize;
        return known == null ? OptionalInt.empty() : OptionalInt.of(known);
    }

    static final class Builder extends HttpModelSettingsBuilder<Builder> {
        private Integer modelSize;

        private Builder() {
            super("chat-default", 0.1, "embed-default", 4, Duration.ofSeconds(60), Duration.ofMinutes(3));
        }

        private Builder copyOf(TestModelSettings settings) {
            copyFrom(settings);
            modelSize = settings.modelSize;
            return this;
        }

        Builder modelSize(Integer value) {
            modelSize = value;
            return this;
        }

        TestModelSettings build() {
            return new TestModelSettings(URI.create("http://127.0.0.1:1"), apiKey, headers, chatModel, temperature,
                    maxTokens, embeddingModel, embeddingDimensions, modelSize, embeddingBatchSize, embeddingQueryPrefix,
                    embeddingDocumentPrefix, connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff,
                    totalTimeout);
        }
    }
}

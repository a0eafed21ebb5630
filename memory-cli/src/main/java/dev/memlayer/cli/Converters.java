package dev.memlayer.cli;

import dev.memlayer.cli.internal.EmbedderKind;
import dev.memlayer.cli.internal.LlmKind;
import dev.memlayer.cli.internal.StoreKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the option values of the commands (names as users type them). */
final class Converters {

    private Converters() {
    }

    /** {@code --store inmemory|pgvector|redis}. */
    static final class Store implements ITypeConverter<StoreKind> {
        @Override
        public StoreKind convert(String value) {
            try {
                return StoreKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --embedder bge-small|minilm}. */
    static final class Embedder implements ITypeConverter<EmbedderKind> {
        @Override
        public EmbedderKind convert(String value) {
            try {
                return EmbedderKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --llm auto|scripted|openai|ollama}. */
    static final class Llm implements ITypeConverter<LlmKind> {
        @Override
        public LlmKind convert(String value) {
            try {
                return LlmKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}

package dev.memlayer.api.spi;

import java.util.List;

/**
 * A durable fact extracted from a conversation.
 *
 * @param text       the fact as one short sentence
 * @param categories categories such as {@code food_preferences}, possibly empty
 */
public record Fact(String text, List<String> categories) {
    public Fact {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** @return a fact without categories */
    public static Fact of(String text) {
        return new Fact(text, List.of());
    }
}

package dev.memlayer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GraphNamesTest {

    @Test
    void names_are_stripped_lower_cased_and_white_space_becomes_one_underscore() {
        assertThat(GraphNames.normalise("  Alice   Smith\t")).isEqualTo("alice_smith");
        assertThat(GraphNames.normalise("Works At")).isEqualTo("works_at");
        assertThat(GraphNames.normalise("O'Brien`}")).isEqualTo("o'brien`}");
    }

    @Test
    void blank_names_are_null() {
        assertThat(GraphNames.normalise(null)).isNull();
        assertThat(GraphNames.normalise(" \n ")).isNull();
    }
}

package dev.memlayer.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EnvSettingsTest {

    private static EnvSettings env(String value) {
        Map<String, String> vars = new HashMap<>();
        vars.put("X", value);
        return new EnvSettings(vars, "TestConfig");
    }

    private static void assertRejected(Function<EnvSettings, Optional<?>> read, String value, String expected) {
        assertThatThrownBy(() -> read.apply(env(value)))
                .as("'%s'", value)
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).isEqualTo("[INVALID_CONFIGURATION] TestConfig: X must be " + expected + ", got '" + value.strip() + "'");
                });
    }

    @Test
    void unset_empty_blank_and_null_variables_are_absent_for_every_type() {
        for (String value : new String[]{null, "", "   ", "\t\n"}) {
            EnvSettings vars = env(value);
            assertThat(vars.text("X")).as("'%s'", value).isEmpty();
            assertThat(vars.integer("X")).isEmpty();
            assertThat(vars.seconds("X")).isEmpty();
            assertThat(vars.number("X")).isEmpty();
            assertThat(vars.bool("X")).isEmpty();
        }
        assertThat(new EnvSettings(Map.of(), "TestConfig").integer("UNSET")).isEmpty();
    }

    @Test
    void text_is_stripped_of_surrounding_white_space_only() {
        assertThat(env("  qwen3:8b \n").text("X")).hasValue("qwen3:8b");
        assertThat(env("a b").text("X")).hasValue("a b");
    }

    @Test
    void integers_accept_an_optional_sign_and_digits_in_the_int_range() {
        assertThat(env("42").integer("X")).hasValue(42);
        assertThat(env(" 7 ").integer("X")).hasValue(7);
        assertThat(env("+3").integer("X")).hasValue(3);
        assertThat(env("-1").integer("X")).hasValue(-1);
        assertThat(env("0").integer("X")).hasValue(0);
        assertThat(env("2147483647").integer("X")).hasValue(Integer.MAX_VALUE);
        for (String bad : new String[]{"big", "1.5", "10s", "1e3", "2147483648", "0x10", "1 000"}) {
            assertRejected(vars -> vars.integer("X"), bad, "an integer");
        }
    }

    @Test
    void seconds_are_whole_numbers_and_out_of_range_values_are_left_to_the_builder() {
        assertThat(env("600").seconds("X")).hasValue(Duration.ofMinutes(10));
        assertThat(env("0").seconds("X")).hasValue(Duration.ZERO);
        assertThat(env("-5").seconds("X")).hasValue(Duration.ofSeconds(-5));
        assertRejected(vars -> vars.seconds("X"), "30s", "an integer");
        assertRejected(vars -> vars.seconds("X"), "1.5", "an integer");
    }

    @Test
    void numbers_are_read_as_java_doubles() {
        assertThat(env("0.2").number("X")).hasValue(0.2);
        assertThat(env("1").number("X")).hasValue(1.0);
        assertThat(env("1e-1").number("X")).hasValue(0.1);
        assertThat(env(".5").number("X")).hasValue(0.5);
        assertThat(env("-0.5").number("X")).hasValue(-0.5);
        assertThat(env("NaN").number("X")).hasValueSatisfying(d -> assertThat(d).isNaN());
        for (String bad : new String[]{"0,2", "low", "1/2"}) {
            assertRejected(vars -> vars.number("X"), bad, "a number");
        }
    }

    @Test
    void flags_accept_true_yes_1_on_and_false_no_0_off_in_any_case() {
        for (String yes : new String[]{"true", "TRUE", "True", "yes", "YES", "1", "on", "On", " true "}) {
            assertThat(env(yes).bool("X")).as(yes).hasValue(true);
        }
        for (String no : new String[]{"false", "FALSE", "no", "No", "0", "off", "OFF"}) {
            assertThat(env(no).bool("X")).as(no).hasValue(false);
        }
        for (String bad : new String[]{"maybe", "y", "n", "2", "t", "enabled"}) {
            assertRejected(vars -> vars.bool("X"), bad, "true or false");
        }
    }

    @Test
    void a_null_map_or_owner_is_refused() {
        assertThatThrownBy(() -> new EnvSettings(null, "TestConfig")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new EnvSettings(Map.of(), null)).isInstanceOf(NullPointerException.class);
    }
}

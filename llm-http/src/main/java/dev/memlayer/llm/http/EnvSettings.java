package dev.memlayer.llm.http;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reads of environment variables for a provider configuration's {@code fromEnv(Map)}.
 *
 * <p>Every read treats an unset, empty or white-space-only variable as absent (an empty
 * {@link Optional}: the caller keeps its default) and strips leading and trailing white space from
 * the value before reading it. An unreadable value is a {@link ValidationException} with
 * {@link ErrorCode#INVALID_CONFIGURATION} whose message starts with the configuration's name and
 * names the variable and the value, e.g. {@code "OllamaConfig: MEMLAYER_OLLAMA_NUM_CTX must be an
 * integer, got 'big'"}. Nothing is range-checked here: the configuration's builder does that.
 *
 * <p>Immutable over the map it was given (which it does not copy); thread-safe when that map is.
 */
public final class EnvSettings {

    private final Map<String, String> env;
    private final ConfigValues values;

    /**
     * @param env   the variables, usually {@link System#getenv()}; null values count as unset
     * @param owner the configuration's name, the prefix of every message, e.g. {@code "OpenAiConfig"}
     * @throws NullPointerException when an argument is null
     */
    public EnvSettings(Map<String, String> env, String owner) {
        this.env = Objects.requireNonNull(env, "env");
        this.values = new ConfigValues(owner);
    }

    /**
     * @param name the variable
     * @return its value stripped of leading and trailing white space; empty when unset or blank
     */
    public Optional<String> text(String name) {
        return Optional.ofNullable(ConfigValues.blankToNull(env.get(name)));
    }

    /**
     * Reads a decimal integer as {@link Integer#parseInt(String)} does: an optional {@code +} or
     * {@code -} sign and ASCII digits, in the {@code int} range.
     *
     * @param name the variable
     * @return the number; empty when unset or blank
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be an
     *                             integer, got '<value>'}" otherwise (e.g. {@code 1.5}, {@code 10s},
     *                             {@code 3000000000})
     */
    public Optional<Integer> integer(String name) {
        return parsed(name, Integer::parseInt, "an integer");
    }

    /**
     * Reads a whole number of seconds (the format of {@link #integer(String)}) as a duration. A
     * zero or negative number is returned as it is, for the builder to reject.
     *
     * @param name the variable, e.g. {@code MEMLAYER_OLLAMA_TIMEOUT_SECONDS}
     * @return the duration; empty when unset or blank
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be an
     *                             integer, got '<value>'}" when it is not an integer
     */
    public Optional<Duration> seconds(String name) {
        return integer(name).map(Duration::ofSeconds);
    }

    /**
     * Reads a floating-point number as {@link Double#parseDouble(String)} does (e.g. {@code 0.2},
     * {@code 1}, {@code 1e-1}, {@code .5}); {@code NaN} and {@code Infinity} are returned as they are,
     * for the builder to reject.
     *
     * @param name the variable
     * @return the number; empty when unset or blank
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be a
     *                             number, got '<value>'}" otherwise (e.g. {@code 0,2}, {@code low})
     */
    public Optional<Double> number(String name) {
        return parsed(name, Double::parseDouble, "a number");
    }

    /**
     * Reads a flag, in any letter case: {@code true}, {@code yes}, {@code 1}, {@code on} are true;
     * {@code false}, {@code no}, {@code 0}, {@code off} are false.
     *
     * @param name the variable
     * @return the flag; empty when unset or blank
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be true
     *                             or false, got '<value>'}" for any other value
     */
    public Optional<Boolean> bool(String name) {
        return text(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw values.invalid(name + " must be true or false, got '" + value + "'");
        });
    }

    private <T> Optional<T> parsed(String name, Function<String, T> parser, String expected) {
        return text(name).map(value -> {
            try {
                return parser.apply(value);
            } catch (NumberFormatException e) {
                throw values.invalid(name + " must be " + expected + ", got '" + value + "'");
            }
        });
    }
}

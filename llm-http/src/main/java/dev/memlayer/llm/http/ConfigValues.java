package dev.memlayer.llm.http;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The checks a provider configuration ({@code OpenAiConfig}, {@code OllamaConfig}) runs on its
 * values, with one message style: every failure is a {@link ValidationException} with
 * {@link ErrorCode#INVALID_CONFIGURATION} whose message starts with the configuration's name, e.g.
 * {@code "OllamaConfig: maxRetries must be between 0 and 10, got 11"}.
 *
 * <p>Immutable and thread-safe; one instance per configuration type, usually a constant.
 */
public final class ConfigValues {

    /** The retry limit of every provider: at most this many retries after the first attempt. */
    public static final int MAX_RETRIES = 10;

    private final String owner;

    /**
     * @param owner the configuration's name, the prefix of every message, e.g. {@code "OpenAiConfig"}
     * @throws NullPointerException when owner is null
     */
    public ConfigValues(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** @return the configuration's name given to the constructor */
    public String owner() {
        return owner;
    }

    /**
     * @param message what is wrong, naming the setting and the value
     * @return an {@link ErrorCode#INVALID_CONFIGURATION} exception with the message
     *         {@code "<owner>: <message>"}, to be thrown by the caller
     */
    public ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_CONFIGURATION, owner + ": " + message);
    }

    /**
     * @param value a required text setting, may be null
     * @param name  the setting's name, for the message
     * @return the value without leading and trailing white space
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must not be
     *                             blank}" when the value is null, empty or white space only
     */
    public String requireText(String value, String name) {
        String text = blankToNull(value);
        if (text == null) {
            throw invalid(name + " must not be blank");
        }
        return text;
    }

    /**
     * @param value a duration setting, may be null
     * @param name  the setting's name, for the message
     * @return the value
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be a
     *                             positive duration, got <value>}" when it is null, zero or negative
     */
    public Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(name + " must be a positive duration, got " + value);
        }
        return value;
    }

    /**
     * @param value the value
     * @param min   the smallest accepted value
     * @param max   the largest accepted value, at least {@code min}
     * @param name  the setting's name, for the message
     * @return the value
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be
     *                             between <min> and <max>, got <value>}" when it is outside
     *                             {@code [min, max]}
     */
    public int between(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw invalid(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /**
     * @param value an optional setting, may be null (accepted)
     * @param min   the smallest accepted value
     * @param name  the setting's name, for the message
     * @return the value, possibly null
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be at
     *                             least <min>, got <value>}" when it is not null and below {@code min}
     */
    public Integer atLeast(Integer value, int min, String name) {
        if (value != null && value < min) {
            throw invalid(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /**
     * Checks the settings every provider passes to {@link JsonHttpClient} and {@link RetryPolicy},
     * in this order: {@code maxRetries} in {@code [0, 10]}; each duration positive (non-null);
     * {@code maxBackoff} not shorter than {@code initialBackoff}.
     *
     * @param connectTimeout TCP/TLS connect timeout
     * @param requestTimeout timeout of one attempt
     * @param maxRetries     retries after the first attempt
     * @param initialBackoff base wait before the first retry
     * @param maxBackoff     cap of one computed wait
     * @param totalTimeout   deadline of one call, all attempts included
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) naming the first setting
     *                             out of range
     */
    public void transport(Duration connectTimeout, Duration requestTimeout, int maxRetries, Duration initialBackoff,
                          Duration maxBackoff, Duration totalTimeout) {
        between(maxRetries, 0, MAX_RETRIES, "maxRetries");
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(initialBackoff, "initialBackoff");
        positive(maxBackoff, "maxBackoff");
        positive(totalTimeout, "totalTimeout");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw invalid("maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
        }
    }

    /**
     * @param uri      a base URL, not null
     * @param name     the setting's name, for the message
     * @param examples one or more example URLs for the message, e.g. {@code "http://localhost:11434"}
     * @return the URI
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) "{@code <name> must be an
     *                             http(s) URL such as <examples>, got '<uri>'}" when the scheme is not
     *                             http or https (any case) or there is no host
     */
    public URI httpUrl(URI uri, String name, String examples) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
            throw invalid(name + " must be an http(s) URL such as " + examples + ", got '" + uri + "'");
        }
        return uri;
    }

    /**
     * @param value any text, may be null
     * @return null for null, empty or white-space-only text, else the text stripped of leading and
     *         trailing white space
     */
    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * @param value any text, may be null
     * @return null for null or empty text, else the text unchanged (white space is kept: prefixes
     *         such as {@code "search_query: "} end with a space)
     */
    public static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * @param map a map setting, may be null
     * @param <K> the key type
     * @param <V> the value type
     * @return an unmodifiable copy in the map's iteration order; an empty map for null
     */
    public static <K, V> Map<K, V> orderedCopy(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

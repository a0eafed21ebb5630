package dev.memlayer.llm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memlayer.api.LlmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON and reads JSON back, with bounded retries: 429, 5xx, connection failures and
 * timeouts are retried with exponential backoff and jitter ({@link RetryPolicy}), honouring
 * {@code Retry-After} (seconds or an HTTP date) and {@code retry-after-ms}; any other status fails
 * at once, and redirects are never followed. Whether an error answer is retried, and what its
 * message says, is up to the provider's {@link ErrorDecoder}. Every failure becomes an
 * {@link LlmException} carrying the provider's message and the HTTP status (none for connection
 * failures and timeouts).
 *
 * <p>Support code for memlayer's provider modules, not for applications. Thread-safe; one instance
 * per model object, closed with it. Runs on the JDK {@link HttpClient} with a virtual thread per
 * request.
 */
public final class JsonHttpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpClient.class);

    /**
     * The Jackson mapper the client reads and writes with, shared by the provider modules for
     * building request bodies and reading answers. Thread-safe; treat it as read-only (never
     * reconfigure it).
     */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;
    private final ExecutorService executor;
    private final RetryPolicy policy;
    private final Duration requestTimeout;
    private final Clock clock;

    /**
     * Creates a client with its own HTTP connection pool and virtual-thread executor.
     *
     * @param connectTimeout the TCP/TLS connect timeout, positive
     * @param requestTimeout the timeout of one attempt, until the whole response is read, positive
     *                       (cut to what is left of the total deadline)
     * @param policy         retries and the total deadline
     * @throws NullPointerException when an argument is null
     */
    public JsonHttpClient(Duration connectTimeout, Duration requestTimeout, RetryPolicy policy) {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.policy = Objects.requireNonNull(policy, "policy");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.clock = Clock.systemUTC();
    }

    /**
     * One logical call.
     *
     * @param description    what is being done, for messages, e.g. "OpenAI chat completion (model gpt-4.1)"
     * @param uri            the endpoint, http or https
     * @param headers        request headers besides Content-Type and Accept (e.g. Authorization); copied
     * @param body           the JSON body
     * @param errorDecoder   the provider's explanation of its error answers
     * @param connectionHint what to check when the server cannot be reached (base URL, environment
     *                       variable), appended to connection failure messages
     */
    public record Call(String description, URI uri, Map<String, String> headers, JsonNode body,
                       ErrorDecoder errorDecoder, String connectionHint) {

        /**
         * Checks the arguments and copies the headers.
         *
         * @throws NullPointerException when an argument is null
         */
        public Call {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(uri, "uri");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(errorDecoder, "errorDecoder");
            Objects.requireNonNull(connectionHint, "connectionHint");
        }
    }

    /**
     * Sends the call, retrying as the policy allows.
     *
     * @param call what to send
     * @return the response body, a JSON object whose {@code error} member, if any, is null
     * @throws LlmException when every allowed attempt failed, the error is not retryable, the total
     *                      deadline passed, the server redirected, the host cannot be resolved, the
     *                      thread was interrupted, or the answer is not a JSON object; its
     *                      {@link LlmException#status()} is the HTTP status when there was one
     */
    public JsonNode post(Call call) {
        byte[] payload;
        try {
            payload = MAPPER.writeValueAsBytes(call.body());
        } catch (JsonProcessingException e) {
            throw new LlmException(call.description() + " failed: could not serialise the request: " + e.getOriginalMessage(), e);
        }
        long start = System.nanoTime();
        long deadline = start + policy.totalTimeout().toNanos();
        int attempts = policy.maxRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new LlmException(call.description() + " failed: the total timeout of "
                        + seconds(policy.totalTimeout()) + " passed before attempt " + attempt);
            }
            Duration timeout = Duration.ofNanos(Math.min(requestTimeout.toNanos(), remaining));
            HttpRequest request = buildRequest(call, payload, timeout);
            Failure failure;
            Duration wait;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                String where = "HTTP " + status + " from " + call.uri();
                String text = response.body() == null ? "" : response.body();
                if (status / 100 == 2) {
                    JsonNode json = parse(call, response, text);
                    JsonNode error = json.get("error");
                    if (error == null || error.isNull()) {
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("{}: HTTP {} in {} ms (attempt {})", call.description(), status,
                                    (System.nanoTime() - start) / 1_000_000, attempt);
                        }
                        return json;
                    }
                    // Some gateways (e.g. OpenRouter) report upstream failures inside a 2xx body.
                    status = embeddedStatus(error);
                    where = "an error object (code " + status + ") in the HTTP " + response.statusCode() + " answer from " + call.uri();
                }
                if (status / 100 == 3) {
                    // Never follow: a POST redirected to GET fails obscurely; say where the API moved instead.
                    throw new LlmException(call.description() + " failed: HTTP " + status + " from " + call.uri()
                            + " redirects to " + response.headers().firstValue("Location").orElse("(no Location)")
                            + ". Use that address as the base URL.", status, null);
                }
                DecodedError explained = call.errorDecoder().decode(status, text);
                failure = new Failure(call.description() + " failed: " + where + ": " + explained.message(), status, null);
                if (!explained.retryable()) {
                    throw failure.toException("");
                }
                int retry = attempt;
                wait = retryAfter(response.headers()).orElseGet(() -> policy.backoff(retry));
            } catch (HttpConnectTimeoutException e) {
                failure = new Failure(call.description() + " failed: connecting to " + call.uri() + " timed out. "
                        + call.connectionHint(), -1, e);
                wait = policy.backoff(attempt);
            } catch (HttpTimeoutException e) {
                failure = new Failure(call.description() + " failed: no complete answer from " + call.uri()
                        + " within the request timeout of " + seconds(timeout)
                        + " (raise the request timeout for slow models)", -1, e);
                wait = policy.backoff(attempt);
            } catch (IOException e) {
                if (isUnresolvedHost(e)) {
                    throw new LlmException(call.description() + " failed: the host of " + call.uri()
                            + " cannot be resolved. " + call.connectionHint(), e);
                }
                if (isConnectionRefused(e)) {
                    failure = new Failure(call.description() + " failed: could not connect to " + call.uri()
                            + " (connection refused). " + call.connectionHint(), -1, e);
                } else {
                    failure = new Failure(call.description() + " failed: I/O error talking to " + call.uri() + ": "
                            + e, -1, e);
                }
                wait = policy.backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LlmException(call.description() + " was interrupted", e);
            }
            if (attempt >= attempts) {
                throw failure.toException(" (gave up after " + attempts + (attempts == 1 ? " attempt)" : " attempts)"));
            }
            if (System.nanoTime() + wait.toNanos() > deadline) {
                throw failure.toException(" (gave up after " + attempt + (attempt == 1 ? " attempt" : " attempts")
                        + ": waiting " + millis(wait) + " more would pass the total timeout of "
                        + seconds(policy.totalTimeout()) + ")");
            }
            LOG.warn("{} Retrying in {} (attempt {} of {}).", failure.message(), millis(wait), attempt + 1, attempts);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LlmException(call.description() + " was interrupted while waiting to retry", e);
            }
        }
    }

    private HttpRequest buildRequest(Call call, byte[] payload, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        if ("http".equalsIgnoreCase(call.uri().getScheme())) {
            // Plain-text local servers (llama.cpp, LM Studio, test servers) speak HTTP/1.1; skip the h2c upgrade dance.
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        call.headers().forEach(builder::header);
        return builder.build();
    }

    private static JsonNode parse(Call call, HttpResponse<String> response, String text) {
        try {
            JsonNode json = text.isBlank() ? null : MAPPER.readTree(text);
            if (json != null && json.isObject()) {
                return json;
            }
        } catch (JsonProcessingException e) {
            throw new LlmException(call.description() + " failed: HTTP " + response.statusCode() + " from " + call.uri()
                    + " carried a body that is not valid JSON (" + e.getOriginalMessage() + "; content-type "
                    + response.headers().firstValue("Content-Type").orElse("none") + "): " + snippet(text)
                    + ". If this is not an API endpoint, check the base URL.", response.statusCode(), e);
        }
        throw new LlmException(call.description() + " failed: HTTP " + response.statusCode() + " from " + call.uri()
                + " carried no JSON object (content-type "
                + response.headers().firstValue("Content-Type").orElse("none") + "): " + snippet(text)
                + ". If this is not an API endpoint, check the base URL.", response.statusCode(), null);
    }

    private static int embeddedStatus(JsonNode error) {
        JsonNode code = error.isObject() ? error.get("code") : null;
        if (code != null && code.canConvertToInt() && code.asInt() >= 400 && code.asInt() <= 599) {
            return code.asInt();
        }
        return 502;
    }

    /**
     * Reads {@code retry-after-ms} (OpenAI and OpenAI-style gateways), then {@code Retry-After} as delta-seconds (possibly
     * fractional) or an HTTP date (RFC 9110 §10.2.3).
     *
     * @return the wait the server asked for, never negative; empty when absent or unreadable
     */
    Optional<Duration> retryAfter(HttpHeaders headers) {
        return retryAfter(headers, clock.instant());
    }

    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                double value = Double.parseDouble(ms.get().strip());
                if (value >= 0 && Double.isFinite(value)) {
                    return Optional.of(Duration.ofNanos((long) (value * 1_000_000)));
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> header = headers.firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            double secondsValue = Double.parseDouble(value);
            if (secondsValue >= 0 && Double.isFinite(secondsValue)) {
                return Optional.of(Duration.ofNanos((long) (secondsValue * 1_000_000_000L)));
            }
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                LOG.debug("Ignoring unreadable Retry-After header '{}'", value);
                return Optional.empty();
            }
        }
    }

    private static boolean isConnectionRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnresolvedHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Shortens a body for an error message.
     *
     * @param text any text, may be null
     * @return at most 300 characters of {@code text} (plus "..." when cut), whitespace collapsed;
     *         "(empty body)" for null or blank text
     */
    public static String snippet(String text) {
        if (text == null || text.isBlank()) {
            return "(empty body)";
        }
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    /** Closes the HTTP client and its executor, waiting for calls in flight. */
    @Override
    public void close() {
        client.close();
        executor.close();
    }

    private record Failure(String message, int status, Throwable cause) {
        LlmException toException(String suffix) {
            return new LlmException(message + suffix, status, cause);
        }
    }
}

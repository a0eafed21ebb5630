package dev.memlayer.llm.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long {@link JsonHttpClient} retries a failed call: at most {@code maxRetries}
 * retries after the first attempt, exponential backoff with jitter between attempts, and a total
 * deadline that covers every attempt and every wait.
 *
 * <p>Backoff before retry {@code n} (1-based): {@code d = min(maxBackoff, initialBackoff * 2^(n-1))},
 * then "equal jitter": a uniformly random wait in {@code [d/2, d]} (AWS Architecture Blog,
 * "Exponential Backoff And Jitter", 2015). A server's {@code Retry-After} replaces the computed wait.
 *
 * @param maxRetries     retries after the first attempt, 0 to 10
 * @param initialBackoff the base wait before the first retry, positive
 * @param maxBackoff     the cap of one computed wait, at least {@code initialBackoff}
 * @param totalTimeout   the deadline for the whole call, all attempts and waits included, positive
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration totalTimeout) {

    /**
     * Checks the values against the ranges above.
     *
     * @throws NullPointerException     when a duration is null
     * @throws IllegalArgumentException when a value is outside the documented range
     */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be between 0 and 10, got " + maxRetries);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff ("
                    + initialBackoff + ")");
        }
        if (totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("totalTimeout must be positive, got " + totalTimeout);
        }
    }

    /**
     * The wait before a retry.
     *
     * @param retry the retry about to happen, 1 for the first retry
     * @return the wait before it, with jitter: in {@code [d/2, d]} for the {@code d} above
     */
    public Duration backoff(int retry) {
        long base = initialBackoff.toNanos();
        long cap = Math.max(base, maxBackoff.toNanos());
        long exp = retry >= 62 ? cap : Math.min(cap, base << Math.max(0, Math.min(retry - 1, 30)));
        if (exp < 0) {
            exp = cap;
        }
        long half = exp / 2;
        long jitter = half <= 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1);
        return Duration.ofNanos(half + jitter + (exp % 2));
    }
}

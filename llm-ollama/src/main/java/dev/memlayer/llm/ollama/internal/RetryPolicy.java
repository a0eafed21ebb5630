package dev.memlayer.llm.ollama.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a failed call: at most {@code maxRetries} retries after the
 * first attempt, exponential backoff with jitter between attempts, and a total deadline that covers
 * every attempt and every wait.
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

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
    }

    /**
     * @param retry the retry about to happen, 1 for the first retry
     * @return the wait before it, with jitter
     */
    public Duration backoff(int retry) {
        long base = initialBackoff.toNanos();
        long cap = Math.max(base, maxBackoff.toNanos());
        long exp = retry >= 62 ? cap : Math.min(cap, base << Math.min(retry - 1, 30));
        if (exp < 0) {
            exp = cap;
        }
        long half = exp / 2;
        long jitter = half <= 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1);
        return Duration.ofNanos(half + jitter + (exp % 2));
    }
}

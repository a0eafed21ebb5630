package dev.memlayer.conformance.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it: {@link #set}, {@link #advance} or
 * {@link #tick}. It reports UTC. Thread-safe; copies made by {@link #withZone} share the same
 * current instant.
 *
 * <p>Tests keep instants on whole seconds so that every backend (microsecond or millisecond
 * timestamp precision) stores them exactly.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /**
     * @param start the instant the clock shows until it is moved
     */
    public MutableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return newZone.equals(zone) ? this : new MutableClock(now, newZone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /**
     * @param instant the new current instant
     * @return the new current instant
     */
    public Instant set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
        return instant;
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far, not negative
     * @return the new current instant
     */
    public Instant advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward, got " + amount);
        }
        return now.updateAndGet(t -> t.plus(amount));
    }

    /**
     * Moves the clock one second forward.
     *
     * @return the new current instant
     */
    public Instant tick() {
        return advance(Duration.ofSeconds(1));
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "]";
    }
}

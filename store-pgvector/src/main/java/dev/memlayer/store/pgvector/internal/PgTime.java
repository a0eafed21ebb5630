package dev.memlayer.store.pgvector.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Instants as PostgreSQL stores them: a {@code timestamptz} (microseconds) plus a {@code smallint}
 * with the remaining nanoseconds (0-999), so that every {@link Instant} in the storable range
 * round-trips exactly.
 */
public final class PgTime {

    /** The first storable instant: 0001-01-01T00:00:00Z. */
    public static final Instant MIN = LocalDate.of(1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    /** The first instant after the storable range: 10000-01-01T00:00:00Z. */
    public static final Instant END = LocalDate.of(10000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private PgTime() {
    }

    /** @return true when {@code t} lies in [{@link #MIN}, {@link #END}) */
    public static boolean storable(Instant t) {
        return !t.isBefore(MIN) && t.isBefore(END);
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) outside years 1-9999
     */
    public static void requireStorable(String what, Instant t) {
        if (!storable(t)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    what + " " + t + " is outside the storable range (years 1 to 9999)");
        }
    }

    /** @return the microsecond part, as the {@code timestamptz} to bind */
    public static OffsetDateTime micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /** @return the nanoseconds below the microsecond, 0-999 */
    public static short nanos(Instant t) {
        return (short) (t.getNano() % 1000);
    }

    /** @return the instant stored as {@code timestamptz} + remainder */
    public static Instant instant(OffsetDateTime micros, int nanos) {
        return micros.toInstant().plusNanos(nanos);
    }

    /**
     * @param epochNanos a numeric of nanoseconds since the epoch (as produced by
     *                   {@code extract(epoch from ts) * 1e9 + ns})
     * @return the instant
     */
    public static Instant fromEpochNanos(BigDecimal epochNanos) {
        BigInteger[] parts = epochNanos.toBigInteger().divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
        long seconds = parts[0].longValueExact();
        long nanos = parts[1].longValueExact();
        if (nanos < 0) {
            seconds -= 1;
            nanos += 1_000_000_000L;
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) outside years 1-9999
     */
    public static void requireStorable(String what, LocalDate d) {
        if (d != null && (d.getYear() < 1 || d.getYear() > 9999)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    what + " " + d + " is outside the storable range (years 1 to 9999)");
        }
    }
}

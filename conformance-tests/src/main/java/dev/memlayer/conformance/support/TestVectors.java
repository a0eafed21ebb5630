package dev.memlayer.conformance.support;

import dev.memlayer.api.spi.MemoryRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Vectors and records for tests: seeded random unit vectors, hand-made unit vectors, deterministic
 * UUIDs for readable record names, and {@link MemoryRecord} builders pre-filled with valid values.
 *
 * <p>Everything here is deterministic: the same seed or name gives the same vector or id on every
 * run and every machine.
 */
public final class TestVectors {

    /** The dimension the contract suites use unless a test needs another (16). */
    public static final int DIMENSIONS = 16;

    /** The default {@code created_at}/{@code updated_at} of records built here: 2024-07-01T00:00:00Z. */
    public static final Instant BASE_TIME = Instant.parse("2024-07-01T00:00:00Z");

    private TestVectors() {
    }

    /**
     * A random unit vector: independent standard normal components, L2-normalised, which is
     * uniformly distributed on the sphere.
     *
     * @param random     the source of randomness (seed it for reproducible tests)
     * @param dimensions the length, at least 1
     * @return a new vector of length {@code dimensions} and L2 norm 1 (within float rounding)
     */
    public static float[] randomUnit(Random random, int dimensions) {
        float[] v = new float[dimensions];
        double norm;
        do {
            norm = 0;
            for (int i = 0; i < dimensions; i++) {
                double g = random.nextGaussian();
                v[i] = (float) g;
                norm += g * g;
            }
        } while (norm == 0);
        return normalise(v);
    }

    /**
     * A unit vector in the direction of the given components.
     *
     * @param components at least one non-zero component
     * @return a new float vector with L2 norm 1
     * @throws IllegalArgumentException if every component is zero
     */
    public static float[] unit(double... components) {
        float[] v = new float[components.length];
        for (int i = 0; i < components.length; i++) {
            v[i] = (float) components[i];
        }
        return normalise(v);
    }

    /**
     * L2-normalises a vector in place.
     *
     * @param v the vector, not all zeros
     * @return {@code v}, scaled to unit length
     * @throws IllegalArgumentException if {@code v} is all zeros
     */
    public static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("cannot normalise a zero vector");
        }
        double inv = 1.0 / Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * inv);
        }
        return v;
    }

    /**
     * A unit vector close to {@code base}: {@code base + noise * g} normalised, where {@code g} has
     * standard normal components. Useful for building clusters of similar memories.
     */
    public static float[] near(float[] base, double noise, Random random) {
        float[] v = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            v[i] = (float) (base[i] + noise * random.nextGaussian());
        }
        return normalise(v);
    }

    /**
     * The dot product, accumulated in double precision. For unit vectors this is their cosine
     * similarity.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /**
     * A deterministic UUID for a readable name, so tests can refer to records as {@code "r1"} while
     * stores see real UUIDs (some backends store ids in a {@code uuid} column).
     *
     * @param name any name
     * @return a lower-case UUID string (name-based, version 3)
     */
    public static String id(String name) {
        return UUID.nameUUIDFromBytes(("memlayer-test:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** @return a random lower-case UUID string drawn from {@code random} (reproducible with a seed) */
    public static String randomId(Random random) {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    /**
     * MD5 of the UTF-8 bytes, lower-case hex: the {@code hash} field of a memory (SPEC §2).
     *
     * @param text the text
     * @return 32 hex characters
     */
    public static String md5Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every JDK", e);
        }
    }

    /**
     * A builder for a valid record named {@code name}: id {@link #id(String) id(name)}, text
     * {@code "memory <name>"} with its MD5 hash, the given embedding, user_id {@code "alex"},
     * created_at = updated_at = {@link #BASE_TIME}, empty metadata and categories.
     *
     * @param name      the readable name
     * @param embedding the embedding (used as is, not copied)
     * @return a builder the caller may adjust
     */
    public static MemoryRecord.Builder record(String name, float[] embedding) {
        String text = "memory " + name;
        return MemoryRecord.builder()
                .id(id(name))
                .memory(text)
                .hash(md5Hex(text))
                .embedding(embedding)
                .userId("alex")
                .createdAt(BASE_TIME)
                .updatedAt(BASE_TIME);
    }

    /**
     * Like {@link #record(String, float[])} with a random unit embedding.
     */
    public static MemoryRecord.Builder record(String name, Random random, int dimensions) {
        return record(name, randomUnit(random, dimensions));
    }

    /**
     * Truncates an instant to microseconds, the precision every store must keep (PostgreSQL's
     * {@code timestamptz} resolution).
     */
    public static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** @return the ids of the records, in order */
    public static List<String> ids(Collection<MemoryRecord> records) {
        List<String> out = new ArrayList<>(records.size());
        for (MemoryRecord r : records) {
            out.add(r.id());
        }
        return out;
    }
}

package dev.memlayer.benchmarks.data;

import dev.memlayer.api.Role;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.conformance.support.TestVectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * A deterministic benchmark dataset: {@link #size()} memories of {@value #DIMENSIONS}-dimensional
 * unit vectors spread over users, with realistic text and metadata. Record {@code i} is a pure
 * function of the seed and {@code i}, so a store loaded by an earlier JVM can be checked and
 * reused, and records can be generated in parallel.
 *
 * <p>Users: when {@link #largeScope()} is positive, user {@value #LARGE_USER} holds that many
 * memories; the rest are spread over users {@code u-0001}, {@code u-0002}, ... of
 * {@link #smallScope()} memories each (the last may hold fewer). Users are interleaved in id
 * order (a seeded shuffle), as memories of many users arrive in a real store.
 *
 * <p>Each record has: a UUID id; a {@link Corpus} sentence of its topic with its MD5 hash; metadata
 * {@code topic} (8 values, uniform, so {@code metadata.topic = "travel"} selects 1/8), {@code source},
 * {@code importance} (1 to 5), {@code session}, {@code confidence} and a nested {@code app} object;
 * categories {@code [topic]}; created_at = updated_at spread over 2024 (311 s apart); role user.
 */
public final class Dataset {

    /** The embedding dimension of every dataset (bge-small's and MiniLM's). */
    public static final int DIMENSIONS = 384;
    /** The user that holds {@link #largeScope()} memories. */
    public static final String LARGE_USER = "u-10k";
    /** The seed of every dataset the benchmarks use. */
    public static final long SEED = 20_240_701L;

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final List<String> SOURCES = List.of("chat", "chat", "chat", "email", "calendar", "import");
    private static final Map<String, Dataset> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private final int size;
    private final int largeScope;
    private final int smallScope;
    private final Distribution distribution;
    private final long seed;
    private final VectorModel model;
    private final List<String> users;
    private final int[] userOf;

    private Dataset(int size, int largeScope, int smallScope, Distribution distribution, long seed) {
        if (size < 1 || smallScope < 1 || largeScope < 0 || largeScope > size) {
            throw new IllegalArgumentException("bad dataset shape: size " + size + ", large scope " + largeScope
                    + ", small scope " + smallScope);
        }
        this.size = size;
        this.largeScope = largeScope;
        this.smallScope = smallScope;
        this.distribution = distribution;
        this.seed = seed;
        this.model = new VectorModel(distribution, DIMENSIONS, seed);
        List<String> names = new ArrayList<>();
        int[] owner = new int[size];
        int next = 0;
        if (largeScope > 0) {
            names.add(LARGE_USER);
            for (int i = 0; i < largeScope; i++) {
                owner[next++] = 0;
            }
        }
        while (next < size) {
            int u = names.size();
            names.add(String.format("u-%04d", largeScope > 0 ? u : u + 1));
            for (int i = 0; i < smallScope && next < size; i++) {
                owner[next++] = u;
            }
        }
        Random shuffle = new Random(seed ^ 0x5DEECE66DL);
        for (int i = size - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = owner[i];
            owner[i] = owner[j];
            owner[j] = t;
        }
        this.users = List.copyOf(names);
        this.userOf = owner;
    }

    /**
     * The dataset of this shape, memoised per JVM.
     *
     * @param size         number of memories, at least 1
     * @param largeScope   memories of {@link #LARGE_USER}, 0 for none
     * @param smallScope   memories of every other user, at least 1
     * @param distribution how vectors are drawn
     * @return the dataset (seed {@link #SEED})
     */
    public static Dataset of(int size, int largeScope, int smallScope, Distribution distribution) {
        String key = size + "/" + largeScope + "/" + smallScope + "/" + distribution;
        return CACHE.computeIfAbsent(key, k -> new Dataset(size, largeScope, smallScope, distribution, SEED));
    }

    /** @return number of memories */
    public int size() {
        return size;
    }

    /** @return memories of {@link #LARGE_USER}, 0 when there is no such user */
    public int largeScope() {
        return largeScope;
    }

    /** @return memories of each other user (the last user may hold fewer) */
    public int smallScope() {
        return smallScope;
    }

    /** @return how the vectors are drawn */
    public Distribution distribution() {
        return distribution;
    }

    /** @return the users, {@link #LARGE_USER} first when present */
    public List<String> users() {
        return users;
    }

    /** @return the first user holding {@link #smallScope()} memories */
    public String smallUser() {
        return users.get(largeScope > 0 ? 1 : 0);
    }

    /**
     * A name for the collection holding this dataset, unique per shape, distribution and
     * generator version: lower-case letters, digits and underscores, at most 40 characters.
     *
     * @param suffix distinguishes collections of the same data ({@code ""} or e.g. {@code "w"})
     */
    public String collectionName(String suffix) {
        return "bench_v1_" + size + "_" + largeScope + "_" + smallScope + "_"
                + distribution.name().toLowerCase(java.util.Locale.ROOT).charAt(0)
                + (suffix.isEmpty() ? "" : "_" + suffix);
    }

    /** @return the user of record {@code i} */
    public String userOf(int i) {
        return users.get(userOf[i]);
    }

    /** @return record {@code i}, with its embedding */
    public MemoryRecord record(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        Random random = new Random(mix(seed, i));
        return generate(random, id(i), userOf(i), START.plusSeconds(311L * i));
    }

    /** @return every record, generated lazily in order */
    public Iterator<MemoryRecord> records() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public MemoryRecord next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return record(next++);
            }
        };
    }

    /** @return every record, generated in parallel, in order */
    public List<MemoryRecord> materialize() {
        MemoryRecord[] out = new MemoryRecord[size];
        IntStream.range(0, size).parallel().forEach(i -> out[i] = record(i));
        return List.of(out);
    }

    /**
     * A record that is not part of the dataset but drawn from the same distribution (for write
     * benchmarks): a fresh random id, the given user.
     *
     * @param random the source of randomness
     * @param userId the owner
     * @return a new record
     */
    public MemoryRecord freshRecord(Random random, String userId) {
        String id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
        return generate(random, id, userId, START.plusSeconds(311L * size + random.nextInt(86_400)));
    }

    /**
     * Query vectors drawn from the data's distribution (for {@link Distribution#CLUSTERED}: like a
     * new memory of a random cluster), not equal to any record's.
     *
     * @param count how many
     * @param querySeed the seed of the queries
     * @return {@code count} unit vectors
     */
    public float[][] queries(int count, long querySeed) {
        Random random = new Random(querySeed);
        float[][] out = new float[count][];
        for (int q = 0; q < count; q++) {
            out[q] = model.draw(random, random.nextInt(VectorModel.CLUSTERS));
        }
        return out;
    }

    private MemoryRecord generate(Random random, String id, String userId, Instant created) {
        int cluster = random.nextInt(VectorModel.CLUSTERS);
        int topic = cluster % Corpus.TOPICS.size();
        float[] vector = model.draw(random, cluster);
        String text = Corpus.sentence(random, topic);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("topic", Corpus.TOPICS.get(topic));
        metadata.put("source", SOURCES.get(random.nextInt(SOURCES.size())));
        metadata.put("importance", (long) (1 + random.nextInt(5)));
        metadata.put("session", "s-" + random.nextInt(400));
        metadata.put("confidence", Math.round((0.5 + random.nextDouble() / 2) * 100) / 100.0);
        metadata.put("app", Map.of("name", "companion", "version", "2.3." + random.nextInt(10)));
        return MemoryRecord.builder()
                .id(id)
                .memory(text)
                .hash(TestVectors.md5Hex(text))
                .embedding(vector)
                .metadata(metadata)
                .categories(List.of(Corpus.TOPICS.get(topic)))
                .createdAt(created)
                .updatedAt(created)
                .userId(userId)
                .role(Role.USER)
                .build();
    }

    private String id(int i) {
        long hi = mix(seed ^ 0x9E3779B97F4A7C15L, i);
        long lo = mix(seed ^ 0xC2B2AE3D27D4EB4FL, i);
        return new UUID((hi & ~0xF000L) | 0x4000L, (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    /** SplitMix64 of (seed, i): well-spread, independent seeds per record. */
    private static long mix(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " memories, " + users.size() + " users, large scope " + largeScope
                + ", small scope " + smallScope + ", " + distribution + "]";
    }
}

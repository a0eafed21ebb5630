package dev.memlayer.store.redis.internal;

import dev.memlayer.api.StoreException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.store.redis.RedisConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Filtered top-k search over the per-entity vector sets.
 *
 * <ol>
 *   <li>Pick the partitions ({@link Cover}): the smallest entity set that holds every possible
 *       match, the union for ORs and INs, or every entity (each record once, in the set of its
 *       first scope id) when the filter names none.</li>
 *   <li>Per partition, one round trip: {@link Scripts#SEARCH_SMALL} scans a set of up to
 *       {@link RedisConfig#exactSearchThreshold()} elements exactly ({@code VSIM ... TRUTH} with
 *       the compiled server filter) and returns the hits with their records; a larger set is
 *       searched with {@code VSIM} through HNSW on the server's search threads, and re-scanned
 *       exactly if a filtered graph search comes back short, so FILTER-EF never costs recall.</li>
 *   <li>Keep the candidates {@link FilterEvaluator} accepts. While fewer than k survive, or the
 *       last candidate ties with the k-th survivor, ask again for 4x as many (an exact scan that
 *       returns fewer than asked has seen every match).</li>
 *   <li>Pending vectors (written, not yet indexed: see {@link Scripts#WRITE}) of each partition's
 *       entity come with its first round (in the same script as the exact scan, or from
 *       {@link Scripts#PENDING} queued before the {@code VSIM}, so a vector indexed meanwhile is
 *       seen at least once); they are scored exactly in Java and filtered with
 *       {@link FilterEvaluator}, every one of them, so they need no further rounds.</li>
 *   <li>Merge the partitions and the pending hits (each memory once), order by similarity
 *       descending then id ascending, cut at k.</li>
 * </ol>
 *
 * <p>Scores: {@code VSIM WITHSCORES} reports {@code (1 + cos) / 2} (1 identical, 0.5 orthogonal,
 * 0 opposite), in float32; it ranks the candidates. The hits' reported scores are
 * {@link #exactSimilarity}, computed from the exact vector copy read with each hit's record (1.5 kB
 * more per hit at 384 dimensions), the same for indexed and pending vectors.
 */
public final class VectorSearch {

    private static final byte[] FP32 = ascii("FP32");
    private static final byte[] WITHSCORES = ascii("WITHSCORES");
    private static final byte[] COUNT = ascii("COUNT");
    private static final byte[] EF = ascii("EF");
    private static final byte[] FILTER = ascii("FILTER");
    private static final byte[] FILTER_EF = ascii("FILTER-EF");
    private static final byte[] TRUTH = ascii("TRUTH");

    private final RedisExecutor redis;
    private final Keys keys;
    private final RecordReader reader;
    private final RedisConfig config;
    private final byte[] prefix;
    private final byte[] threshold;

    public VectorSearch(RedisExecutor redis, Keys keys, RecordReader reader, RedisConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.reader = reader;
        this.config = config;
        this.prefix = keys.prefix().getBytes(StandardCharsets.UTF_8);
        this.threshold = ascii(Integer.toString(config.exactSearchThreshold()));
    }

    /** The converted similarity of a {@code VSIM} score: {@code similarity(2s - 1)}. */
    public static double similarity(double vsimScore) {
        return ScoredRecord.similarity(2.0 * vsimScore - 1.0);
    }

    private record Candidate(String id, double score) {
    }

    private enum Mode {
        /** Size unknown or at most the threshold: {@link Scripts#SEARCH_SMALL} (exact, with records). */
        SMALL,
        /** Larger than the threshold: threaded HNSW search. */
        HNSW,
        /** Larger, but the filtered HNSW search came back short: threaded exact scan. */
        SCAN
    }

    /** The search of one vector set. */
    private final class Partition {
        final byte[] key;
        final byte[] pendingKey;
        final ServerFilter filter;
        boolean pendingRead;
        List<ScoredRecord> pendingHits = List.of();
        Mode mode;
        int count;
        boolean done;
        List<ScoredRecord> accepted = List.of();


        Partition(String tag, long size, ServerFilter filter, int k) {
            this.key = keys.vectorSet(tag);
            this.pendingKey = keys.pending(tag);
            this.filter = filter;
            this.mode = size >= 0 && size > config.exactSearchThreshold() ? Mode.HNSW : Mode.SMALL;
            // one more than k, so the last candidate shows whether the k-th ties with unseen ones
            this.count = filter.exact() ? k + 1 : Math.max(2 * k, k + 10);
        }

        byte[][] vsim(byte[] vector) {
            List<byte[]> args = new ArrayList<>(14);
            args.add(key);
            args.add(FP32);
            args.add(vector);
            args.add(WITHSCORES);
            args.add(COUNT);
            args.add(ascii(Integer.toString(count)));
            if (mode == Mode.HNSW && config.efSearch() > 0) {
                args.add(EF);
                args.add(ascii(Integer.toString(Math.max(config.efSearch(), count))));
            }
            if (filter.expression() != null) {
                args.add(FILTER);
                args.add(filter.expression().getBytes(StandardCharsets.UTF_8));
                if (mode == Mode.HNSW && config.filterEf() > 0) {
                    args.add(FILTER_EF);
                    args.add(ascii(Integer.toString(config.filterEf())));
                }
            }
            if (mode == Mode.SCAN) {
                args.add(TRUTH);
            }
            return args.toArray(new byte[0][]);
        }

        List<byte[]> script(byte[] vector) {
            List<byte[]> args = new ArrayList<>(7 + RecordCodec.READ_WITH_EMBEDDING.length);
            args.add(prefix);
            args.add(key);
            args.add(pendingRead ? new byte[0] : pendingKey);
            args.add(threshold);
            args.add(ascii(Integer.toString(count)));
            args.add(filter.expression() == null ? new byte[0] : filter.expression().getBytes(StandardCharsets.UTF_8));
            args.add(vector);
            args.addAll(List.of(RecordCodec.READ_WITH_EMBEDDING)); // hits are scored from the exact copy
            return args;
        }
    }

    /**
     * What one round trip brought back for one partition: {@code pending} is the raw
     * {@code {id, doc, vec, ...}} list of its pending vectors, or null when they were not read.
     */
    private record Answer(List<Candidate> candidates, long size, Map<String, MemoryRecord> records, List<?> pending) {
    }

    /**
     * @param vector the query vector (dimension checked by the caller)
     * @param filter the filter, or null
     * @param k      top-k, at least 1
     * @return at most k hits ordered by similarity descending, then id ascending
     */
    public List<ScoredRecord> search(float[] vector, Filter filter, int k) {
        List<Partition> partitions = plan(filter, k);
        if (partitions.isEmpty()) {
            return List.of();
        }
        byte[] blob = VsetEncoding.fp32(vector);
        Map<String, MemoryRecord> records = new HashMap<>();
        List<Partition> active = new ArrayList<>(partitions);
        while (!active.isEmpty()) {
            List<Answer> answers = round(active, blob);
            Set<String> missing = new LinkedHashSet<>();
            for (Answer answer : answers) {
                records.putAll(answer.records);
                for (Candidate c : answer.candidates) {
                    if (!records.containsKey(c.id)) {
                        missing.add(c.id);
                    }
                }
            }
            if (!missing.isEmpty()) {
                Map<String, MemoryRecord> read = reader.read(missing, true);
                for (String id : missing) {
                    records.put(id, read.get(id)); // null: deleted meanwhile
                }
            }
            List<Partition> next = new ArrayList<>();
            for (int i = 0; i < active.size(); i++) {
                Partition part = active.get(i);
                if (answers.get(i).pending != null) {
                    part.pendingRead = true;
                    part.pendingHits = scorePending(answers.get(i).pending, vector, filter);
                }
                advance(part, answers.get(i), records, vector, filter, k);
                if (!part.done) {
                    next.add(part);
                }
            }
            active.clear();
            active.addAll(next);
        }
        Map<String, ScoredRecord> merged = new LinkedHashMap<>();
        for (Partition part : partitions) {
            for (ScoredRecord hit : part.accepted) {
                merged.putIfAbsent(hit.record().id(), hit);
            }
            for (ScoredRecord hit : part.pendingHits) {
                merged.putIfAbsent(hit.record().id(), hit);
            }
        }
        return merged.values().stream().sorted(ORDER).limit(k).toList();
    }

    /** More than the difference between a {@code VSIM} score (float32) and the exact similarity. */
    private static final double SCORE_MARGIN = 1e-6;

    private static final Comparator<ScoredRecord> ORDER = Comparator.comparingDouble(ScoredRecord::score).reversed()
            .thenComparing(h -> h.record().id());

    /** One pipelined round trip: the small-set script or a threaded VSIM per active partition. */
    private List<Answer> round(List<Partition> active, byte[] blob) {
        try {
            return roundOnce(active, blob);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof JedisNoScriptException)) {
                throw e;
            }
            // first use on this server, or after a restart / SCRIPT FLUSH: load it, then ask again
            redis.call("script load", true, c -> {
                c.scriptLoad(new String(Scripts.SEARCH_SMALL.source(), StandardCharsets.UTF_8));
                return c.scriptLoad(new String(Scripts.PENDING.source(), StandardCharsets.UTF_8));
            });
            return roundOnce(active, blob);
        }
    }

    private List<Answer> roundOnce(List<Partition> active, byte[] blob) {
        return redis.pipelined("vector search", true, p -> {
            List<Response<Object>> rs = new ArrayList<>(active.size());
            List<Response<Object>> pending = new ArrayList<>(active.size());
            for (Partition part : active) {
                if (part.mode == Mode.SMALL) {
                    pending.add(null);
                    rs.add(p.evalsha(Scripts.SEARCH_SMALL.sha(), List.of(), part.script(blob)));
                } else {
                    // read before the VSIM: a vector indexed in between is then seen by both, never by neither
                    pending.add(part.pendingRead ? null
                            : p.evalsha(Scripts.PENDING.sha(), List.of(), List.of(prefix, part.pendingKey)));
                    rs.add(p.sendCommand(Protocol.Command.VSIM, part.vsim(blob)));
                }
            }
            return () -> {
                List<Answer> out = new ArrayList<>(rs.size());
                for (int i = 0; i < rs.size(); i++) {
                    Object reply = rs.get(i).get();
                    if (active.get(i).mode == Mode.SMALL) {
                        out.add(parseSmall(reply, active.get(i).pendingRead));
                    } else {
                        Response<Object> pend = pending.get(i);
                        out.add(new Answer(parse(reply), -1, Map.of(), pend == null ? null : (List<?>) pend.get()));
                    }
                }
                return out;
            };
        });
    }

    /**
     * Scores pending vectors with {@link #exactSimilarity}; keeps the memories the filter accepts.
     *
     * @param raw {@code {id, doc, vec, ...}} as {@link Scripts#PENDING} returns it
     */
    private static List<ScoredRecord> scorePending(List<?> raw, float[] query, Filter filter) {
        if (raw.isEmpty()) {
            return List.of();
        }
        List<ScoredRecord> out = new ArrayList<>(raw.size() / 3);
        for (int i = 0; i + 2 < raw.size(); i += 3) {
            MemoryRecord r = RecordCodec.decode(List.of((byte[]) raw.get(i + 1)));
            if (r == null || !FilterEvaluator.matches(filter, r)) {
                continue;
            }
            float[] v = VsetEncoding.fromFp32((byte[]) raw.get(i + 2));
            out.add(new ScoredRecord(r, exactSimilarity(query, v, r.id())));
        }
        return out;
    }

    /**
     * The similarity of a query and a stored vector: their cosine in double precision (the
     * vectors need not be unit length), through {@link ScoredRecord#similarity}. Every hit is
     * scored so, whether its vector is indexed or pending, so a score does not change when the
     * vector is indexed, and equals the reference formula's up to rounding.
     */
    static double exactSimilarity(float[] query, float[] v, String id) {
        if (v.length != query.length) {
            throw new StoreException("memory " + id + " has a vector of " + v.length + " dimensions in a collection of "
                    + query.length, false, null);
        }
        return ScoredRecord.similarity(query, v);
    }

    private void advance(Partition part, Answer answer, Map<String, MemoryRecord> records, float[] query, Filter filter,
                         int k) {
        if (part.mode == Mode.SMALL && answer.size >= 0) {
            if (answer.size == 0) {
                part.done = true;
                return;
            }
            if (answer.size > config.exactSearchThreshold()) {
                part.mode = Mode.HNSW; // ask again through the graph
                return;
            }
        }
        List<Candidate> candidates = answer.candidates;
        List<ScoredRecord> accepted = new ArrayList<>();
        for (Candidate c : candidates) {
            MemoryRecord r = records.get(c.id);
            if (r != null && FilterEvaluator.matches(filter, r)) {
                double score = r.embedding() == null ? similarity(c.score) : exactSimilarity(query, r.embedding(), r.id());
                accepted.add(new ScoredRecord(r.withEmbedding(null), score));
            }
        }
        accepted.sort(ORDER);
        part.accepted = accepted;
        if (candidates.size() < part.count) {
            if (part.mode == Mode.HNSW) {
                // the graph search came back short (FILTER-EF reached, or a sparse graph): scan exactly
                part.mode = Mode.SCAN;
                return;
            }
            part.done = true; // an exact scan returning fewer than asked has seen every match
            return;
        }
        if (accepted.size() >= k) {
            double kth = accepted.get(k - 1).score();
            double last = similarity(candidates.get(candidates.size() - 1).score);
            // VSIM's float32 score may differ from the exact one by ~1e-7: keep a margin
            if (last + SCORE_MARGIN < kth) {
                part.done = true; // no unseen candidate can rank in the top k or tie with it
                return;
            }
        }
        part.count = (int) Math.min(Integer.MAX_VALUE / 4, (long) part.count * 4);
    }

    private List<Partition> plan(Filter filter, int k) {
        ServerFilter global = RedisFilterCompiler.compile(filter);
        if (global.matchesNothing()) {
            return List.of();
        }
        Cover cover = Cover.of(filter);
        List<Partition> out = new ArrayList<>();
        if (cover != null) {
            Set<String> mentioned = new LinkedHashSet<>();
            Cover.collect(cover, mentioned);
            // one partition named: its size comes with the first answer; several: pick by size
            Map<String, long[]> sizes = cover instanceof Cover.Tags ? Map.of() : sizes(mentioned);
            Map<String, Long> totals = new HashMap<>();
            sizes.forEach((tag, s) -> totals.put(tag, s[0] + s[1]));
            for (String tag : Cover.resolve(cover, totals)) {
                long[] size = sizes.get(tag);
                if (size == null || size[0] + size[1] != 0) {
                    ServerFilter sf = RedisFilterCompiler.compile(filter, Cover.known(tag));
                    if (!sf.matchesNothing()) {
                        out.add(new Partition(tag, size == null ? -1 : size[0], sf, k));
                    }
                }
            }
            return out;
        }
        // no scope named: every record once, in the set of its first scope id
        List<String> tags = redis.call("list entities", true, c -> c.smembers(keys.registry()))
                .stream().map(b -> new String(b, StandardCharsets.UTF_8)).sorted().toList();
        Map<String, long[]> sizes = sizes(tags);
        for (String tag : tags) {
            long[] size = sizes.get(tag);
            if (size[0] + size[1] == 0) {
                continue;
            }
            ServerFilter sf = RedisFilterCompiler.compile(filter, Cover.known(tag));
            if (tag.startsWith("a:")) {
                sf = RedisFilterCompiler.and(sf, RedisFilterCompiler.absent(FilterFields.USER_ID));
            } else if (tag.startsWith("r:")) {
                sf = RedisFilterCompiler.and(sf, "(" + RedisFilterCompiler.absent(FilterFields.USER_ID) + ") and ("
                        + RedisFilterCompiler.absent(FilterFields.AGENT_ID) + ")");
            }
            if (!sf.matchesNothing()) {
                out.add(new Partition(tag, size[0], sf, k));
            }
        }
        return out;
    }

    /** @return per tag: {vector set size, pending vectors} */
    private Map<String, long[]> sizes(java.util.Collection<String> tags) {
        List<String> list = List.copyOf(tags);
        List<Long> counts = redis.pipelined("vector set sizes", true, p -> {
            List<Response<Long>> rs = new ArrayList<>(list.size() * 2);
            for (String tag : list) {
                rs.add(p.vcard(keys.vectorSet(tag)));
                rs.add(p.hlen(keys.pending(tag)));
            }
            return () -> rs.stream().map(r -> r.get() == null ? 0L : r.get()).toList();
        });
        Map<String, long[]> out = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            out.put(list.get(i), new long[] {counts.get(2 * i), counts.get(2 * i + 1)});
        }
        return out;
    }

    private static Answer parseSmall(Object reply, boolean pendingAlreadyRead) {
        List<?> parts = (List<?>) reply;
        long size = (Long) parts.get(0);
        List<?> pending = pendingAlreadyRead ? null : (List<?>) parts.get(1);
        if (parts.size() < 3) {
            return new Answer(List.of(), size, Map.of(), pending);
        }
        List<Candidate> candidates = parse(parts.get(2));
        Map<String, MemoryRecord> records = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            @SuppressWarnings("unchecked")
            List<byte[]> fields = (List<byte[]>) parts.get(3 + i);
            records.put(candidates.get(i).id, RecordCodec.decode(fields)); // null: deleted meanwhile
        }
        return new Answer(candidates, size, records, pending);
    }

    private static List<Candidate> parse(Object reply) {
        if (!(reply instanceof List<?> list)) {
            return List.of();
        }
        List<Candidate> out = new ArrayList<>(list.size() / 2);
        for (int i = 0; i + 1 < list.size(); i += 2) {
            String id = new String((byte[]) list.get(i), StandardCharsets.UTF_8);
            double score = Double.parseDouble(new String((byte[]) list.get(i + 1), StandardCharsets.US_ASCII));
            out.add(new Candidate(id, score));
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

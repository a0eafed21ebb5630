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
 *   <li>Merge the partitions, order by similarity descending then id ascending, cut at k.</li>
 * </ol>
 *
 * <p>Scores: {@code VSIM WITHSCORES} reports {@code (1 + cos) / 2} (1 identical, 0.5 orthogonal,
 * 0 opposite); the cosine is {@code 2s - 1}, reported through {@link ScoredRecord#similarity}.
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
        final ServerFilter filter;
        Mode mode;
        int count;
        boolean done;
        List<ScoredRecord> accepted = List.of();

        Partition(String tag, long size, ServerFilter filter, int k) {
            this.key = keys.vectorSet(tag);
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
            List<byte[]> args = new ArrayList<>(6 + RecordCodec.READ_WITHOUT_EMBEDDING.length);
            args.add(prefix);
            args.add(key);
            args.add(threshold);
            args.add(ascii(Integer.toString(count)));
            args.add(filter.expression() == null ? new byte[0] : filter.expression().getBytes(StandardCharsets.UTF_8));
            args.add(vector);
            args.addAll(List.of(RecordCodec.READ_WITHOUT_EMBEDDING));
            return args;
        }
    }

    /** What one round trip brought back for one partition. */
    private record Answer(List<Candidate> candidates, long size, Map<String, MemoryRecord> records) {
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
                Map<String, MemoryRecord> read = reader.read(missing, false);
                for (String id : missing) {
                    records.put(id, read.get(id)); // null: deleted meanwhile
                }
            }
            List<Partition> next = new ArrayList<>();
            for (int i = 0; i < active.size(); i++) {
                Partition part = active.get(i);
                advance(part, answers.get(i), records, filter, k);
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
        }
        return merged.values().stream().sorted(ORDER).limit(k).toList();
    }

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
            redis.call("script load", true, c -> c.scriptLoad(new String(Scripts.SEARCH_SMALL.source(), StandardCharsets.UTF_8)));
            return roundOnce(active, blob);
        }
    }

    private List<Answer> roundOnce(List<Partition> active, byte[] blob) {
        return redis.pipelined("vector search", true, p -> {
            List<Response<Object>> rs = new ArrayList<>(active.size());
            for (Partition part : active) {
                rs.add(part.mode == Mode.SMALL
                        ? p.evalsha(Scripts.SEARCH_SMALL.sha(), List.of(), part.script(blob))
                        : p.sendCommand(Protocol.Command.VSIM, part.vsim(blob)));
            }
            return () -> {
                List<Answer> out = new ArrayList<>(rs.size());
                for (int i = 0; i < rs.size(); i++) {
                    Object reply = rs.get(i).get();
                    out.add(active.get(i).mode == Mode.SMALL ? parseSmall(reply) : new Answer(parse(reply), -1, Map.of()));
                }
                return out;
            };
        });
    }

    private void advance(Partition part, Answer answer, Map<String, MemoryRecord> records, Filter filter, int k) {
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
                accepted.add(new ScoredRecord(r, similarity(c.score)));
            }
        }
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
            if (last < kth) {
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
            Map<String, Long> sizes = cover instanceof Cover.Tags ? Map.of() : sizes(mentioned);
            for (String tag : Cover.resolve(cover, sizes)) {
                long size = sizes.getOrDefault(tag, -1L);
                if (size != 0) {
                    ServerFilter sf = RedisFilterCompiler.compile(filter, Cover.known(tag));
                    if (!sf.matchesNothing()) {
                        out.add(new Partition(tag, size, sf, k));
                    }
                }
            }
            return out;
        }
        // no scope named: every record once, in the set of its first scope id
        List<String> tags = redis.call("list entities", true, c -> c.smembers(keys.registry()))
                .stream().map(b -> new String(b, StandardCharsets.UTF_8)).sorted().toList();
        Map<String, Long> sizes = sizes(tags);
        for (String tag : tags) {
            long size = sizes.getOrDefault(tag, 0L);
            if (size == 0) {
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
                out.add(new Partition(tag, size, sf, k));
            }
        }
        return out;
    }

    private Map<String, Long> sizes(java.util.Collection<String> tags) {
        List<String> list = List.copyOf(tags);
        List<Long> counts = redis.pipelined("vector set sizes", true, p -> {
            List<Response<Long>> rs = new ArrayList<>(list.size());
            for (String tag : list) {
                rs.add(p.vcard(keys.vectorSet(tag)));
            }
            return () -> rs.stream().map(Response::get).toList();
        });
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            out.put(list.get(i), counts.get(i) == null ? 0L : counts.get(i));
        }
        return out;
    }

    private static Answer parseSmall(Object reply) {
        List<?> parts = (List<?>) reply;
        long size = (Long) parts.get(0);
        if (parts.size() < 2) {
            return new Answer(List.of(), size, Map.of());
        }
        List<Candidate> candidates = parse(parts.get(1));
        Map<String, MemoryRecord> records = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            @SuppressWarnings("unchecked")
            List<byte[]> fields = (List<byte[]>) parts.get(2 + i);
            records.put(candidates.get(i).id, RecordCodec.decode(fields)); // null: deleted meanwhile
        }
        return new Answer(candidates, size, records);
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

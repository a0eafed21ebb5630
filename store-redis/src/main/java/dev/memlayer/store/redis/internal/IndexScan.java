package dev.memlayer.store.redis.internal;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import redis.clients.jedis.Response;

/**
 * Walks the list-order indexes ({@code P:{t}:z}, {@code P:{g}:z}: members = sort key + id, all
 * scores 0, so byte order = {@code created_at} descending, then id) for {@code list}, {@code count}
 * and {@code deleteWhere}. Never uses {@code KEYS}: the partitions come from {@link Cover}, or the
 * collection index when the filter names no scope. A filter that is exactly one scope id is paged
 * and counted on the index alone ({@code ZRANGE}, {@code ZCARD}); any other is evaluated on the
 * records with {@link FilterEvaluator}, read in chunks in list order.
 */
public final class IndexScan {

    /** Members (and records) read per round trip. */
    private static final int CHUNK = 500;

    private final RedisExecutor redis;
    private final Keys keys;
    private final RecordReader reader;

    public IndexScan(RedisExecutor redis, Keys keys, RecordReader reader) {
        this.redis = redis;
        this.keys = keys;
        this.reader = reader;
    }

    /** Where the records of a filter are, and whether membership alone decides. */
    private record Source(List<byte[]> indexes, boolean exact) {
    }

    private Source source(Filter filter) {
        if (filter == null) {
            return new Source(List.of(keys.allIndex()), true);
        }
        if (RedisFilterCompiler.compile(filter).matchesNothing()) {
            return new Source(List.of(), true);
        }
        Cover cover = Cover.of(filter);
        if (cover == null) {
            return new Source(List.of(keys.allIndex()), false);
        }
        Set<String> mentioned = new LinkedHashSet<>();
        Cover.collect(cover, mentioned);
        List<String> tags = List.copyOf(mentioned);
        List<Long> counts = redis.pipelined("index sizes", true, p -> {
            List<Response<Long>> rs = new ArrayList<>(tags.size());
            for (String t : tags) {
                rs.add(p.zcard(keys.entityIndex(t)));
            }
            return () -> rs.stream().map(Response::get).toList();
        });
        Map<String, Long> sizes = new java.util.HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            sizes.put(tags.get(i), counts.get(i));
        }
        Set<String> chosen = Cover.resolve(cover, sizes);
        List<byte[]> indexes = new ArrayList<>();
        for (String t : chosen) {
            if (sizes.getOrDefault(t, 0L) > 0) {
                indexes.add(keys.entityIndex(t));
            }
        }
        return new Source(indexes, Cover.isExactlyPartition(filter, chosen));
    }

    /**
     * @return a page of the matching records in list order (without embeddings)
     */
    public List<MemoryRecord> list(Filter filter, long offset, int limit) {
        Source source = source(filter);
        if (source.indexes.isEmpty()) {
            return List.of();
        }
        if (source.exact && source.indexes.size() == 1) {
            byte[] index = source.indexes.get(0);
            List<MemoryRecord> out = new ArrayList<>(limit);
            long start = offset;
            // records deleted between ZRANGE and HMGET are skipped; read on to fill the page
            while (out.size() < limit) {
                long from = start;
                int want = limit - out.size();
                List<byte[]> members = redis.call("list", true, c -> c.zrange(index, from, from + want - 1));
                if (members.isEmpty()) {
                    break;
                }
                out.addAll(reader.read(ids(members), false).values());
                start += members.size();
                if (members.size() < want) {
                    break;
                }
            }
            return out;
        }
        List<MemoryRecord> out = new ArrayList<>(limit);
        long[] skip = {offset};
        scan(source, r -> FilterEvaluator.matches(filter, r), r -> {
            if (skip[0] > 0) {
                skip[0]--;
                return true;
            }
            out.add(r);
            return out.size() < limit;
        });
        return out;
    }

    /** @return how many records match */
    public long count(Filter filter) {
        Source source = source(filter);
        if (source.indexes.isEmpty()) {
            return 0;
        }
        if (source.exact && source.indexes.size() == 1) {
            return redis.call("count", true, c -> c.zcard(source.indexes.get(0)));
        }
        long[] n = {0};
        scan(source, r -> FilterEvaluator.matches(filter, r), r -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    /** @return every matching record, in list order (without embeddings) */
    public List<MemoryRecord> all(Filter filter) {
        Source source = source(filter);
        List<MemoryRecord> out = new ArrayList<>();
        if (source.indexes.isEmpty()) {
            return out;
        }
        Predicate<MemoryRecord> test = source.exact ? r -> true : r -> FilterEvaluator.matches(filter, r);
        scan(source, test, r -> {
            out.add(r);
            return true;
        });
        return out;
    }

    /**
     * Visits the records of the source that pass {@code test}, in list order, until the visitor
     * returns false.
     */
    private void scan(Source source, Predicate<MemoryRecord> test, Predicate<MemoryRecord> visitor) {
        if (source.indexes.size() == 1) {
            byte[] index = source.indexes.get(0);
            long start = 0;
            while (true) {
                long from = start;
                List<byte[]> members = redis.call("scan", true, c -> c.zrange(index, from, from + CHUNK - 1));
                if (!visit(members, test, visitor) || members.size() < CHUNK) {
                    return;
                }
                start += members.size();
            }
        }
        // several partitions (an OR or IN of scopes): merge their members, dropping duplicates
        TreeSet<byte[]> merged = new TreeSet<>(Arrays::compareUnsigned);
        List<List<byte[]>> all = redis.pipelined("scan", true, p -> {
            List<Response<List<byte[]>>> rs = new ArrayList<>();
            for (byte[] index : source.indexes) {
                rs.add(p.zrange(index, 0, -1));
            }
            return () -> rs.stream().map(Response::get).toList();
        });
        all.forEach(merged::addAll);
        List<byte[]> members = new ArrayList<>(merged);
        for (int from = 0; from < members.size(); from += CHUNK) {
            if (!visit(members.subList(from, Math.min(members.size(), from + CHUNK)), test, visitor)) {
                return;
            }
        }
    }

    private boolean visit(List<byte[]> members, Predicate<MemoryRecord> test, Predicate<MemoryRecord> visitor) {
        Map<String, MemoryRecord> records = reader.read(ids(members), false);
        for (MemoryRecord r : records.values()) {
            if (test.test(r) && !visitor.test(r)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> ids(List<byte[]> members) {
        List<String> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(Keys.idOfMember(m));
        }
        return out;
    }
}

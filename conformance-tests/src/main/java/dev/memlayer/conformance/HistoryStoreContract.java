package dev.memlayer.conformance;

import static dev.memlayer.conformance.support.TestVectors.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.Role;
import dev.memlayer.api.spi.HistoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link HistoryStore} must show (SPEC §5): an append-only log per memory id,
 * in append order, with every field of {@link HistoryEntry} kept, atomic multi-entry appends,
 * targeted deletion and reset.
 *
 * <p>A backend's test class extends this class and implements {@link #createHistoryStore()} only.
 * The suite resets the store before each test and resets and closes it after.
 *
 * <p>Entry and memory ids are UUIDs; instants have at most microsecond precision. An entry without
 * an id, a memory id or an event is invalid: {@link HistoryStore#append} rejects the whole call with
 * a {@link MemoryException} (a {@code ValidationException} or {@code StoreException}) and writes none
 * of its entries.
 */
public abstract class HistoryStoreContract {

    private static final Instant T0 = Instant.parse("2024-07-20T10:15:30.123456Z");

    private HistoryStore store;
    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * Creates the history store under test. Called once per test; the suite resets it before use
     * and resets and closes it after the test.
     *
     * @return a new history store instance (it may share a connection pool the test class owns)
     */
    protected abstract HistoryStore createHistoryStore();

    /** @return the store under test */
    protected final HistoryStore store() {
        return store;
    }

    @BeforeEach
    void openStore() {
        store = createHistoryStore();
        store.reset();
    }

    @AfterEach
    void resetAndCloseStore() {
        if (store != null) {
            try {
                store.reset();
            } finally {
                store.close();
                store = null;
            }
        }
    }

    /** An entry for {@code memory} with a fresh entry id and timestamps {@code T0 + n seconds}. */
    private HistoryEntry entry(String memory, EventType event, String oldText, String newText) {
        int n = sequence.incrementAndGet();
        return new HistoryEntry(id("entry-" + n), id(memory), oldText, newText, event, T0,
                T0.plusSeconds(n), event == EventType.DELETE, "actor-" + n, Role.USER);
    }

    @Test
    void history_of_an_unknown_memory_is_empty() {
        assertThat(store().history(id("unknown"))).isEmpty();
    }

    @Test
    void entries_come_back_in_append_order() {
        HistoryEntry add = entry("m1", EventType.ADD, null, "likes tea");
        HistoryEntry update = entry("m1", EventType.UPDATE, "likes tea", "likes green tea");
        HistoryEntry delete = entry("m1", EventType.DELETE, "likes green tea", null);

        store().append(List.of(add));
        store().append(List.of(update));
        store().append(List.of(delete));

        assertThat(store().history(id("m1"))).containsExactly(add, update, delete);
    }

    @Test
    void append_order_wins_over_timestamps() {
        // the second event carries an earlier updated_at (e.g. a clock step back): order is still append order
        HistoryEntry first = new HistoryEntry(id("e-late"), id("m1"), null, "a", EventType.ADD, T0,
                T0.plusSeconds(100), false, null, null);
        HistoryEntry second = new HistoryEntry(id("e-early"), id("m1"), "a", "b", EventType.UPDATE, T0,
                T0.minusSeconds(100), false, null, null);

        store().append(List.of(first));
        store().append(List.of(second));

        assertThat(store().history(id("m1"))).containsExactly(first, second);
    }

    @Test
    void every_field_round_trips_unchanged() {
        HistoryEntry full = new HistoryEntry(id("full"), id("m1"), "old text — ünïcödé 😀 \"quoted\" it's",
                "new text\nwith newline\ttab \\ backslash", EventType.UPDATE,
                Instant.parse("2024-02-29T23:59:59.999999Z"), Instant.parse("2024-03-01T00:00:00.000001Z"),
                false, "bob", Role.ASSISTANT);
        HistoryEntry nulls = new HistoryEntry(id("nulls"), id("m1"), null, null, EventType.DELETE,
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"), true, null, null);
        HistoryEntry system = new HistoryEntry(id("system"), id("m1"), null, "", EventType.ADD,
                Instant.parse("1999-12-31T23:59:59Z"), Instant.parse("2038-01-19T03:14:08Z"), false, "", Role.SYSTEM);

        store().append(List.of(full, nulls, system));

        List<HistoryEntry> got = store().history(id("m1"));
        assertThat(got).containsExactly(full, nulls, system);
        assertThat(got.get(1).oldMemory()).isNull();
        assertThat(got.get(1).actorId()).isNull();
        assertThat(got.get(1).role()).isNull();
        assertThat(got.get(1).isDeleted()).isTrue();
    }

    @Test
    void every_role_and_event_round_trips() {
        List<HistoryEntry> entries = new ArrayList<>();
        for (Role role : Role.values()) {
            for (EventType event : List.of(EventType.ADD, EventType.UPDATE, EventType.DELETE)) {
                entries.add(new HistoryEntry(id("e-" + role + "-" + event), id("m1"), "o", "n", event, T0, T0,
                        event == EventType.DELETE, "a", role));
            }
        }

        store().append(entries);

        assertThat(store().history(id("m1"))).containsExactlyElementsOf(entries);
    }

    @Test
    void histories_of_different_memories_are_kept_apart() {
        HistoryEntry a1 = entry("a", EventType.ADD, null, "a1");
        HistoryEntry b1 = entry("b", EventType.ADD, null, "b1");
        HistoryEntry a2 = entry("a", EventType.UPDATE, "a1", "a2");
        HistoryEntry c1 = entry("c", EventType.ADD, null, "c1");
        HistoryEntry b2 = entry("b", EventType.DELETE, "b1", null);

        store().append(List.of(a1, b1, a2, c1, b2));

        assertThat(store().history(id("a"))).containsExactly(a1, a2);
        assertThat(store().history(id("b"))).containsExactly(b1, b2);
        assertThat(store().history(id("c"))).containsExactly(c1);
    }

    @Test
    void a_multi_entry_append_is_stored_completely_in_order() {
        List<HistoryEntry> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(entry("m" + (i % 3), i < 3 ? EventType.ADD : EventType.UPDATE, "t" + (i - 3), "t" + i));
        }

        store().append(batch);

        for (int m = 0; m < 3; m++) {
            String memory = id("m" + m);
            assertThat(store().history(memory))
                    .containsExactlyElementsOf(batch.stream().filter(e -> e.memoryId().equals(memory)).toList());
        }
    }

    @Test
    void a_failing_multi_entry_append_writes_nothing() {
        HistoryEntry before = entry("m1", EventType.ADD, null, "kept");
        store().append(List.of(before));
        HistoryEntry good = entry("m1", EventType.UPDATE, "kept", "new");
        HistoryEntry other = entry("m2", EventType.ADD, null, "x");
        HistoryEntry broken = new HistoryEntry(id("broken"), null, null, "no memory id", EventType.ADD, T0, T0,
                false, null, null);

        assertThatThrownBy(() -> store().append(List.of(good, other, broken)))
                .isInstanceOf(MemoryException.class);

        assertThat(store().history(id("m1"))).containsExactly(before);
        assertThat(store().history(id("m2"))).isEmpty();
    }

    @Test
    void append_of_an_empty_list_does_nothing() {
        store().append(List.of());

        assertThat(store().history(id("m1"))).isEmpty();
    }

    @Test
    void delete_all_removes_only_the_given_memories() {
        HistoryEntry a = entry("a", EventType.ADD, null, "a");
        HistoryEntry b = entry("b", EventType.ADD, null, "b");
        HistoryEntry c = entry("c", EventType.ADD, null, "c");
        HistoryEntry a2 = entry("a", EventType.DELETE, "a", null);
        store().append(List.of(a, b, c, a2));

        store().deleteAll(List.of(id("a"), id("c"), id("never-existed")));

        assertThat(store().history(id("a"))).isEmpty();
        assertThat(store().history(id("c"))).isEmpty();
        assertThat(store().history(id("b"))).containsExactly(b);
        store().deleteAll(List.of());
        assertThat(store().history(id("b"))).containsExactly(b);
    }

    @Test
    void history_can_grow_again_after_delete_all() {
        store().append(List.of(entry("a", EventType.ADD, null, "a")));
        store().deleteAll(List.of(id("a")));
        HistoryEntry again = entry("a", EventType.ADD, null, "again");

        store().append(List.of(again));

        assertThat(store().history(id("a"))).containsExactly(again);
    }

    @Test
    void reset_removes_all_history() {
        store().append(List.of(entry("a", EventType.ADD, null, "a"), entry("b", EventType.ADD, null, "b")));

        store().reset();

        assertThat(store().history(id("a"))).isEmpty();
        assertThat(store().history(id("b"))).isEmpty();
        HistoryEntry after = entry("a", EventType.ADD, null, "after");
        store().append(List.of(after));
        assertThat(store().history(id("a"))).containsExactly(after);
    }

    @Test
    void a_long_history_keeps_every_entry_in_order() {
        List<HistoryEntry> all = new ArrayList<>();
        for (int batch = 0; batch < 20; batch++) {
            List<HistoryEntry> entries = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                entries.add(entry("long", all.isEmpty() && entries.isEmpty() ? EventType.ADD : EventType.UPDATE,
                        "v" + (batch * 100 + i - 1), "v" + (batch * 100 + i)));
            }
            store().append(entries);
            all.addAll(entries);
        }

        assertThat(store().history(id("long"))).containsExactlyElementsOf(all);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrent_appends_lose_nothing_and_keep_each_batch_in_order() throws Exception {
        int threads = 4;
        int batches = 25;
        int perBatch = 4;
        HistoryStore s = store();
        Map<Integer, List<List<HistoryEntry>>> written = new HashMap<>();
        for (int t = 0; t < threads; t++) {
            List<List<HistoryEntry>> mine = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<HistoryEntry> batch = new ArrayList<>();
                for (int i = 0; i < perBatch; i++) {
                    // every thread writes to the shared memory and to its own
                    String memory = i % 2 == 0 ? "shared" : "own-" + t;
                    batch.add(new HistoryEntry(id("c-" + t + "-" + b + "-" + i), id(memory), null, t + "/" + b + "/" + i,
                            EventType.UPDATE, T0, T0, false, null, null));
                }
                mine.add(batch);
            }
            written.put(t, mine);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<List<HistoryEntry>> mine = written.get(t);
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (List<HistoryEntry> batch : mine) {
                        s.append(batch);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<HistoryEntry> shared = s.history(id("shared"));
        assertThat(shared).hasSize(threads * batches * perBatch / 2).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            int owner = t;
            List<HistoryEntry> expectedOwn = written.get(t).stream().flatMap(List::stream)
                    .filter(e -> e.memoryId().equals(id("own-" + owner))).toList();
            assertThat(s.history(id("own-" + t))).containsExactlyElementsOf(expectedOwn);
            // one thread's entries appear in the shared history in the order that thread appended them
            String prefix = t + "/";
            List<HistoryEntry> fromThread = shared.stream().filter(e -> e.newMemory().startsWith(prefix)).toList();
            List<HistoryEntry> expectedShared = written.get(t).stream().flatMap(List::stream)
                    .filter(e -> e.memoryId().equals(id("shared"))).toList();
            assertThat(fromThread).containsExactlyElementsOf(expectedShared);
        }
    }
}

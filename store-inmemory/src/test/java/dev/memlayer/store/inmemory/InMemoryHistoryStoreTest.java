package dev.memlayer.store.inmemory;

import static dev.memlayer.conformance.support.TestVectors.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour specific to the in-memory history store: validation and contiguous batches. */
class InMemoryHistoryStoreTest {

    private static final Instant T = Instant.parse("2024-07-01T00:00:00Z");

    private final InMemoryHistoryStore store = new InMemoryHistoryStore();

    private static HistoryEntry entry(String id, String memory, EventType event) {
        return new HistoryEntry(id(id), id(memory), null, "text", event, T, T, event == EventType.DELETE, null, null);
    }

    @Test
    void an_entry_id_is_stored_once() {
        store.append(List.of(entry("e1", "m", EventType.ADD)));

        assertThatThrownBy(() -> store.append(List.of(entry("e2", "m", EventType.UPDATE), entry("e1", "m", EventType.UPDATE))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> store.append(List.of(entry("e3", "m", EventType.UPDATE), entry("e3", "m", EventType.UPDATE))))
                .isInstanceOf(ValidationException.class);

        assertThat(store.history(id("m"))).extracting(HistoryEntry::id).containsExactly(id("e1"));
    }

    @Test
    void an_entry_id_can_be_reused_after_its_history_is_deleted() {
        store.append(List.of(entry("e1", "m", EventType.ADD)));
        store.deleteAll(List.of(id("m")));

        store.append(List.of(entry("e1", "m", EventType.ADD)));

        assertThat(store.history(id("m"))).hasSize(1);
    }

    @Test
    void the_none_event_is_never_recorded() {
        assertThatThrownBy(() -> store.append(List.of(entry("e1", "m", EventType.NONE))))
                .isInstanceOf(ValidationException.class);
        assertThat(store.history(id("m"))).isEmpty();
    }

    @Test
    void returned_histories_are_snapshots() {
        store.append(List.of(entry("e1", "m", EventType.ADD)));
        List<HistoryEntry> before = store.history(id("m"));

        store.append(List.of(entry("e2", "m", EventType.UPDATE)));

        assertThat(before).hasSize(1);
        assertThatThrownBy(() -> before.add(entry("e3", "m", EventType.UPDATE)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void the_entries_of_one_append_are_contiguous_in_the_history() throws Exception {
        int threads = 4;
        int batches = 200;
        int perBatch = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    for (int b = 0; b < batches; b++) {
                        List<HistoryEntry> batch = new ArrayList<>();
                        for (int i = 0; i < perBatch; i++) {
                            batch.add(new HistoryEntry(id(thread + "-" + b + "-" + i), id("shared"), null,
                                    thread + "-" + b, EventType.UPDATE, T, T, false, null, null));
                        }
                        store.append(batch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<HistoryEntry> history = store.history(id("shared"));
        assertThat(history).hasSize(threads * batches * perBatch);
        for (int i = 0; i < history.size(); i += perBatch) {
            String batch = history.get(i).newMemory();
            for (int j = 1; j < perBatch; j++) {
                assertThat(history.get(i + j).newMemory()).as("entry %d", i + j).isEqualTo(batch);
            }
        }
    }
}

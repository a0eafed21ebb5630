package dev.memlayer.store.inmemory;

import static dev.memlayer.api.filter.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.conformance.memory.RecordingHistoryStore;
import dev.memlayer.conformance.memory.ScriptEmbedder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deletion whose history write fails is undone from the embeddings {@link InMemoryVectorStore#deleteWhere}
 * returns, so the restore does not depend on the embedder.
 */
class InMemoryDeletionRestoreTest {

    private static final Scope ALEX = Scope.user("alex");

    private final ScriptEmbedder embedder = new ScriptEmbedder();
    private final InMemoryVectorStore store = new InMemoryVectorStore(embedder.dimensions());
    private final RecordingHistoryStore history = new RecordingHistoryStore(new InMemoryHistoryStore());
    private final Memory memory = Memory.builder().vectorStore(store).historyStore(history).embedder(embedder).build();

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void deleteWhere_returns_the_deleted_records_with_copies_of_their_embeddings() {
        memory.add(AddRequest.builder().scope(ALEX).infer(false).user("Likes tea").user("Plays chess").build());
        Map<String, float[]> stored = store.list(eq("user_id", "alex"), 0, 10).stream()
                .collect(Collectors.toMap(MemoryRecord::id, r -> store.get(r.id()).orElseThrow().embedding()));

        List<MemoryRecord> deleted = store.deleteWhere(eq("user_id", "alex"));

        assertThat(deleted).hasSize(2).allSatisfy(r -> assertThat(r.embedding()).containsExactly(stored.get(r.id())));
        assertThat(store.count(null)).isZero();
    }

    @Test
    void a_deletion_whose_history_write_fails_is_restored_even_when_the_embedder_is_down() {
        List<String> ids = memory.add(AddRequest.builder().scope(ALEX).infer(false).user("Likes tea").user("Plays chess")
                .build()).results().stream().map(e -> e.id()).toList();
        Map<String, MemoryItem> before = ids.stream().collect(Collectors.toMap(Function.identity(), memory::get));
        Map<String, float[]> vectors = ids.stream()
                .collect(Collectors.toMap(Function.identity(), id -> store.get(id).orElseThrow().embedding()));
        embedder.failOn("Likes tea").failOn("Plays chess");
        history.failAppends(new StoreException("history store down", true, null));

        assertThatThrownBy(() -> memory.deleteAll(ALEX)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.getMessage()).contains("restored"));
        assertThatThrownBy(() -> memory.deleteEntities(EntityType.USER, null)).isInstanceOf(StoreException.class);

        history.stopFailing();
        assertThat(memory.getAll(ALEX).results()).hasSize(2)
                .allSatisfy(item -> assertThat(item).isEqualTo(before.get(item.id())));
        for (String id : ids) {
            MemoryRecord restored = store.get(id).orElseThrow();
            assertThat(restored.embedding()).as("embedding of %s", restored.memory()).containsExactly(vectors.get(id));
        }
        assertThat(history.journalSize()).as("only the two ADD rows").isEqualTo(2);
    }
}

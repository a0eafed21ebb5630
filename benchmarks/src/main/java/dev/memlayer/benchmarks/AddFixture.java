package dev.memlayer.benchmarks;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.EventType;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryBuilder;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.Scope;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.data.Corpus;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.support.HashingEmbedder;
import dev.memlayer.conformance.support.TestVectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The state of the add-pipeline benchmarks: a {@link Memory} whose scope already holds N memories
 * (realistic sentences embedded with the deterministic {@link HashingEmbedder}, 384 dimensions, so
 * that new facts find similar candidates), a zero-latency {@link ScriptedLanguageModel} (one fact
 * per user message; ADD unless the same text exists), and unique new sentences to add. After each
 * measured add, {@link #forget} deletes what it stored (not timed), so the scope stays at N.
 */
final class AddFixture implements AutoCloseable {

    /** The user whose scope the adds go to. */
    static final String USER = "u-add";

    private final Memory memory;
    private final VectorStore store;
    private final ScriptedLanguageModel scripted;
    private final Scope scope = Scope.user(USER);
    private final Set<String> used = new HashSet<>();
    private final Random random = new Random(99);

    private AddFixture(Memory memory, VectorStore store, ScriptedLanguageModel scripted) {
        this.memory = memory;
        this.store = store;
        this.scripted = scripted;
    }

    /**
     * Empties the backend's collection, fills the scope and builds the memory.
     *
     * @param backend         the backend
     * @param collection      the collection (emptied first)
     * @param memoriesInScope how many memories the scope holds
     * @param embedder        the memory's embedder (384 dimensions)
     * @param llm             the memory's language model
     * @param scripted        the scripted model behind {@code llm} (cleared after each add)
     * @param graph           a graph store to turn graph memory on, or null for none
     * @return the fixture; close it to close the memory and its stores
     */
    static AddFixture open(BenchmarkBackend backend, String collection, int memoriesInScope, Embedder embedder,
                           LanguageModel llm, ScriptedLanguageModel scripted, GraphStore graph) {
        VectorStore store = backend.openStore(collection, Dataset.DIMENSIONS);
        var history = backend.openHistoryStore(store, collection);
        store.reset();
        history.reset();
        MemoryBuilder builder = Memory.builder().vectorStore(store).historyStore(history).embedder(embedder)
                .languageModel(llm);
        if (graph != null) {
            builder.graphStore(graph);
        }
        AddFixture fixture = new AddFixture(builder.build(), store, scripted);
        fixture.preload(backend, memoriesInScope);
        return fixture;
    }

    private void preload(BenchmarkBackend backend, int n) {
        HashingEmbedder hashing = new HashingEmbedder(Dataset.DIMENSIONS);
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        List<MemoryRecord> records = new ArrayList<>(n);
        while (records.size() < n) {
            String text = uniqueSentence();
            t = t.plusSeconds(97);
            records.add(MemoryRecord.builder()
                    .id(TestVectors.randomId(random))
                    .memory(text)
                    .hash(TestVectors.md5Hex(text))
                    .embedding(hashing.embed(text, EmbeddingPurpose.ADD))
                    .scope(scope)
                    .createdAt(t)
                    .updatedAt(t)
                    .build());
        }
        backend.bulkLoad(store, records.iterator());
        long inScope = store.count(Filters.scope(scope));
        if (inScope != n) {
            throw new IllegalStateException("the scope holds " + inScope + " memories after loading " + n);
        }
    }

    /** @return the scope the adds go to */
    Scope scope() {
        return scope;
    }

    /** @return a user message never added before, as an add request */
    AddRequest nextRequest(boolean infer) {
        return AddRequest.builder().user(uniqueSentence()).scope(scope).infer(infer).build();
    }

    /** @return the memory */
    Memory memory() {
        return memory;
    }

    /**
     * Deletes the memories an add stored and forgets the model's recorded calls (not timed).
     *
     * @throws IllegalStateException if the add did not store exactly one memory
     */
    void forget(AddResult result) {
        List<String> added = new ArrayList<>();
        for (MemoryEvent e : result.results()) {
            if (e.event() == EventType.ADD) {
                added.add(e.id());
            }
        }
        if (added.size() != 1 || result.results().size() != 1) {
            throw new IllegalStateException("expected one ADD, got " + result.results());
        }
        store.delete(added);
        scripted.clear();
    }

    /** Forgets the model's recorded calls (they accumulate in a copy-on-write list). */
    void forgetCalls() {
        scripted.clear();
    }

    private String uniqueSentence() {
        while (true) {
            String s = Corpus.sentence(random);
            if (used.add(s)) {
                return s;
            }
        }
    }

    @Override
    public void close() {
        memory.close();
    }

    /** @return a scripted model; in the protocol it is the LLM whose answers cost nothing */
    static ScriptedLanguageModel scriptedModel() {
        return new ScriptedLanguageModel().factSource(ScriptedLanguageModel.FactSource.USER);
    }
}

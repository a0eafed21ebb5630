package dev.memlayer.benchmarks;

import dev.memlayer.api.Memory;
import dev.memlayer.api.SearchRequest;
import dev.memlayer.api.SearchResult;
import dev.memlayer.api.graph.GraphQuery;
import dev.memlayer.api.graph.GraphSearchResult;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.benchmarks.data.GraphData;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.conformance.support.HashingEmbedder;
import dev.memlayer.graph.InMemoryGraphStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Relation search latency with {@code relations} relations in one scope ({@link GraphData}: one
 * entity per 5 relations, names embedded with {@link HashingEmbedder}, 384 dimensions), on
 * {@link InMemoryGraphStore}:
 * <ul>
 *   <li>{@code storeSearch}: {@link GraphStore#search} for the embeddings of two entity names
 *       (threshold 0.7, 10 entities per embedding, up to 100 relations) — the store alone;</li>
 *   <li>{@code memorySearch}: {@link Memory#search} with graph memory on, a question naming two
 *       entities ("What does Person0042 think of Place017?"), limit 10: the zero-latency LLM's entity
 *       call, embeddings, the graph search and BM25 ranking beside the vector search of 1,000
 *       memories.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {JvmArgs.HEAP_MIN, JvmArgs.HEAP_MAX, JvmArgs.NATIVE, JvmArgs.LOG_LEVEL,
        JvmArgs.LOG_FIXTURES})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class GraphSearchBenchmark {

    private static final int QUERIES = 256;

    /** Relations in the scope. */
    @Param({"10000"})
    public int relations;

    /** Divides the sizes; only the smoke test changes it. */
    int sizeDivisor = 1;

    private GraphStore graph;
    private AddFixture fixture;
    private final List<GraphQuery> storeQueries = new ArrayList<>();
    private final List<SearchRequest> memoryQueries = new ArrayList<>();
    private int next;

    /** Prepares the trial's state (not timed). */
    @Setup(Level.Trial)
    public void setUp() {
        HashingEmbedder embedder = new HashingEmbedder(Dataset.DIMENSIONS);
        graph = new InMemoryGraphStore();
        ScriptedLanguageModel model = AddFixture.scriptedModel();
        fixture = AddFixture.open(BenchmarkBackend.named("inmemory"), "bench_v1_graphsearch", 1_000 / sizeDivisor,
                embedder, model, model, graph);
        dev.memlayer.api.Scope scope = fixture.scope();
        GraphData data = new GraphData(relations / sizeDivisor);
        for (GraphWrite w : data.writes(scope, relations / sizeDivisor, embedder, 500)) {
            graph.write(w);
        }
        Random random = new Random(3);
        for (int q = 0; q < QUERIES; q++) {
            String a = data.entityName(random.nextInt(data.entities()));
            String b = data.entityName(random.nextInt(data.entities()));
            storeQueries.add(new GraphQuery(scope, List.of(embedder.embed(a, EmbeddingPurpose.SEARCH),
                    embedder.embed(b, EmbeddingPurpose.SEARCH)), 0.7, 10, 100, false));
            memoryQueries.add(SearchRequest.builder("What does " + capitalise(a) + " think of " + capitalise(b) + "?")
                    .scope(scope).limit(10).build());
        }
        if (storeSearch().relations().isEmpty()) {
            throw new IllegalStateException("the graph search found no relation around two known entities");
        }
    }

    private static String capitalise(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** @return the relations around two entities */
    @Benchmark
    public GraphSearchResult storeSearch() {
        return graph.search(storeQueries.get(next++ & (QUERIES - 1)));
    }

    /** @return memories and ranked relations for a question about two entities */
    @Benchmark
    public SearchResult memorySearch() {
        return fixture.memory().search(memoryQueries.get(next++ & (QUERIES - 1)));
    }

    /** Forgets the scripted model's recorded calls (not timed). */
    @TearDown(Level.Iteration)
    public void forgetCalls() {
        fixture.forgetCalls();
    }

    /** Releases the trial's resources. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }
}

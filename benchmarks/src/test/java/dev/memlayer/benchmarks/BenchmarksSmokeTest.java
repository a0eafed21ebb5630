package dev.memlayer.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.AddResult;
import dev.memlayer.api.EventType;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Page;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.benchmarks.data.Distribution;
import dev.memlayer.benchmarks.data.SearchCase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the logic of every benchmark once, in-memory only and at 1/100 of the sizes, so the module
 * keeps working in CI (no JMH timing here).
 */
class BenchmarksSmokeTest {

    private static final int DIVISOR = 100;

    @ParameterizedTest
    @CsvSource({"scoped-1k,none", "scoped-1k,metadata", "scoped-10k,none", "scoped-10k,metadata",
            "unscoped-10k,none", "unscoped-100k,metadata"})
    void search_returns_top_k_of_the_case(String scope, String filter) {
        SearchBenchmark b = new SearchBenchmark();
        b.backend = "inmemory";
        b.scope = scope;
        b.filter = filter;
        b.distribution = "clustered";
        b.limit = 10;
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            List<ScoredRecord> hits = b.search();
            assertThat(hits).isNotEmpty().hasSizeLessThanOrEqualTo(10);
            assertThat(hits).isSortedAccordingTo((x, y) -> Double.compare(y.score(), x.score()));
            String user = SearchCase.parse(scope).scope(SearchCase.parse(scope).dataset(Distribution.CLUSTERED,
                    DIVISOR)).userId();
            if (user != null) {
                assertThat(hits).allSatisfy(h -> assertThat(h.record().userId()).isEqualTo(user));
            }
            if (filter.equals("metadata")) {
                assertThat(hits).allSatisfy(h -> assertThat(h.record().metadata()).containsEntry("topic", "travel"));
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void batch_upsert_writes_a_batch_and_removes_it_again() {
        BatchUpsertBenchmark b = new BatchUpsertBenchmark();
        b.backend = "inmemory";
        b.distribution = "clustered";
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            long before = b.storedRecords();
            b.nextBatch();
            b.upsert();
            assertThat(b.storedRecords()).isEqualTo(before + BatchUpsertBenchmark.BATCH);
            b.removeBatch();
            assertThat(b.storedRecords()).isEqualTo(before);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void bulk_load_loads_every_record_into_the_emptied_collection() {
        BulkLoadBenchmark b = new BulkLoadBenchmark();
        b.backend = "inmemory";
        b.distribution = "clustered";
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            b.empty();
            assertThat(b.load()).isEqualTo(BulkLoadBenchmark.RECORDS / DIVISOR);
            b.empty();
            assertThat(b.loadAndIndex()).isEqualTo(BulkLoadBenchmark.RECORDS / DIVISOR);
            assertThat(b.storedRecords()).isEqualTo(BulkLoadBenchmark.RECORDS / DIVISOR);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"scoped-1k", "scoped-10k"})
    void get_all_returns_full_pages_of_the_scope_newest_first(String scope) {
        GetAllBenchmark b = new GetAllBenchmark();
        b.backend = "inmemory";
        b.scope = scope;
        b.distribution = "clustered";
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            Page<MemoryItem> first = b.firstPage();
            Page<MemoryItem> middle = b.middlePage();
            assertThat(first.results()).isNotEmpty();
            assertThat(first.results()).isSortedAccordingTo((x, y) -> y.createdAt().compareTo(x.createdAt()));
            assertThat(middle.results()).hasSameSizeAs(first.results());
            assertThat(first.count()).isEqualTo(middle.count());
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void add_stores_one_memory_per_message_and_forgets_it(boolean infer) {
        AddPipelineBenchmark b = new AddPipelineBenchmark();
        b.backend = "inmemory";
        b.memoriesInScope = 1000;
        b.infer = infer;
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            for (int i = 0; i < 3; i++) {
                b.nextMessage();
                AddResult result = b.add();
                assertThat(result.results()).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo(EventType.ADD));
                b.forget();
            }
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"hashing", "openai"})
    void add_over_http_goes_through_the_local_openai_compatible_server(String embedder) {
        HttpAddPipelineBenchmark b = new HttpAddPipelineBenchmark();
        b.backend = "inmemory";
        b.memoriesInScope = 1000;
        b.embedder = embedder;
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            b.nextMessage();
            AddResult result = b.add();
            assertThat(result.results()).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo(EventType.ADD));
            b.forget();
            assertThat(b.chatCalls()).isEqualTo(2);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"off", "on"})
    void add_with_graph_memory_on_also_learns_relations(String graph) {
        GraphAddBenchmark b = new GraphAddBenchmark();
        b.backend = "inmemory";
        b.memoriesInScope = 1000;
        b.graph = graph;
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            b.nextMessage();
            AddResult result = b.add();
            assertThat(result.results()).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo(EventType.ADD));
            if (graph.equals("on")) {
                assertThat(result.relations()).isNotNull();
            } else {
                assertThat(result.relations()).isNull();
            }
            b.forget();
        } finally {
            b.tearDown();
        }
    }

    @Test
    void graph_search_finds_relations_around_the_entities_of_the_query() {
        GraphSearchBenchmark b = new GraphSearchBenchmark();
        b.relations = 10_000;
        b.sizeDivisor = DIVISOR;
        try {
            b.setUp();
            assertThat(b.storeSearch().relations()).isNotEmpty();
            assertThat(b.memorySearch().relations()).isNotEmpty();
            b.forgetCalls();
        } finally {
            b.tearDown();
        }
    }

    @Test
    void embedder_benchmarks_embed_sentences_into_unit_vectors() {
        EmbedderBenchmark b = new EmbedderBenchmark();
        b.model = "BGE_SMALL_EN_V15_Q";
        b.intraOpThreads = 1;
        try {
            b.setUp();
            float[] v = b.embed();
            assertThat(v).hasSize(384);
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
            assertThat(b.embedAll()).hasSize(EmbedderBenchmark.BATCH).allSatisfy(x -> assertThat(x).hasSize(384));
        } finally {
            b.tearDown();
        }
        EmbedderTwoCallersBenchmark.Shared shared = new EmbedderTwoCallersBenchmark.Shared();
        shared.model = "BGE_SMALL_EN_V15_Q";
        try {
            shared.setUp();
            assertThat(new EmbedderTwoCallersBenchmark().embed(shared, new EmbedderTwoCallersBenchmark.Cursor()))
                    .hasSize(384);
        } finally {
            shared.tearDown();
        }
    }

    @Test
    void recall_of_the_exact_in_memory_store_is_one() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<RecallCheck.Result> results = RecallCheck.run(List.of("inmemory"), List.of(Distribution.CLUSTERED),
                List.of(SearchCase.SCOPED_10K, SearchCase.UNSCOPED_10K), 5, 10, DIVISOR,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(results).hasSize(4).allSatisfy(r -> {
            assertThat(r.recall()).isEqualTo(1.0);
            assertThat(r.shortResults()).isZero();
        });
    }

    @Test
    void jmh_generated_the_benchmark_list_for_every_benchmark() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).as("META-INF/BenchmarkList (JMH annotation processing)").isNotNull();
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains("SearchBenchmark_search_", "BatchUpsertBenchmark_upsert_",
                    "BulkLoadBenchmark_load_", "BulkLoadBenchmark_loadAndIndex_", "GetAllBenchmark_firstPage_",
                    "GetAllBenchmark_middlePage_",
                    "AddPipelineBenchmark_add_", "HttpAddPipelineBenchmark_add_", "EmbedderBenchmark_embed_",
                    "EmbedderBenchmark_embedAll_", "EmbedderTwoCallersBenchmark_embed_",
                    "GraphAddBenchmark_add_", "GraphSearchBenchmark_storeSearch_", "GraphSearchBenchmark_memorySearch_");
        }
    }

    @Test
    void every_backend_is_registered_by_name() {
        for (String name : List.of("inmemory", "pgvector", "redis")) {
            assertThat(BenchmarkBackend.named(name).name()).isEqualTo(name);
        }
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchmarkBackend.named("nosuch")).withMessageContaining("inmemory");
    }
}

package dev.memlayer.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhToMarkdownTest {

    @TempDir
    Path dir;

    private static String result(String benchmark, String mode, String params, double score, String unit,
                                 String percentiles) {
        return """
                {"jmhVersion": "1.37", "benchmark": "dev.memlayer.benchmarks.%s", "mode": "%s", "threads": 1,
                 "forks": 1, "jdkVersion": "25", "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "25+1",
                 "warmupIterations": 3, "warmupTime": "1 s", "measurementIterations": 5, "measurementTime": "2 s",
                 "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": 1.0, "scoreUnit": "%s", "scorePercentiles": {%s}}}
                """.formatted(benchmark, mode, params, score, unit, percentiles);
    }

    private Path jmhFile() throws IOException {
        String json = "[" + String.join(",", List.of(
                result("SearchBenchmark.search", "sample",
                        "\"backend\": \"inmemory\", \"scope\": \"scoped-10k\", \"filter\": \"none\", "
                                + "\"distribution\": \"clustered\", \"limit\": \"10\"",
                        420.0, "us/op", "\"0.0\": 350.0, \"50.0\": 400.0, \"90.0\": 500.0, \"99.0\": 900.0"),
                result("SearchBenchmark.search", "sample",
                        "\"backend\": \"inmemory\", \"scope\": \"unscoped-100k\", \"filter\": \"none\", "
                                + "\"distribution\": \"clustered\", \"limit\": \"10\"",
                        26000.0, "us/op", "\"50.0\": 25000.0, \"90.0\": 27000.0, \"99.0\": 30000.0"),
                result("BatchUpsertBenchmark.upsert", "thrpt", "\"backend\": \"redis\", \"distribution\": \"clustered\"",
                        12500.0, "ops/s", ""),
                result("BulkLoadBenchmark.load", "ss", "\"backend\": \"pgvector\", \"distribution\": \"clustered\"",
                        25.0, "us/op", ""))) + "]";
        Path file = dir.resolve("run.json");
        Files.writeString(file, json);
        return file;
    }

    private Path recallFile() throws IOException {
        Path file = dir.resolve("recall.json");
        Files.writeString(file, """
                {"kind": "recall", "generated": "2026-01-01T00:00:00Z", "results": [
                  {"backend": "pgvector", "distribution": "clustered", "searchCase": "unscoped-100k", "filter": "none",
                   "candidates": 100000, "queries": 200, "limit": 10, "recall": 0.97, "minRecall": 0.7, "shortResults": 0}
                ]}
                """);
        return file;
    }

    @Test
    void targets_show_measured_values_and_verdicts() throws IOException {
        JmhToMarkdown report = new JmhToMarkdown();
        report.read(jmhFile());
        report.read(recallFile());

        String md = report.render("Taken under load.", List.of("benchmarks/bin/run core"), "gen");

        // p50 400 us = 0.4 ms <= 0.5 ms
        assertThat(md).contains("| in-memory search, scoped to 10k of 100k, 384 d, top-10: p50 | 0.400 ms | <= 0.500 ms | met |");
        // 100,000 vectors / 25 ms = 4,000,000 vectors/s, 20% short of 5 million
        assertThat(md).contains("| 4,000,000 vectors/s | >= 5,000,000 vectors/s | **missed** (short by 20%) |");
        // 25 us per record = 40,000 records/s, 20% short of 50,000
        assertThat(md).contains("| 40,000 records/s | >= 50,000 records/s | **missed** (short by 20%) |");
        assertThat(md).contains("| Redis batch upsert of 1,000 (384 d) into the 100k collection | 12,500 records/s | >= 10,000 records/s | met |");
        assertThat(md).contains("| pgvector search, unscoped 100k: recall@10 (clustered vectors) | 0.970 | >= 0.950 | met |");
        assertThat(md).contains("| pgvector search, scoped to 10k of 100k: p50 | – | <= 2.00 ms | not measured |");
        assertThat(md).contains("Taken under load.", "benchmarks/bin/run core", "### SearchBenchmark.search");
    }

    @Test
    void benchmark_tables_show_percentiles_in_milliseconds() throws IOException {
        JmhToMarkdown report = new JmhToMarkdown();
        report.read(jmhFile());

        String md = report.render(null, List.of(), "gen");

        assertThat(md).contains("| inmemory | scoped-10k | none | clustered | 10 | sample | 1 | 0.350 | 0.400 | 0.500 | 0.900 | 0.420 ± 0.00100 | 2,381 |");
    }

    @Test
    void numbers_keep_three_significant_digits() {
        assertThat(JmhToMarkdown.number(1234567.8)).isEqualTo("1,234,568");
        assertThat(JmhToMarkdown.number(123.4)).isEqualTo("123");
        assertThat(JmhToMarkdown.number(12.34)).isEqualTo("12.3");
        assertThat(JmhToMarkdown.number(1.234)).isEqualTo("1.23");
        assertThat(JmhToMarkdown.number(0.1234)).isEqualTo("0.123");
        assertThat(JmhToMarkdown.number(0.001234)).isEqualTo("0.00123");
    }

    @Test
    void a_file_of_another_kind_is_rejected() throws IOException {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"hello\": 1}");
        assertThatIllegalArgumentException().isThrownBy(() -> new JmhToMarkdown().read(file))
                .withMessageContaining("neither JMH JSON output");
    }
}

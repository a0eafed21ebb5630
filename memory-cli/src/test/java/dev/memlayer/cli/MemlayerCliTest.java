package dev.memlayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memlayer.cli.internal.EmbedderKind;
import dev.memlayer.cli.internal.LlmKind;
import dev.memlayer.cli.internal.StoreKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class MemlayerCliTest {

    /** One run of the command line with captured output. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cli = MemlayerCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static Path tinyLocomo() {
        try {
            return Path.of(MemlayerCliTest.class.getResource("/tiny-locomo.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void help_lists_the_commands() {
        Run run = run("--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("demo", "eval", "--verbose");
        assertThat(run("eval", "locomo", "--help").out()).contains("--data", "--store", "--embedder", "--json",
                "snap-research");
    }

    @Test
    void a_missing_subcommand_is_a_usage_error() {
        assertThat(run().status()).isEqualTo(2);
        Run eval = run("eval");
        assertThat(eval.status()).isEqualTo(2);
        assertThat(eval.err()).contains("Missing required subcommand", "locomo");
    }

    @Test
    void option_values_are_parsed_by_their_user_facing_names() {
        ParseResult parsed = MemlayerCli.commandLine().parseArgs("eval", "locomo", "--store", "PGVECTOR", "--embedder",
                "minilm", "--data", "x.json", "--json", "--threads", "3");
        LocomoCommand locomo = parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();

        assertThat(locomo.store).isEqualTo(StoreKind.PGVECTOR);
        assertThat(locomo.embedder).isEqualTo(EmbedderKind.MINILM);
        assertThat(locomo.data).isEqualTo(Path.of("x.json"));
        assertThat(locomo.json).isTrue();
        assertThat(locomo.threads).isEqualTo(3);

        ParseResult defaults = MemlayerCli.commandLine().parseArgs("eval", "locomo");
        LocomoCommand plain = defaults.subcommand().subcommand().commandSpec().commandLine().getCommand();
        assertThat(plain.store).isEqualTo(StoreKind.INMEMORY);
        assertThat(plain.embedder).isEqualTo(EmbedderKind.BGE_SMALL);
        assertThat(plain.data).isNull();

        ParseResult demo = MemlayerCli.commandLine().parseArgs("demo", "--llm", "scripted", "--embedder", "bge-small-en-v1.5");
        DemoCommand demoCommand = demo.subcommand().commandSpec().commandLine().getCommand();
        assertThat(demoCommand.llm).isEqualTo(LlmKind.SCRIPTED);
        assertThat(demoCommand.embedder).isEqualTo(EmbedderKind.BGE_SMALL);
    }

    @Test
    void an_unknown_option_value_names_the_accepted_ones() {
        Run run = run("eval", "locomo", "--store", "sqlite");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("unknown store 'sqlite'", "inmemory, pgvector, redis");
        assertThat(run("eval", "locomo", "--embedder", "gpt").err()).contains("bge-small, minilm");
        assertThat(run("demo", "--llm", "claude").err()).contains("auto, scripted, openai, ollama");
    }

    @Test
    void a_collection_name_that_is_no_identifier_is_a_usage_error() {
        Run run = run("eval", "locomo", "--collection", "Robert'); DROP TABLE x;--");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--collection must be 1 to 31 characters of a-z, 0-9 and _");
    }

    @Test
    void a_missing_data_file_explains_where_to_get_locomo(@TempDir Path dir) {
        Run run = run("eval", "locomo", "--data", dir.resolve("locomo10.json").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("LoCoMo data not found", "locomo10.json", "snap-research",
                "https://github.com/snap-research/LoCoMo", "../shared/data/locomo-dev.json", "--data");
    }

    @Test
    void eval_locomo_prints_json_with_the_documented_keys_on_stdout_only() throws Exception {
        Run run = run("eval", "locomo", "--data", tinyLocomo().toString(), "--json", "--no-progress");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.fieldNames()).toIterable().contains("recall_at_1", "recall_at_5", "recall_at_10",
                "by_category", "questions", "ingest_per_s", "search_p50_ms", "search_p95_ms", "store", "embedder", "data");
        assertThat(json.get("questions").intValue()).isEqualTo(7);
        assertThat(json.get("turns").intValue()).isEqualTo(9);
        assertThat(json.get("store").asText()).isEqualTo("inmemory");
        assertThat(json.get("embedder").asText()).isEqualTo("bge-small");
        // 6 turns at most per conversation: every existing evidence turn is among the top 10
        assertThat(json.get("recall_at_10").doubleValue()).isEqualTo(0.9286);
        assertThat(json.at("/by_category/temporal/recall_at_10").doubleValue()).isEqualTo(0.5);
    }

    @Test
    void eval_locomo_prints_a_table_and_progress_lines_on_stderr() {
        Run run = run("eval", "locomo", "--data", tinyLocomo().toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("R@1", "R@5", "R@10", "multi-hop", "all", "turns/s", "p50", "p95");
        assertThat(run.err()).contains("2 conversations, 9 turns, 9 questions", "ingest: 9 turns...",
                "ingest: done", "search: done");
    }
}

package dev.memlayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.cli.demo.DemoLanguageModel;
import dev.memlayer.llm.openai.testing.OpenAiCompatibleTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void demo_with_the_scripted_model_runs_end_to_end() {
        MemlayerCliTest.Run run = MemlayerCliTest.run("demo", "--llm", "scripted");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("memlayer demo")
                .contains("scripted demo model", "bge-small-en-v1.5", "== 1/17  Remember Alex", "== 17/17  reset",
                        "ImmutableMemoryException", "done: 17 steps.");
    }

    @Test
    void with_openai_api_key_set_the_demo_talks_to_that_openai_compatible_server() {
        DemoLanguageModel scripted = new DemoLanguageModel();
        try (OpenAiCompatibleTestServer server =
                     OpenAiCompatibleTestServer.start(call -> scripted.chat(call.request()).content(), 384)) {
            CommandLine cli = MemlayerCli.commandLine();
            StringWriter out = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(new StringWriter(), true));
            DemoCommand demo = cli.getSubcommands().get("demo").getCommand();
            demo.environment = Map.of("OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", server.baseUrl().toString());

            int status = cli.execute("demo");

            assertThat(status).isZero();
            assertThat(out.toString()).contains("through the OpenAI API at " + server.baseUrl(), "\"event\" : \"UPDATE\"",
                    "done: 17 steps.");
            assertThat(server.chatRequestCount()).isEqualTo(scripted.calls()).isGreaterThanOrEqualTo(8);
        }
    }
}

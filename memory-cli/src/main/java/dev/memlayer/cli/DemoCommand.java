package dev.memlayer.cli;

import dev.memlayer.api.Memory;
import dev.memlayer.cli.demo.DemoScenario;
import dev.memlayer.cli.internal.Backends;
import dev.memlayer.cli.internal.EmbedderKind;
import dev.memlayer.cli.internal.LanguageModels;
import dev.memlayer.cli.internal.LlmKind;
import dev.memlayer.cli.internal.StoreKind;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memlayer demo}: plays the seed scenario on the embedded default (in-memory store, local embedder). */
@Command(mixinStandardHelpOptions = true, name = "demo", sortOptions = false,
        description = {
            "Plays the seed scenario and prints each step's result in Mem0's JSON shape.",
            "",
            "On the embedded default (in-memory store, local ONNX embedder): a user, a session and an agent"
                    + " remembered; search; paged getAll; metadata and v2 JSON filters; update and history; an"
                    + " immutable memory; batch update and delete; deleteAll; reset.",
            "",
            "LLM: OpenAI when OPENAI_API_KEY is set, else Ollama when OLLAMA_HOST is set, else memlayer's scripted"
                    + " demo model (rules, no network).",
            ""})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--llm", paramLabel = "LLM", defaultValue = "auto", converter = Converters.Llm.class,
            description = "auto (default), scripted, openai or ollama")
    LlmKind llm;

    @Option(names = "--embedder", paramLabel = "MODEL", defaultValue = "bge-small", converter = Converters.Embedder.class,
            description = "bge-small (default) or minilm")
    EmbedderKind embedder;

    /** The environment the LLM is chosen from; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LanguageModels.Selection selection = LanguageModels.select(llm, environment);
        out.println("memlayer demo");
        out.println(selection.description());
        out.println("embedder: " + embedder.description() + "; store: in-memory");
        out.flush();
        try (Memory memory = Backends.open(StoreKind.INMEMORY, Backends.embedder(embedder), selection.model())) {
            new DemoScenario(memory, out).run();
        }
        out.println();
        out.println("done: " + DemoScenario.stepCount() + " steps.");
        out.flush();
        return 0;
    }
}

package dev.memlayer.cli;

import dev.memlayer.api.Memory;
import dev.memlayer.cli.internal.Backends;
import dev.memlayer.cli.internal.EmbedderKind;
import dev.memlayer.cli.internal.Progress;
import dev.memlayer.cli.internal.RepositoryPaths;
import dev.memlayer.cli.internal.StoreKind;
import dev.memlayer.cli.locomo.EvalReport;
import dev.memlayer.cli.locomo.EvalResult;
import dev.memlayer.cli.locomo.LocomoDataset;
import dev.memlayer.cli.locomo.LocomoEvaluator;
import dev.memlayer.cli.locomo.ProgressListener;
import dev.memlayer.core.json.Mem0Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code memlayer eval locomo}: retrieval recall of LoCoMo evidence turns. */
@Command(mixinStandardHelpOptions = true, name = "locomo", sortOptions = false,
        description = {
            "Measures how well memlayer recalls LoCoMo's evidence turns (recall@1/5/10), and how fast.",
            "",
            "Ingests every dialogue turn of every conversation as one memory (infer=false, user_id = sample_id),"
                    + " then asks every question that has evidence as a search scoped to its conversation (limit 10)."
                    + " Reports recall overall and per category, ingestion throughput and search latency (p50/p95)."
                    + " Progress goes to stderr, the table (or --json) to stdout.",
            "",
            "Data: " + LocomoCommand.DEFAULT_DATA + " next to the repository folder, or --data PATH."
                    + " LoCoMo is published by snap-research (file " + LocomoDataset.PUBLISHED_FILE + "):",
            "  " + LocomoDataset.PUBLISHER_URL,
            ""})
final class LocomoCommand implements Callable<Integer> {

    /** Where the data is expected, relative to the repository root (then to the current directory). */
    static final String DEFAULT_DATA = "../shared/data/locomo-dev.json";
    /** The collection of server stores (PostgreSQL table memlayer_locomo, Redis prefix memlayer-locomo). */
    static final String COLLECTION = "locomo";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "PATH", description = "a LoCoMo JSON file (default: see Data above)")
    Path data;

    @Option(names = "--store", paramLabel = "STORE", defaultValue = "inmemory", converter = Converters.Store.class,
            description = "inmemory (default), pgvector or redis (servers from MEMLAYER_PG_URL and MEMLAYER_REDIS_URL;"
                    + " scripts/services.sh start runs both locally)")
    StoreKind store;

    @Option(names = "--embedder", paramLabel = "MODEL", defaultValue = "bge-small", converter = Converters.Embedder.class,
            description = "bge-small (default) or minilm")
    EmbedderKind embedder;

    @Option(names = "--collection", paramLabel = "NAME", defaultValue = COLLECTION,
            description = "the collection on pgvector/redis: table memlayer_NAME, key prefix memlayer-NAME"
                    + " (default: ${DEFAULT-VALUE})")
    String collection;

    @Option(names = "--json", description = "print the result as JSON (recall_at_1, recall_at_5, recall_at_10,"
            + " by_category, questions, ingest_per_s, search_p50_ms, search_p95_ms, ...)")
    boolean json;

    @Option(names = "--threads", paramLabel = "N",
            description = "conversations ingested in parallel (default: the number of CPUs)")
    Integer threads;

    @Option(names = "--no-progress", description = "draw no progress on stderr")
    boolean noProgress;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!collection.matches("[a-z0-9_]{1,31}")) {
            throw new ParameterException(spec.commandLine(),
                    "--collection must be 1 to 31 characters of a-z, 0-9 and _, got '" + collection + "'");
        }
        Path file = LocomoDataset.locate(data, RepositoryPaths.candidates(DEFAULT_DATA).stream().toList());
        LocomoDataset dataset = LocomoDataset.read(file);
        ProgressListener progress = noProgress ? ProgressListener.NONE : new Progress(err, Progress.stderrIsTerminal());
        if (!noProgress) {
            err.printf(Locale.ROOT, "LoCoMo %s: %d conversations, %d turns, %d questions; store %s, embedder %s%n",
                    display(file), dataset.conversations().size(), dataset.turnCount(),
                    dataset.conversations().stream().mapToInt(c -> c.questions().size()).sum(), store, embedder);
            err.flush();
        }
        int ingestThreads = threads != null && threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        EvalResult result;
        try (Memory memory = Backends.open(store, Backends.embedder(embedder), null, collection, System.getenv())) {
            result = new LocomoEvaluator(memory, ingestThreads, progress).evaluate(dataset);
        }
        EvalReport report = new EvalReport(display(file), store.optionName(), embedder.optionName(), result);
        if (json) {
            out.println(Mem0Json.toPrettyJson(report.toJson()));
        } else {
            out.println();
            out.print(report.toText());
        }
        out.flush();
        return 0;
    }

    /** @return the path relative to the current directory when that is shorter, else absolute */
    static String display(Path file) {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        String relative = cwd.getRoot().equals(abs.getRoot()) ? cwd.relativize(abs).toString() : null;
        return relative != null && !relative.isEmpty() && relative.length() < abs.toString().length()
                ? relative : abs.toString();
    }
}

package dev.memlayer.cli;

import dev.memlayer.api.MemoryException;
import dev.memlayer.cli.locomo.LocomoDataException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code memlayer} command ({@code bin/memlayer} runs it): subcommands {@code demo} and
 * {@code eval locomo}. Exit status: 0 on success, 1 when the command failed (the message says why),
 * 2 for a usage error.
 *
 * <p>Logging goes through SLF4J's simple binding to stderr at level {@code warn}, so that output
 * stays clean; {@code --verbose} lowers it to {@code info} and prints stack traces of failures.
 */
@Command(name = "memlayer", mixinStandardHelpOptions = true, versionProvider = MemlayerCli.Version.class,
        description = {"memlayer: long-term memory for AI agents on the JVM.", ""},
        subcommands = {DemoCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public final class MemlayerCli {

    /** The simple binding's property for the default log level. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "log at info level to stderr and print stack traces of failures")
    boolean verbose;

    private MemlayerCli() {
    }

    /**
     * Runs the command line and exits the JVM with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        configureLogging(List.of(args).contains("-v") || List.of(args).contains("--verbose"));
        System.exit(commandLine().execute(args));
    }

    /**
     * @return a ready command line: case-insensitive option values, failures reported as one-line
     *         messages (with the stack trace under {@code --verbose})
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MemlayerCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new Failures());
        return cli;
    }

    /** Sets the log level before the first logger is created, unless the user set one. */
    private static void configureLogging(boolean verbose) {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, verbose ? "info" : "warn");
        }
    }

    /** Prints a failure as {@code memlayer: <message>} and returns status 1. */
    static final class Failures implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cli, ParseResult parseResult) {
            PrintWriter err = cli.getErr();
            boolean verbose = anyVerbose(parseResult);
            if (e instanceof LocomoDataException || e instanceof MemoryException) {
                err.println("memlayer: " + e.getMessage());
            } else {
                err.println("memlayer: unexpected failure: " + e);
            }
            if (verbose) {
                e.printStackTrace(err);
            } else if (!(e instanceof LocomoDataException)) {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return 1;
        }

        private static boolean anyVerbose(ParseResult result) {
            for (ParseResult r = result; r != null; r = r.subcommand()) {
                if (r.hasMatchedOption("--verbose")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The version from the jar's manifest, or {@code dev} when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MemlayerCli.class.getPackage().getImplementationVersion();
            return new String[] {"memlayer " + (v == null ? "dev" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}

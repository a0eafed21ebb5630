package dev.memlayer.cli;

import picocli.CommandLine.Command;

/** {@code memlayer eval}: groups the evaluations; it does nothing by itself. */
@Command(mixinStandardHelpOptions = true, name = "eval", description = "Evaluates memlayer on a benchmark.", subcommands = LocomoCommand.class)
final class EvalCommand {
}

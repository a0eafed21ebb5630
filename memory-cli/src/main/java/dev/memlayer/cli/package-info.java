/**
 * memlayer's command line, started by {@code bin/memlayer}: {@link dev.memlayer.cli.MemlayerCli}
 * and its picocli subcommands {@code demo} (the seed scenario, printed in Mem0's JSON shapes) and
 * {@code eval locomo} (retrieval recall on the LoCoMo conversations).
 */
package dev.memlayer.cli;

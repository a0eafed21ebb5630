/**
 * The LoCoMo retrieval evaluation behind {@code memlayer eval locomo}: reading the benchmark's
 * JSON ({@link dev.memlayer.cli.locomo.LocomoDataset}), normalising its evidence ids
 * ({@link dev.memlayer.cli.locomo.EvidenceIds}), ingesting every dialogue turn as one memory and
 * measuring recall@k of the evidence turns ({@link dev.memlayer.cli.locomo.LocomoEvaluator}), and
 * rendering the report ({@link dev.memlayer.cli.locomo.EvalReport}).
 */
package dev.memlayer.cli.locomo;

/**
 * The results page: {@link dev.memlayer.benchmarks.report.JmhToMarkdown} turns JMH's JSON output and
 * the recall check's JSON into Markdown, checking the issues' {@link dev.memlayer.benchmarks.report.Target targets}.
 */
package dev.memlayer.benchmarks.report;

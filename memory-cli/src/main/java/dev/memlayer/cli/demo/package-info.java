/**
 * The seed scenario that {@code memlayer demo} plays ({@link dev.memlayer.cli.demo.DemoScenario}),
 * and the scripted {@link dev.memlayer.api.spi.LanguageModel} it uses when no real LLM is
 * configured ({@link dev.memlayer.cli.demo.DemoLanguageModel}).
 */
package dev.memlayer.cli.demo;

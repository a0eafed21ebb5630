/**
 * Plumbing of the command line that is no API: choosing and opening backends, embedders and
 * language models from options and the environment, locating the repository and its data, and
 * drawing progress on stderr.
 */
package dev.memlayer.cli.internal;

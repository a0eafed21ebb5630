/**
 * memlayer's public contract: the {@link dev.memlayer.api.Memory} facade and its asynchronous twin,
 * the immutable request/result value types, and the exception hierarchy rooted at
 * {@link dev.memlayer.api.MemoryException}. Depends on the JDK only.
 */
package dev.memlayer.api;

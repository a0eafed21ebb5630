/**
 * Implementation of the Redis backend, not API: the key layout ({@link
 * dev.memlayer.store.redis.internal.Keys}), the attribute and literal encoding shared with the
 * server's FILTER engine ({@link dev.memlayer.store.redis.internal.VsetEncoding}), the filter
 * compiler ({@link dev.memlayer.store.redis.internal.RedisFilterCompiler}), the Lua write scripts,
 * search, index scans and scope locks. Nothing outside this module imports it.
 */
package dev.memlayer.store.redis.internal;

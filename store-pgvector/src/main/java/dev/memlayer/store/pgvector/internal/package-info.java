/**
 * Implementation details of the pgvector backend (filter compilation, schema migration, row
 * codecs, binary COPY, connection pooling, error translation, the background indexer and the
 * half-precision scope cache). Not API: nothing outside this
 * module imports it.
 */
package dev.memlayer.store.pgvector.internal;

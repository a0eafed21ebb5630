/**
 * Implementation details of the pgvector backend (filter compilation, schema migration, row
 * codecs, binary COPY, connection pooling and error translation). Not API: nothing outside this
 * module imports it.
 */
package dev.memlayer.store.pgvector.internal;

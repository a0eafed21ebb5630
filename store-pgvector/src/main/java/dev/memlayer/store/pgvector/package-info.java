/**
 * The PostgreSQL + pgvector backend: {@link dev.memlayer.store.pgvector.PgVectorStore} (vector
 * store), {@link dev.memlayer.store.pgvector.PgHistoryStore} (audit history), their configuration
 * {@link dev.memlayer.store.pgvector.PgVectorConfig} and the Guice
 * {@link dev.memlayer.store.pgvector.PgVectorModule}. One table per collection with typed columns,
 * {@code jsonb} metadata and an HNSW cosine index; filters compile to SQL with bound parameters only.
 */
package dev.memlayer.store.pgvector;

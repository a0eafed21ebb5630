/**
 * The PostgreSQL + pgvector backend: {@link dev.memlayer.store.pgvector.PgVectorStore} (vector
 * store), {@link dev.memlayer.store.pgvector.PgHistoryStore} (audit history), their configuration
 * {@link dev.memlayer.store.pgvector.PgVectorConfig} and the Guice
 * {@link dev.memlayer.store.pgvector.PgVectorModule}. One table per collection with typed columns,
 * {@code jsonb} metadata, an HNSW cosine index and a covering scope index for exact scans of one
 * user's memories (built, like the scope B-trees, in the background after a bulk load), a
 * JVM-side cache of large users' vectors (half precision, validated against a per-user version
 * table in the search's own snapshot) that pre-selects the rows an exact user-scoped search ranks;
 * filters compile to SQL with bound parameters only.
 */
package dev.memlayer.store.pgvector;

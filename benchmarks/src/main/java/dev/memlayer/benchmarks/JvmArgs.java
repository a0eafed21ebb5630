package dev.memlayer.benchmarks;

/** The JVM options of every benchmark fork (annotation constants). */
final class JvmArgs {

    /** Room for a 100k x 384 dataset, its records and an in-memory store holding it. */
    static final String HEAP_MAX = "-Xmx6g";
    static final String HEAP_MIN = "-Xms2g";
    /** ONNX Runtime and the tokenizer load native libraries. */
    static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    static final String LOG_LEVEL = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";
    /** Dataset loading and reuse. */
    static final String LOG_FIXTURES = "-Dorg.slf4j.simpleLogger.log.dev.memlayer.benchmarks=info";
    /** pgvector's bulk load logs how long COPY and the HNSW build took. */
    static final String LOG_PG = "-Dorg.slf4j.simpleLogger.log.dev.memlayer.store.pgvector.PgVectorStore=info";

    private JvmArgs() {
    }
}

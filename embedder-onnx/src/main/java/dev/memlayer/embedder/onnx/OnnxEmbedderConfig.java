package dev.memlayer.embedder.onnx;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link OnnxEmbedder} runs: which model, how many CPU threads one inference may use, and how
 * many texts go into one ONNX run.
 *
 * @param model            the model, not null; default {@link OnnxModel#BGE_SMALL_EN_V15_Q}
 * @param intraOpThreads   ONNX Runtime intra-op threads per inference, in [1, 256]; default
 *                         {@link #defaultIntraOpThreads()} (2, or 1 on a single-core machine)
 * @param maxBatchSize     the most texts {@link OnnxEmbedder#embedAll} puts into one ONNX run, in
 *                         [1, 1024]; default 32. Larger lists are split. 1 makes {@code embedAll}
 *                         bit-identical to {@code embed} at about half the throughput (see
 *                         {@link OnnxEmbedder} on batching int8 models).
 * @param queryInstruction whether search queries get the model's query prefix (see
 *                         {@link OnnxModel#queryPrefix()}); default true
 * @param allowSpinning    whether ONNX Runtime's intra-op threads busy-wait for work between runs
 *                         (matters with 2 or more threads); default false. Measured on 2 cores with
 *                         bge-small and 2 threads: spinning makes back-to-back single-sentence
 *                         calls about a third faster on an idle machine and makes no difference
 *                         to batches, but makes everything 2–5x slower when other work competes
 *                         for the cores, and burns CPU while waiting.
 */
public record OnnxEmbedderConfig(
        OnnxModel model,
        int intraOpThreads,
        int maxBatchSize,
        boolean queryInstruction,
        boolean allowSpinning) {

    /** Environment variable naming the model, e.g. {@code BGE_SMALL_EN_V15_Q} or {@code all-minilm-l6-v2-q}. */
    public static final String ENV_MODEL = "MEMLAYER_ONNX_MODEL";
    /** Environment variable with the intra-op thread count. */
    public static final String ENV_THREADS = "MEMLAYER_ONNX_THREADS";
    /** Environment variable with the maximum batch size. */
    public static final String ENV_MAX_BATCH_SIZE = "MEMLAYER_ONNX_MAX_BATCH_SIZE";
    /** Environment variable ({@code true}/{@code false}) switching the query prefix on or off. */
    public static final String ENV_QUERY_INSTRUCTION = "MEMLAYER_ONNX_QUERY_INSTRUCTION";
    /** Environment variable ({@code true}/{@code false}) allowing intra-op thread spinning. */
    public static final String ENV_SPINNING = "MEMLAYER_ONNX_SPINNING";

    /** Default {@link #maxBatchSize()}. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 32;

    private static final int MAX_THREADS = 256;
    private static final int MAX_BATCH_SIZE = 1024;

    /**
     * @throws ValidationException with {@link ErrorCode#INVALID_CONFIGURATION} if a value is out of
     *     range
     */
    public OnnxEmbedderConfig {
        if (model == null) {
            throw invalid("model must not be null; pick one of " + Arrays.toString(OnnxModel.values()));
        }
        if (intraOpThreads < 1 || intraOpThreads > MAX_THREADS) {
            throw invalid("intraOpThreads must be in [1, " + MAX_THREADS + "], was " + intraOpThreads);
        }
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
            throw invalid("maxBatchSize must be in [1, " + MAX_BATCH_SIZE + "], was " + maxBatchSize);
        }
    }

    /**
     * @return the defaults: bge-small-en-v1.5 int8, {@link #defaultIntraOpThreads()}, batches of 32,
     *     query instruction on, spinning off
     */
    public static OnnxEmbedderConfig defaults() {
        return builder().build();
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this configuration */
    public Builder toBuilder() {
        return new Builder()
                .model(model)
                .intraOpThreads(intraOpThreads)
                .maxBatchSize(maxBatchSize)
                .queryInstruction(queryInstruction)
                .allowSpinning(allowSpinning);
    }

    /**
     * Reads {@value #ENV_MODEL}, {@value #ENV_THREADS}, {@value #ENV_MAX_BATCH_SIZE},
     * {@value #ENV_QUERY_INSTRUCTION} and {@value #ENV_SPINNING} from the process environment; unset
     * or blank variables keep their defaults.
     *
     * @return the configuration
     * @throws ValidationException with {@link ErrorCode#INVALID_CONFIGURATION} if a variable holds an
     *     unknown model, a non-number or an out-of-range value
     */
    public static OnnxEmbedderConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * Like {@link #fromEnv()}, reading from the given map instead of the process environment.
     *
     * @param env variable names to values, not null
     * @return the configuration
     * @throws ValidationException with {@link ErrorCode#INVALID_CONFIGURATION} on a bad value
     */
    public static OnnxEmbedderConfig fromEnv(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        Builder builder = builder();
        String model = env.get(ENV_MODEL);
        if (model != null && !model.isBlank()) {
            try {
                builder.model(OnnxModel.parse(model));
            } catch (IllegalArgumentException e) {
                throw invalid(ENV_MODEL + "=" + model + " names no known model; use one of "
                        + Arrays.toString(OnnxModel.values()));
            }
        }
        String threads = env.get(ENV_THREADS);
        if (threads != null && !threads.isBlank()) {
            builder.intraOpThreads(parseInt(ENV_THREADS, threads, MAX_THREADS));
        }
        String batch = env.get(ENV_MAX_BATCH_SIZE);
        if (batch != null && !batch.isBlank()) {
            builder.maxBatchSize(parseInt(ENV_MAX_BATCH_SIZE, batch, MAX_BATCH_SIZE));
        }
        String instruction = env.get(ENV_QUERY_INSTRUCTION);
        if (instruction != null && !instruction.isBlank()) {
            builder.queryInstruction(parseBoolean(ENV_QUERY_INSTRUCTION, instruction));
        }
        String spinning = env.get(ENV_SPINNING);
        if (spinning != null && !spinning.isBlank()) {
            builder.allowSpinning(parseBoolean(ENV_SPINNING, spinning));
        }
        return builder.build();
    }

    /**
     * The default intra-op thread count: 2, or 1 on a single-core machine. Measured on bge-small
     * int8 with short sentences on an idle machine, a second thread makes batches of 32 about 1.7x
     * faster; single sentences gain less (up to 1.5x with spinning, little without). More threads
     * gain little on inputs this small, and concurrent callers are better served by spare cores.
     *
     * @return the default, 1 or 2
     */
    public static int defaultIntraOpThreads() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    private static int parseInt(String name, String value, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name + "=" + value + " is not an integer; use one in [1, " + max + "]");
        }
        if (parsed < 1 || parsed > max) {
            throw invalid(name + "=" + value + " is out of range; use an integer in [1, " + max + "]");
        }
        return parsed;
    }

    private static boolean parseBoolean(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw invalid(name + "=" + value + " is not a boolean; use true or false");
        };
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** Builds an {@link OnnxEmbedderConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private OnnxModel model = OnnxModel.BGE_SMALL_EN_V15_Q;
        private int intraOpThreads = defaultIntraOpThreads();
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private boolean queryInstruction = true;
        private boolean allowSpinning;

        private Builder() {}

        /**
         * @param model the model, not null
         * @return this builder
         */
        public Builder model(OnnxModel model) {
            this.model = model;
            return this;
        }

        /**
         * @param intraOpThreads threads per inference, in [1, 256]
         * @return this builder
         */
        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        /**
         * @param maxBatchSize texts per ONNX run, in [1, 1024]
         * @return this builder
         */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /**
         * @param queryInstruction whether search queries get the model's query prefix
         * @return this builder
         */
        public Builder queryInstruction(boolean queryInstruction) {
            this.queryInstruction = queryInstruction;
            return this;
        }

        /**
         * @param allowSpinning whether intra-op threads busy-wait between runs
         * @return this builder
         */
        public Builder allowSpinning(boolean allowSpinning) {
            this.allowSpinning = allowSpinning;
            return this;
        }

        /**
         * @return the configuration
         * @throws ValidationException with {@link ErrorCode#INVALID_CONFIGURATION} if a value is
         *     out of range
         */
        public OnnxEmbedderConfig build() {
            return new OnnxEmbedderConfig(
                    model, intraOpThreads, maxBatchSize, queryInstruction, allowSpinning);
        }
    }
}

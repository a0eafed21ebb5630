package dev.memlayer.embedder.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Embedder} that runs a sentence-embedding model in-process with ONNX Runtime (CPU) and
 * tokenises with the HuggingFace {@code tokenizers} library (through DJL). The model and its
 * {@code tokenizer.json} are read from the classpath (see {@link OnnxModel}); nothing is downloaded.
 *
 * <p>Output: a new {@code float[]} of {@link #dimensions()} (384) values per text, L2-normalised
 * (Euclidean norm 1 within float rounding), so cosine similarity is the dot product. Pooling is the
 * model's ({@link OnnxModel#pooling()}): CLS for BGE as in the BGE model card, attention-masked mean
 * for all-MiniLM as in sentence-transformers.
 *
 * <p>Input: texts longer than {@link OnnxModel#maxTokens()} word pieces (including {@code [CLS]}
 * and {@code [SEP]}) are truncated at the end, never rejected. With {@link EmbeddingPurpose#SEARCH}
 * the model's query prefix is prepended first (BGE: "Represent this sentence for searching relevant
 * passages: "), unless {@link OnnxEmbedderConfig#queryInstruction()} is false.
 *
 * <p>{@link #embedAll} tokenises the whole list, orders the texts by length so that each ONNX run
 * pads little, and runs batches of at most {@link OnnxEmbedderConfig#maxBatchSize()}, padded to the
 * batch's longest text; results come back in input order. Batching roughly doubles throughput, but
 * the int8 models quantise activations per tensor (dynamic quantisation), so a text's vector
 * depends slightly on the other texts of its batch, padding included: batched and one-by-one
 * vectors agree to a cosine similarity of typically 0.995 (measured minimum 0.98), not bit for bit.
 * (The fp32 exports of the same models are batch-invariant.) With {@code maxBatchSize = 1},
 * {@code embedAll} equals {@code embed} exactly. Both are deterministic: the same text (and, for
 * {@code embedAll}, the same list) always gives the same bits, on any thread.
 *
 * <p>Thread-safe: one ONNX session and one tokenizer serve all callers concurrently. Each call uses
 * up to {@link OnnxEmbedderConfig#intraOpThreads()} native threads (the caller's plus a pool), which
 * by default sleep rather than spin between runs (see {@link OnnxEmbedderConfig#allowSpinning()}). {@link #close()} releases the
 * native session; calls after it fail with {@link IllegalStateException}.
 *
 * <p>Native libraries: ONNX Runtime and {@code libtokenizers} are extracted from their jars (ONNX
 * Runtime into a temporary directory, the tokenizer into {@code ~/.djl.ai/tokenizers}, movable with
 * {@code DJL_CACHE_DIR}). Unless the user has set them, the system properties {@code RUST_FLAVOR=cpu}
 * and {@code OPT_OUT_TRACKING=true} are set before the tokenizer loads, so that DJL neither fetches a
 * CUDA build nor sends telemetry.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OnnxEmbedderConfig config;
    private final OnnxModel model;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputNames;
    private final String outputName;

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private OnnxEmbedder(
            OnnxEmbedderConfig config,
            OrtEnvironment environment,
            OrtSession session,
            HuggingFaceTokenizer tokenizer) {
        this.config = config;
        this.model = config.model();
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.inputNames = Set.copyOf(session.getInputNames());
        this.outputName = session.getOutputNames().iterator().next();
    }

    /**
     * Loads the default model ({@link OnnxEmbedderConfig#defaults()}). Takes about a second and adds
     * about 130 MB to the process RSS (native libraries, model, arenas; the Java heap barely grows).
     *
     * @return a ready embedder; close it when done
     * @throws ValidationException with {@link ErrorCode#INVALID_CONFIGURATION} if the model jar is
     *     not on the classpath
     * @throws MemoryException if ONNX Runtime or the tokenizer cannot be loaded
     */
    public static OnnxEmbedder create() {
        return create(OnnxEmbedderConfig.defaults());
    }

    /**
     * Loads the configured model.
     *
     * @param config the configuration, not null
     * @return a ready embedder; close it when done
     * @throws ValidationException with {@link ErrorCode#INVALID_CONFIGURATION} if the model jar is
     *     not on the classpath
     * @throws MemoryException if ONNX Runtime or the tokenizer cannot be loaded
     */
    public static OnnxEmbedder create(OnnxEmbedderConfig config) {
        Objects.requireNonNull(config, "config");
        OnnxModel model = config.model();
        long start = System.nanoTime();
        byte[] modelBytes = readResource(model, model.modelResource());
        byte[] tokenizerJson = readResource(model, model.tokenizerResource());

        HuggingFaceTokenizer tokenizer = loadTokenizer(model, tokenizerJson);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry(
                    "session.intra_op.allow_spinning", config.allowSpinning() ? "1" : "0");
            session = environment.createSession(modelBytes, options);
        } catch (OrtException | RuntimeException e) {
            tokenizer.close();
            throw new MemoryException("ONNX Runtime could not load " + model.modelResource()
                    + " (" + model + "): " + e.getMessage(), e);
        }
        OnnxEmbedder embedder = new OnnxEmbedder(config, environment, session, tokenizer);
        embedder.checkModelShape();
        LOG.info("Loaded ONNX embedding model {} ({} dimensions, {} pooling, at most {} tokens,"
                        + " {} intra-op threads, spinning {}) in {} ms",
                model, model.dimensions(), model.pooling(), model.maxTokens(),
                config.intraOpThreads(), config.allowSpinning() ? "on" : "off",
                (System.nanoTime() - start) / 1_000_000);
        return embedder;
    }

    /** @return the configuration this embedder was created with */
    public OnnxEmbedderConfig config() {
        return config;
    }

    /** @return the number of dimensions, 384 for both supported models */
    @Override
    public int dimensions() {
        return model.dimensions();
    }

    /**
     * Embeds one text.
     *
     * @param text    the text, not null or blank; truncated to {@link OnnxModel#maxTokens()} tokens
     * @param purpose why the text is embedded, not null; SEARCH adds the model's query prefix
     * @return a new unit-length vector of {@link #dimensions()} floats
     * @throws ValidationException with {@link ErrorCode#INVALID_ARGUMENT} if the text is null or blank
     * @throws IllegalStateException if this embedder is closed
     * @throws MemoryException if ONNX Runtime fails
     */
    @Override
    public float[] embed(String text, EmbeddingPurpose purpose) {
        Objects.requireNonNull(purpose, "purpose");
        String input = prepare(text, purpose, -1);
        return encodeAndRun(new String[] {input}).get(0);
    }

    /**
     * Embeds several texts in batches of at most {@link OnnxEmbedderConfig#maxBatchSize()}.
     * Nothing is computed if any text is invalid.
     *
     * @param texts   the texts, none null or blank; may be empty
     * @param purpose why the texts are embedded, not null
     * @return one new unit-length vector per text, in input order
     * @throws ValidationException with {@link ErrorCode#INVALID_ARGUMENT} naming the first null or
     *     blank text
     * @throws IllegalStateException if this embedder is closed
     * @throws MemoryException if ONNX Runtime fails
     */
    @Override
    public List<float[]> embedAll(List<String> texts, EmbeddingPurpose purpose) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(purpose, "purpose");
        String[] inputs = new String[texts.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = prepare(texts.get(i), purpose, i);
        }
        if (inputs.length == 0) {
            return List.of();
        }
        return encodeAndRun(inputs);
    }

    /**
     * Releases the ONNX session and the tokenizer. Idempotent; waits for running calls to finish.
     */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("Closing the ONNX session of {} failed", model, e);
            } finally {
                tokenizer.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "OnnxEmbedder[" + model + ", threads=" + config.intraOpThreads()
                + ", maxBatchSize=" + config.maxBatchSize()
                + ", spinning=" + config.allowSpinning() + "]";
    }

    private String prepare(String text, EmbeddingPurpose purpose, int index) {
        if (text == null || text.isBlank()) {
            String which = index < 0 ? "text" : "texts[" + index + "]";
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    which + " is " + (text == null ? "null" : "blank")
                            + "; pass non-blank text to embed");
        }
        if (purpose == EmbeddingPurpose.SEARCH && config.queryInstruction()) {
            return model.queryPrefix() + text;
        }
        return text;
    }

    private List<float[]> encodeAndRun(String[] inputs) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("This OnnxEmbedder (" + model + ") is closed");
            }
            Encoding[] encodings = inputs.length == 1
                    ? new Encoding[] {tokenizer.encode(inputs[0])}
                    : tokenizer.batchEncode(inputs);
            // Run texts of similar length together, so that batches carry little padding.
            Integer[] order = new Integer[encodings.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(
                    encodings[a].getIds().length, encodings[b].getIds().length));

            float[][] vectors = new float[encodings.length][];
            int batchSize = config.maxBatchSize();
            for (int from = 0; from < order.length; from += batchSize) {
                int to = Math.min(order.length, from + batchSize);
                run(encodings, Arrays.copyOfRange(order, from, to), vectors);
            }
            return List.of(vectors);
        } catch (OrtException e) {
            throw new MemoryException("ONNX Runtime failed to embed " + inputs.length
                    + " text(s) with " + model + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs one padded batch and writes the pooled, normalised vectors into {@code out}. */
    private void run(Encoding[] encodings, Integer[] batch, float[][] out) throws OrtException {
        int rows = batch.length;
        int seq = 0;
        for (int index : batch) {
            seq = Math.max(seq, encodings[index].getIds().length);
        }
        long[] ids = new long[rows * seq];
        long[] mask = new long[rows * seq];
        long[] types = new long[rows * seq];
        for (int r = 0; r < rows; r++) {
            Encoding encoding = encodings[batch[r]];
            long[] tokenIds = encoding.getIds();
            long[] tokenTypes = encoding.getTypeIds();
            // Padding: id 0 ([PAD]) with attention mask 0, after the real tokens.
            System.arraycopy(tokenIds, 0, ids, r * seq, tokenIds.length);
            System.arraycopy(tokenTypes, 0, types, r * seq, tokenTypes.length);
            Arrays.fill(mask, r * seq, r * seq + tokenIds.length, 1L);
        }
        long[] shape = {rows, seq};
        Map<String, OnnxTensor> feeds = new HashMap<>(4);
        try {
            feeds.put(INPUT_IDS, OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            feeds.put(ATTENTION_MASK,
                    OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (inputNames.contains(TOKEN_TYPE_IDS)) {
                feeds.put(TOKEN_TYPE_IDS,
                        OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(feeds, Set.of(outputName))) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                FloatBuffer states = hidden.getFloatBuffer(); // [rows, seq, dims], row-major
                int dims = model.dimensions();
                for (int r = 0; r < rows; r++) {
                    out[batch[r]] = Pooler.pool(
                            model.pooling(), states, r * seq * dims, seq, dims, mask, r * seq);
                }
            }
        } finally {
            for (OnnxTensor tensor : feeds.values()) {
                tensor.close();
            }
        }
    }

    private void checkModelShape() {
        List<String> missing = new ArrayList<>();
        for (String name : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!inputNames.contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            close();
            throw new MemoryException(model.modelResource() + " has no input(s) " + missing
                    + "; inputs are " + inputNames);
        }
    }

    private static byte[] readResource(OnnxModel model, String resource) {
        try (InputStream in = openResource(resource)) {
            if (in == null) {
                throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                        "Resource " + resource + " of model " + model + " is not on the classpath;"
                                + " add the Maven dependency " + model.mavenCoordinates()
                                + " (version 1.20.0-beta30 or compatible), excluding its"
                                + " transitive dependencies");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MemoryException(
                    "Could not read resource " + resource + ": " + e.getMessage(), e);
        }
    }

    private static InputStream openResource(String resource) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(resource);
        return in != null ? in : OnnxEmbedder.class.getClassLoader().getResourceAsStream(resource);
    }

    private static HuggingFaceTokenizer loadTokenizer(OnnxModel model, byte[] json) {
        DjlNativeSettings.keepOffline();
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "LONGEST_FIRST",
                "padding", "DO_NOT_PAD", // we pad per batch, see run()
                "maxLength", Integer.toString(model.maxTokens()),
                "modelMaxLength", Integer.toString(model.maxTokens()));
        try (InputStream in = new ByteArrayInputStream(json)) {
            return HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw new MemoryException("Could not load tokenizer " + model.tokenizerResource()
                    + " (" + model + "): " + e.getMessage(), e);
        }
    }
}

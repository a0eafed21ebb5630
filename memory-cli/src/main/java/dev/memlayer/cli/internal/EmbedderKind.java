package dev.memlayer.cli.internal;

import dev.memlayer.embedder.onnx.OnnxModel;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The local embedding models the command line can run ({@code --embedder}). */
public enum EmbedderKind {
    /** BAAI bge-small-en-v1.5, int8, 384 dimensions, CLS pooling. The default. */
    BGE_SMALL("bge-small", OnnxModel.BGE_SMALL_EN_V15_Q, "bge-small-en-v1.5 (int8 ONNX, 384 dims, in-process)"),
    /** sentence-transformers all-MiniLM-L6-v2, int8, 384 dimensions, mean pooling. */
    MINILM("minilm", OnnxModel.ALL_MINILM_L6_V2_Q, "all-MiniLM-L6-v2 (int8 ONNX, 384 dims, in-process)");

    private final String optionName;
    private final OnnxModel model;
    private final String description;

    EmbedderKind(String optionName, OnnxModel model, String description) {
        this.optionName = optionName;
        this.model = model;
        this.description = description;
    }

    /** @return the name used on the command line and in reports */
    public String optionName() {
        return optionName;
    }

    /** @return the ONNX model this kind runs */
    public OnnxModel model() {
        return model;
    }

    /** @return a one-line description for humans */
    public String description() {
        return description;
    }

    /**
     * @param name an option value, case-insensitive; the full model names ({@code bge-small-en-v1.5},
     *             {@code all-minilm-l6-v2}) are accepted too
     * @return the embedder kind
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EmbedderKind parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (EmbedderKind kind : values()) {
            if (kind.optionName.equals(wanted)) {
                return kind;
            }
        }
        if (wanted.startsWith("bge-small")) {
            return BGE_SMALL;
        }
        if (wanted.startsWith("all-minilm") || wanted.startsWith("minilm")) {
            return MINILM;
        }
        throw new IllegalArgumentException("unknown embedder '" + name + "'; use one of " + names());
    }

    /** @return the accepted option values, comma-separated */
    public static String names() {
        return Arrays.stream(values()).map(EmbedderKind::optionName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return optionName;
    }
}

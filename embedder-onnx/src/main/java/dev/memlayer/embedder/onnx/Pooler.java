package dev.memlayer.embedder.onnx;

import java.nio.FloatBuffer;

/** Pools one row of token hidden states into a sentence vector and L2-normalises it. */
final class Pooler {

    private Pooler() {}

    /**
     * @param pooling  CLS or MEAN
     * @param states   hidden states, row-major {@code [rows, seq, dims]}
     * @param offset   index in {@code states} of this row's first token's first value
     * @param seq      padded sequence length of the batch
     * @param dims     hidden size
     * @param mask     attention mask, row-major {@code [rows, seq]}
     * @param maskFrom index in {@code mask} of this row's first token
     * @return a new unit-length vector of {@code dims} floats (all zeros stay zeros)
     */
    static float[] pool(OnnxModel.Pooling pooling, FloatBuffer states, int offset, int seq,
            int dims, long[] mask, int maskFrom) {
        double[] sum = new double[dims];
        switch (pooling) {
            case CLS -> {
                for (int d = 0; d < dims; d++) {
                    sum[d] = states.get(offset + d);
                }
            }
            case MEAN -> {
                int tokens = 0;
                for (int t = 0; t < seq; t++) {
                    if (mask[maskFrom + t] == 0) {
                        continue;
                    }
                    tokens++;
                    int base = offset + t * dims;
                    for (int d = 0; d < dims; d++) {
                        sum[d] += states.get(base + d);
                    }
                }
                for (int d = 0; d < dims; d++) {
                    sum[d] /= Math.max(1, tokens);
                }
            }
        }
        return normalise(sum);
    }

    /** L2-normalises; a zero vector is returned as zeros rather than NaN. */
    static float[] normalise(double[] vector) {
        double squares = 0;
        for (double v : vector) {
            squares += v * v;
        }
        double norm = Math.sqrt(squares);
        float[] out = new float[vector.length];
        if (norm == 0) {
            return out;
        }
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }
}

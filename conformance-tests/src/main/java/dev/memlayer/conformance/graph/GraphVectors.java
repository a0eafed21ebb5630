package dev.memlayer.conformance.graph;

/** Unit vectors for graph tests, built from a few leading components. */
public final class GraphVectors {

    /** The dimension of the vectors of {@link #unit}. */
    public static final int DIMENSIONS = 8;

    private GraphVectors() {
    }

    /**
     * @param components at most {@value #DIMENSIONS} components, not all zero
     * @return the L2-normalised vector, zero-padded to {@value #DIMENSIONS}
     */
    public static float[] unit(double... components) {
        if (components.length == 0 || components.length > DIMENSIONS) {
            throw new IllegalArgumentException("need 1 to " + DIMENSIONS + " components");
        }
        double norm = 0;
        for (double c : components) {
            norm += c * c;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("zero vector");
        }
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < components.length; i++) {
            v[i] = (float) (components[i] / Math.sqrt(norm));
        }
        return v;
    }

    /** @return the unit vector along axis {@code i} */
    public static float[] axis(int i) {
        float[] v = new float[DIMENSIONS];
        v[i] = 1f;
        return v;
    }
}

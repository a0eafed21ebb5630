package dev.memlayer.benchmarks.data;

import dev.memlayer.conformance.support.TestVectors;
import java.util.Random;

/** Draws the unit vectors of a {@link Distribution}; see there for the model. Immutable. */
final class VectorModel {

    static final int TOPICS = 8;
    static final int CLUSTERS = 64;
    static final int SUBSPACE = 32;
    private static final double SUBSPACE_NORM = 0.8;
    private static final double ISOTROPIC_NORM = 0.3;

    private final Distribution distribution;
    private final int dimensions;
    private final float[][] centroids;
    private final float[][][] bases;

    VectorModel(Distribution distribution, int dimensions, long seed) {
        this.distribution = distribution;
        this.dimensions = dimensions;
        Random random = new Random(seed * 31 + 7);
        float[][] topics = new float[TOPICS][];
        for (int t = 0; t < TOPICS; t++) {
            topics[t] = TestVectors.randomUnit(random, dimensions);
        }
        centroids = new float[CLUSTERS][];
        bases = new float[CLUSTERS][SUBSPACE][];
        for (int c = 0; c < CLUSTERS; c++) {
            // a sub-topic: halfway between its topic's direction and a random one
            float[] own = TestVectors.randomUnit(random, dimensions);
            float[] topic = topics[c % TOPICS];
            float[] centroid = new float[dimensions];
            for (int d = 0; d < dimensions; d++) {
                centroid[d] = topic[d] + own[d];
            }
            centroids[c] = TestVectors.normalise(centroid);
            for (int b = 0; b < SUBSPACE; b++) {
                bases[c][b] = TestVectors.randomUnit(random, dimensions);
            }
        }
    }

    /** @return a new unit vector of the cluster (the cluster is ignored for UNIFORM) */
    float[] draw(Random random, int cluster) {
        if (distribution == Distribution.UNIFORM) {
            return TestVectors.randomUnit(random, dimensions);
        }
        double[] v = new double[dimensions];
        float[] centroid = centroids[cluster];
        for (int d = 0; d < dimensions; d++) {
            v[d] = centroid[d];
        }
        double s = SUBSPACE_NORM / Math.sqrt(SUBSPACE);
        for (int b = 0; b < SUBSPACE; b++) {
            double a = s * random.nextGaussian();
            float[] basis = bases[cluster][b];
            for (int d = 0; d < dimensions; d++) {
                v[d] += a * basis[d];
            }
        }
        double iso = ISOTROPIC_NORM / Math.sqrt(dimensions);
        for (int d = 0; d < dimensions; d++) {
            v[d] += iso * random.nextGaussian();
        }
        float[] out = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            out[d] = (float) v[d];
        }
        return TestVectors.normalise(out);
    }
}

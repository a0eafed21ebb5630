package dev.memlayer.store.pgvector.internal;

/**
 * Half-precision copies of unit vectors and the SIMD-friendly kernel that scores a query against
 * them, with a proven bound on how far such a score can be from pgvector's own cosine similarity.
 * (The same approach as the in-memory store's pre-scan; this module does not depend on it.)
 *
 * <p>Vectors are stored in blocks of {@link #BLOCK}, dimension-major within a block
 * ({@code halves[block * BLOCK * dims + d * BLOCK + j]} is dimension {@code d} of the block's vector
 * {@code j}), so the kernel's inner loop has no reduction and C2 vectorises it.
 */
public final class HalfVectors {

    /** Vectors per block. */
    public static final int BLOCK = 256;
    /**
     * Norms outside {@code [1e-10, 1e10]} make a vector "irregular": float products could overflow
     * or lose relative precision to underflow, so {@link #errorBound} does not cover it; such
     * vectors are always candidates (and such queries take the SQL path).
     */
    static final double MIN_REGULAR_NORM = 1e-10;
    static final double MAX_REGULAR_NORM = 1e10;

    private HalfVectors() {
    }

    /**
     * @param v a vector
     * @return {@code 1 / ||v||} computed in double, or 0 when the norm is not regular (including the
     *         zero vector, whose pgvector cosine distance is NaN, scored 0)
     */
    public static double inverseNorm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        return norm >= MIN_REGULAR_NORM && norm <= MAX_REGULAR_NORM ? 1.0 / norm : 0;
    }

    /** @return how many shorts {@code n} vectors of {@code dims} take (whole blocks) */
    public static long length(int n, int dims) {
        long blocks = (n + (long) BLOCK - 1) / BLOCK;
        return blocks * BLOCK * dims;
    }

    /**
     * Stores {@code float16(v_d * inverseNorm)} as vector {@code slot}.
     *
     * @param halves      the block storage
     * @param slot        the vector's index
     * @param v           the vector
     * @param inverseNorm {@code 1 / ||v||} from {@link #inverseNorm}
     */
    public static void store(short[] halves, int slot, float[] v, double inverseNorm) {
        int dims = v.length;
        int at = (slot / BLOCK) * BLOCK * dims + slot % BLOCK;
        for (int d = 0; d < dims; d++, at += BLOCK) {
            halves[at] = Float.floatToFloat16((float) (v[d] * inverseNorm));
        }
    }

    /**
     * Writes {@code q · h} of one block's {@link #BLOCK} vectors to {@code acc}, accumulating in
     * float, dimensions in order.
     *
     * @param halves    the block storage
     * @param base      the block's first element ({@code block * BLOCK * dims})
     * @param dims      the dimensions
     * @param unitQuery the query scaled to unit length, in float
     * @param acc       {@link #BLOCK} floats, overwritten
     */
    public static void scores(short[] halves, int base, int dims, float[] unitQuery, float[] acc) {
        java.util.Arrays.fill(acc, 0f);
        int off = base;
        for (int d = 0; d < dims; d++, off += BLOCK) {
            float q = unitQuery[d];
            for (int j = 0; j < BLOCK; j++) {
                acc[j] += q * Float.float16ToFloat(halves[off + j]);
            }
        }
    }

    /**
     * The largest difference between a {@link #scores} score of a regular vector and pgvector's
     * cosine similarity {@code 1 - (v <=> q)} of the same vector and query.
     *
     * <p>Derivation, with {@code u = 2^-24} (float), {@code u_h = 2^-11} (binary16, 11-bit
     * significand), unit vectors {@code v' = v/||v||}, {@code q' = q/||q||}, and Higham,
     * <i>Accuracy and Stability of Numerical Algorithms</i> (2nd ed.), section 3.1: a float sum of
     * {@code n} products in any order (pgvector is compiled with {@code -fassociative-math}, so its
     * loops may be reordered by vectorisation) is within {@code gamma_n sum|x_i y_i|} of the exact
     * value, {@code gamma_n = n u / (1 - n u)}.
     * <ul>
     *   <li>storing: each half is within {@code (u_h + 2u) |v'_d| + 2^-25} of {@code v'_d} (the
     *       double scaling rounded to float, then to binary16, whose subnormal spacing is
     *       {@code 2^-24}); the float unit query within {@code 2u |q'_d|} of {@code q'_d}. Against
     *       unit vectors ({@code sum |q'_d||v'_d| <= 1}, {@code sum |q'_d| <= sqrt(n)}):
     *       {@code u_h + 4u + sqrt(n) 2^-25};</li>
     *   <li>the kernel's float accumulation: {@code gamma_n (1 + u_h)};</li>
     *   <li>pgvector: {@code s = dot / sqrt(na * nb)} with {@code dot}, {@code na}, {@code nb} float
     *       sums (each within {@code gamma_n} relative to {@code sum|a_i b_i| <= ||a|| ||b||},
     *       resp. exactly relative), the square root and division in double: {@code s} is within
     *       {@code gamma_n + gamma_n |cos| + O(gamma_n^2) <= 2 gamma_n + u} of the cosine; its
     *       clamp to [-1, 1] only moves it closer;</li>
     * </ul>
     * The sum is multiplied by 1.25 as a margin (it also covers the second-order terms). At 384
     * dimensions it is about 7.3e-4.
     *
     * @param dims the dimensions, at least 1
     * @return the bound, a cosine difference
     */
    public static double errorBound(int dims) {
        double u = 0x1p-24;
        double uh = 0x1p-11;
        double gamma = dims * u / (1 - dims * u);
        double storing = uh + 4 * u + Math.sqrt(dims) * 0x1p-25;
        double kernel = gamma * (1 + uh);
        double pgvector = 2 * gamma + u;
        return 1.25 * (storing + kernel + pgvector);
    }
}

package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * MEMIT's key→value least squares in float64: the update Δ = R·((λC + KKᵀ)⁻¹K)ᵀ for keys K [d_ff, m],
 * residuals R [d, m] and the keys' second moment C [d_ff, d_ff]. The Woodbury form
 * (λC)⁻¹K (I + Kᵀ(λC)⁻¹K)⁻¹ gives the same matrix with one cached d_ff² inverse and an m×m inverse.
 */
public final class LeastSquares {
    private LeastSquares() {}

    /** (λC + KKᵀ)⁻¹K by a direct inverse of the d_ff × d_ff system. */
    public static NDArray direct(NDArray c, NDArray k, double lambda) {
        NDArray c64 = c.toType(DataType.FLOAT64, false), k64 = k.toType(DataType.FLOAT64, false);
        return c64.mul(lambda).add(k64.matMul(k64.transpose())).inverse().matMul(k64);
    }

    /** The same through Woodbury, given {@code lambdaCInverse} = (λC)⁻¹ in float64. */
    public static NDArray woodbury(NDArray lambdaCInverse, NDArray k) {
        NDArray k64 = k.toType(DataType.FLOAT64, false);
        NDArray ck = lambdaCInverse.matMul(k64);                                 // [d_ff, m]
        long mCount = k64.getShape().get(1);
        NDManager mm = k64.getManager();
        NDArray small = mm.eye((int) mCount, (int) mCount, 0, DataType.FLOAT64).toDevice(k64.getDevice(), false)
                .add(k64.transpose().matMul(ck));
        return ck.matMul(small.inverse());
    }

    /** Δ [d, d_ff] = R [d, m] · Aᵀ, A = (λC + KKᵀ)⁻¹K [d_ff, m]. */
    public static NDArray update(NDArray residual, NDArray adjustedKeys) {
        return residual.toType(DataType.FLOAT64, false).matMul(adjustedKeys.transpose());
    }

    /**
     * ROME's rank-one update: u = C⁻¹k/‖C⁻¹k‖ for the template-averaged key k [d_ff], and
     * Δ = (v* − W k₀)·uᵀ / (k₀·u) for the plain prompt's key k₀, so that (W + Δ)k₀ = v*.
     */
    public static NDArray rankOne(NDArray cInverse, NDArray k, NDArray plainKey, NDArray residual) {
        NDArray k64 = k.toType(DataType.FLOAT64, false);
        NDArray u = cInverse.matMul(k64);
        u = u.div(u.norm());
        NDArray right = residual.toType(DataType.FLOAT64, false).div(plainKey.toType(DataType.FLOAT64, false).dot(u));
        return right.reshape(-1, 1).matMul(u.reshape(1, -1));
    }
}

package dev.mathtune.parallel;

import java.util.Collection;

import org.bytedeco.pytorch.Tensor;

/**
 * What data-parallel training needs from the other workers: element-wise sums across all ranks (gradients,
 * loss and token counts), a broadcast from rank 0 and a barrier. {@link #SINGLE} is the one-process world, where
 * the trainer calls none of these (it asks {@link #isSingle()} first), so a single-process run does no extra work.
 */
public interface Collectives {

    /** This worker's rank, 0 ≤ rank < worldSize. */
    int rank();

    /** Number of workers. */
    int worldSize();

    /** Replaces every tensor by its element-wise sum over all ranks (same shapes and dtypes on every rank). */
    void sumInPlace(Collection<Tensor> tensors);

    /** The element-wise sum of {@code values} over all ranks. */
    double[] sum(double... values);

    /** Overwrites every tensor with rank 0's copy. */
    void broadcastFromRankZero(Collection<Tensor> tensors);

    /** Returns once every rank has called it. */
    void barrier();

    default boolean isSingle() {
        return worldSize() == 1;
    }

    default boolean isRankZero() {
        return rank() == 0;
    }

    /** One process: nothing to combine. */
    Collectives SINGLE = new Collectives() {
        @Override
        public int rank() {
            return 0;
        }

        @Override
        public int worldSize() {
            return 1;
        }

        @Override
        public void sumInPlace(Collection<Tensor> tensors) {
        }

        @Override
        public double[] sum(double... values) {
            return values.clone();
        }

        @Override
        public void broadcastFromRankZero(Collection<Tensor> tensors) {
        }

        @Override
        public void barrier() {
        }
    };
}

package dev.mathtune.peft;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;

import dev.mathtune.engine.Tensors;

/**
 * Initial values for adapter tensors drawn from a seeded Java stream ({@link SplittableRandom}), so the same seed
 * gives the same adapter on any platform and independently of torch's global generator.
 */
final class SeededInit {
    private SeededInit() {
    }

    /** fp32 tensor with entries ~ U(−bound, bound). */
    static Tensor uniform(SplittableRandom rng, double bound, long... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        return Tensors.floats(v, shape);
    }

    /** fp32 tensor with entries ~ N(0, std²) (Box–Muller). */
    static Tensor normal(SplittableRandom rng, double std, long... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1)) * std;
            v[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < v.length) v[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
        }
        return Tensors.floats(v, shape);
    }

    /** fp32 zeros. */
    static Tensor zeros(long... shape) {
        return Tensors.floats(new float[count(shape)], shape);
    }

    /**
     * {@code kaiming_uniform_(w, a=√5)} as torch's {@code nn.Linear} and PEFT's {@code lora_A} use it:
     * gain = √(2/(1+a²)) = √(1/3), bound = gain·√(3/fan_in) = 1/√fan_in, fan_in = {@code shape[1]}.
     */
    static Tensor kaimingUniformSqrt5(SplittableRandom rng, long out, long in) {
        return uniform(rng, 1.0 / Math.sqrt(in), out, in);
    }

    private static int count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }
}

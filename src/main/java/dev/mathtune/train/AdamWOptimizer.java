package dev.mathtune.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.OptimizerParamGroup;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's {@code torch::optim::AdamW} (decoupled weight decay, Loshchilov & Hutter 2019), equal to
 * {@code torch.optim.AdamW}: {@code θ ← θ − lr·(m̂/(√v̂ + ε) + λθ)}. Two parameter groups: matrices with weight
 * decay, biases and norm weights without. Also global-norm gradient clipping and state save/load.
 */
public final class AdamWOptimizer {
    private final AdamW adamw;
    private final TensorVector all;

    public AdamWOptimizer(Map<String, Tensor> params, Set<String> noDecay, double lr, double beta1, double beta2,
                          double eps, double weightDecay) {
        List<Tensor> decay = new ArrayList<>(), plain = new ArrayList<>();
        params.forEach((name, t) -> (noDecay.contains(name) ? plain : decay).add(t));
        // the presets cannot build a group vector from Java: start with one group, add the other
        boolean decayFirst = !decay.isEmpty();
        this.adamw = new AdamW(vector(decayFirst ? decay : plain), options(lr, beta1, beta2, eps, decayFirst ? weightDecay : 0.0));
        if (decayFirst && !plain.isEmpty()) {
            adamw.add_param_group(new OptimizerParamGroup(vector(plain), options(lr, beta1, beta2, eps, 0.0)));
        }
        this.all = vector(new ArrayList<>(params.values()));
    }

    private static TensorVector vector(List<Tensor> ts) {
        return new TensorVector(ts.toArray(Tensor[]::new));
    }

    private static AdamWOptions options(double lr, double beta1, double beta2, double eps, double wd) {
        AdamWOptions o = new AdamWOptions(lr);
        // ENGINE.md trap 3: the presets expose betas as a pointer to (beta1, beta2); checked against torch in tests.
        o.betas().put(0, beta1).put(1, beta2);
        o.eps().put(eps);
        o.weight_decay().put(wd);
        return o;
    }

    public void setLr(double lr) {
        OptimizerParamGroupVector groups = adamw.param_groups();
        for (long i = 0; i < groups.size(); i++) groups.get(i).options().set_lr(lr);
    }

    /** Clips the global L2 norm of all gradients to {@code maxNorm} (if > 0); returns the norm before clipping. */
    public double clipGradNorm(double maxNorm) {
        return torch.clip_grad_norm_(all, maxNorm > 0 ? maxNorm : Double.MAX_VALUE, 2.0, false);
    }

    public void step() {
        adamw.step();
    }

    public void zeroGrad() {
        adamw.zero_grad(true);
    }

    public void save(Path file) {
        OutputArchive a = new OutputArchive();
        adamw.save(a);
        a.save_to(file.toString());
    }

    public void load(Path file) {
        InputArchive a = new InputArchive();
        a.load_from(file.toString());
        adamw.load(a);
    }
}

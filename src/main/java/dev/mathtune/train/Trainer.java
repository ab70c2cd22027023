package dev.mathtune.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Scalar;

import dev.mathtune.bench.PeakMemory;
import dev.mathtune.engine.Autocast;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.report.MetricsLog;
import dev.mathtune.report.MetricsRow;

/**
 * The training loop: for each optimizer step, the step's examples (a seeded shuffle per epoch) are split into
 * micro-batches; each micro-batch's summed token loss is divided by the step's total target-token count and
 * back-propagated, so accumulation gives the exact token-mean gradient; then global-norm clipping, the scheduled
 * learning rate, and an AdamW step. Checkpoints every N steps make the run resumable to the bit.
 */
public final class Trainer {
    private final TrainSpec spec;
    private final Trainable model;
    private final List<SftExample> data;
    private final PrintStream progress;
    private final DType compute;

    public Trainer(TrainSpec spec, Trainable model, List<SftExample> data, PrintStream progress) {
        this.spec = spec;
        this.model = model;
        this.data = data;
        this.progress = progress;
        this.compute = DType.parse(spec.dtype());
    }

    public int stepsPerEpoch() {
        return (data.size() + spec.globalBatch() - 1) / spec.globalBatch();
    }

    public int totalSteps() {
        int all = spec.epochs() * stepsPerEpoch();
        return spec.maxSteps() > 0 ? Math.min(spec.maxSteps(), Math.max(all, spec.maxSteps())) : all;
    }

    /** The examples of optimizer step {@code step}: epoch e's seeded permutation, sliced. */
    List<SftExample> examplesOf(int step) {
        int epoch = step / stepsPerEpoch(), within = step % stepsPerEpoch();
        int[] order = permutation(data.size(), spec.seed() * 1_000_003L + epoch);
        List<SftExample> out = new ArrayList<>();
        for (int i = within * spec.globalBatch(); i < Math.min(data.size(), (within + 1) * spec.globalBatch()); i++) {
            out.add(data.get(order[i]));
        }
        return out;
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Runs (or resumes) training; returns the last step's mean loss. Stops with an error on a non-finite loss. */
    public double run(Path out, boolean resume) throws IOException {
        Files.createDirectories(out);
        int total = totalSteps();
        int warmup = (int) Math.round(spec.warmupRatio() * total);
        CosineSchedule schedule = new CosineSchedule(spec.lr(), warmup, total, spec.minLrRatio());
        AdamWOptimizer opt = new AdamWOptimizer(model.parameters(), model.noDecay(), spec.lr(), spec.adamBeta1(),
                spec.adamBeta2(), spec.adamEps(), spec.weightDecay());
        int start = 0;
        double elapsed = 0;
        long tokensSeen = 0;
        TrainCheckpoint.State state = resume ? TrainCheckpoint.find(out) : null;
        if (state != null) {
            TrainCheckpoint.restore(out, model, opt);
            start = state.nextStep();
            elapsed = state.elapsedSeconds();
            tokensSeen = state.tokensSeen();
            progress.printf("resuming at step %d of %d%n", start, total);
        } else if (Files.exists(out.resolve("metrics.jsonl"))) {
            Files.delete(out.resolve("metrics.jsonl"));
        }
        double loss = Double.NaN;
        model.train(true);
        try (MetricsLog metrics = MetricsLog.open(out.resolve("metrics.jsonl"))) {
            for (int step = start; step < total; step++) {
                long t0 = System.nanoTime();
                double lr = schedule.at(step);
                opt.setLr(lr);
                StepResult r = step(step, opt);
                double dt = (System.nanoTime() - t0) / 1e9;
                elapsed += dt;
                tokensSeen += r.tokens;
                loss = r.loss;
                if (!Double.isFinite(r.loss) || !Double.isFinite(r.gradNorm)) {
                    throw new NonFiniteLossException(step, r.loss, r.gradNorm);
                }
                metrics.append(new MetricsRow(step + 1, r.loss, lr, r.gradNorm, r.tokens / dt, elapsed));
                if ((step + 1) % spec.logEvery() == 0 || step + 1 == total) {
                    report(step + 1, total, r, lr, dt, elapsed, tokensSeen);
                }
                if (spec.checkpointEvery() > 0 && (step + 1) % spec.checkpointEvery() == 0 && step + 1 < total) {
                    TrainCheckpoint.save(out, model, opt, new TrainCheckpoint.State(step + 1, elapsed, tokensSeen));
                }
            }
        }
        model.train(false);
        TrainCheckpoint.save(out, model, opt, new TrainCheckpoint.State(total, elapsed, tokensSeen));
        return loss;
    }

    /** One optimizer step's mean token loss, gradient norm before clipping, and tokens processed. */
    public record StepResult(double loss, double gradNorm, long tokens) {
    }

    /** Runs optimizer step {@code step} (forward, backward, clip, AdamW); used by the loop and by benchmarks. */
    public StepResult step(int step, AdamWOptimizer opt) {
        Engine.seed(spec.seed() * 7919L + step); // dropout masks depend on (seed, step) only: exact resume
        List<SftExample> examples = examplesOf(step);
        List<MicroBatch> micro = new ArrayList<>();
        for (int i = 0; i < examples.size(); i += spec.batchSize()) {
            List<SftExample> part = examples.subList(i, Math.min(examples.size(), i + spec.batchSize()));
            micro.add(spec.packing() ? MicroBatch.packed(part, spec.maxLength()) : MicroBatch.padded(part, model.prefixLength()));
        }
        int targets = micro.stream().mapToInt(MicroBatch::targetCount).sum();
        double lossSum = 0;
        long tokens = 0;
        for (MicroBatch mb : micro) {
            try (Scope s = Scope.open()) {
                Tensor l;
                try (Autocast a = Autocast.of(compute)) {
                    l = mb.lossSum(model);                  // bf16 products under autocast; fp32 otherwise
                }
                lossSum += l.item_double();
                l.div(new Scalar((double) Math.max(1, targets))).backward();
                tokens += mb.tokens();
            }
        }
        double norm;
        try (Scope s = Scope.open()) {
            norm = opt.clipGradNorm(spec.maxGradNorm());
            opt.step();
            opt.zeroGrad();
        }
        return new StepResult(lossSum / Math.max(1, targets), norm, tokens);
    }

    private void report(int step, int total, StepResult r, double lr, double dt, double elapsed, long tokensSeen) {
        double eta = elapsed / step * (total - step);
        progress.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  grad %.3f  %.0f tok/s  elapsed %s  ETA %s  RSS %.2f GiB%n",
                step, total, r.loss, lr, r.gradNorm, r.tokens / dt, duration(elapsed), duration(eta),
                PeakMemory.rssBytes() / (double) (1L << 30));
    }

    public static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }

    /** A NaN or infinite loss or gradient: the run stops; the last checkpoint stays as it was. */
    public static final class NonFiniteLossException extends RuntimeException {
        public NonFiniteLossException(int step, double loss, double gradNorm) {
            super(String.format(Locale.ROOT, "loss became non-finite at step %d (loss %s, grad norm %s); "
                    + "the last checkpoint is kept: lower --lr or check the data", step + 1, loss, gradNorm));
        }
    }
}

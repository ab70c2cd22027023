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
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.bench.PeakMemory;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.parallel.Collectives;
import dev.mathtune.report.MetricsLog;
import dev.mathtune.report.MetricsRow;

/**
 * The training loop: for each optimizer step, the step's examples (a seeded shuffle per epoch) are split into
 * micro-batches; each micro-batch's summed token loss is divided by the step's total target-token count and
 * back-propagated, so accumulation gives the exact token-mean gradient; then global-norm clipping, the scheduled
 * learning rate, and an AdamW step. Checkpoints every N steps make the run resumable to the bit.
 *
 * <p>Data-parallel (a {@link Collectives} world of W workers): each step's examples are the single-process
 * step's, global batch = per-rank batch × W × accumulation, rank r taking the r-th contiguous share. Every rank
 * divides its summed loss by the step's total target-token count over all ranks, so that after back-propagation
 * the gradients summed over ranks (bucketed all-reduce, after backward) are the single-process gradient; clipping
 * and AdamW then run on identical gradients on every rank. Rank 0 alone reports, logs and checkpoints, with world
 * totals. With one process none of this runs (see docs/DESIGN.md, "Data-parallel training").
 */
public final class Trainer {
    private final TrainSpec spec;
    private final Trainable model;
    private final List<SftExample> data;
    private final PrintStream progress;
    private final DType compute;
    private final Collectives world;

    public Trainer(TrainSpec spec, Trainable model, List<SftExample> data, PrintStream progress) {
        this(spec, model, data, progress, Collectives.SINGLE);
    }

    /** A trainer for one worker of {@code world} (rank 0 reports on {@code progress}; the others stay silent). */
    public Trainer(TrainSpec spec, Trainable model, List<SftExample> data, PrintStream progress, Collectives world) {
        this.spec = spec;
        this.model = model;
        this.data = data;
        this.progress = progress;
        if (spec.dtype().equals("auto")) {
            throw new IllegalArgumentException("the trainer needs a chosen dtype (TrainingRun resolves auto)");
        }
        this.compute = DType.parse(spec.dtype());
        this.world = world;
    }

    /** Examples per optimizer step over all workers: per-rank batch × accumulation × world size. */
    public int globalBatch() {
        return spec.globalBatch() * world.worldSize();
    }

    public int stepsPerEpoch() {
        return (data.size() + globalBatch() - 1) / globalBatch();
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
        for (int i = within * globalBatch(); i < Math.min(data.size(), (within + 1) * globalBatch()); i++) {
            out.add(data.get(order[i]));
        }
        return out;
    }

    /** This rank's contiguous share of a step's examples (all of them with one process). */
    List<SftExample> shareOf(List<SftExample> step) {
        if (world.isSingle()) return step;
        int per = spec.globalBatch(), from = Math.min(step.size(), world.rank() * per);
        return step.subList(from, Math.min(step.size(), from + per));
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
        boolean lead = world.isRankZero();
        TrainCheckpoint.State state = resume && lead ? TrainCheckpoint.find(out) : null;
        if (!world.isSingle()) {
            world.barrier(); // rank 0 has settled a half-renamed checkpoint before the others read it
            if (resume && !lead) state = TrainCheckpoint.find(out);
        }
        if (state != null) {
            TrainCheckpoint.restore(out, model, opt);
            start = state.nextStep();
            elapsed = state.elapsedSeconds();
            tokensSeen = state.tokensSeen();
            progress.printf("resuming at step %d of %d%n", start, total);
        } else if (lead && Files.exists(out.resolve("metrics.jsonl"))) {
            Files.delete(out.resolve("metrics.jsonl"));
        }
        if (!world.isSingle()) world.broadcastFromRankZero(model.parameters().values()); // as DDP: one start
        double loss = Double.NaN;
        model.train(true);
        try (MetricsLog metrics = lead ? MetricsLog.open(out.resolve("metrics.jsonl")) : null) {
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
                if (!lead) continue;
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
        if (lead) TrainCheckpoint.save(out, model, opt, new TrainCheckpoint.State(total, elapsed, tokensSeen));
        return loss;
    }

    /**
     * One optimizer step's mean token loss, gradient norm before clipping, and tokens processed (world totals), and
     * the seconds this rank spent in the step's collectives (0 with one process).
     */
    public record StepResult(double loss, double gradNorm, long tokens, double collectiveSeconds) {
    }

    /** Runs optimizer step {@code step} (forward, backward, clip, AdamW); used by the loop and by benchmarks. */
    public StepResult step(int step, AdamWOptimizer opt) {
        // dropout masks depend on (seed, step, rank) only: exact resume at the same world size
        Engine.seed((spec.seed() * 7919L + step) * world.worldSize() + world.rank());
        List<SftExample> examples = shareOf(examplesOf(step));
        List<MicroBatch> micro = new ArrayList<>();
        for (int i = 0; i < examples.size(); i += spec.batchSize()) {
            List<SftExample> part = examples.subList(i, Math.min(examples.size(), i + spec.batchSize()));
            micro.add(spec.packing() ? MicroBatch.packed(part, spec.maxLength()) : MicroBatch.padded(part, model.prefixLength()));
        }
        int targets = micro.stream().mapToInt(MicroBatch::targetCount).sum();
        long commNanos = 0;
        if (!world.isSingle()) {
            long c0 = System.nanoTime();
            targets = (int) world.sum(targets)[0];
            commNanos += System.nanoTime() - c0;
        }
        double lossSum = 0;
        long tokens = 0;
        for (MicroBatch mb : micro) {
            try (Scope s = Scope.open()) {
                // bf16 products under autocast; fp32 otherwise. Gradients of the token-mean loss accumulate.
                lossSum += mb.lossAndBackward(model, compute, Math.max(1, targets)).item_double();
                tokens += mb.tokens();
            }
        }
        if (!world.isSingle()) {
            long c0 = System.nanoTime();
            try (Scope s = Scope.open()) {
                world.sumInPlace(gradients());
            }
            double[] totals = world.sum(lossSum, tokens);
            lossSum = totals[0];
            tokens = Math.round(totals[1]);
            commNanos += System.nanoTime() - c0;
        }
        double norm;
        try (Scope s = Scope.open()) {
            norm = opt.clipGradNorm(spec.maxGradNorm());
            opt.step();
            opt.zeroGrad();
        }
        return new StepResult(lossSum / Math.max(1, targets), norm, tokens, commNanos / 1e9);
    }

    /**
     * Every trainable parameter's gradient, a zero one where this rank's backward made none (a rank whose share
     * of the epoch's last, short step is empty), so that every rank sums the same tensors.
     */
    private List<Tensor> gradients() {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : model.parameters().values()) {
            if (!p.grad().defined()) p.mutable_grad().put(torch.zeros_like(p));
            grads.add(p.grad());
        }
        return grads;
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

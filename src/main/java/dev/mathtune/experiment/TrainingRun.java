package dev.mathtune.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.bench.PeakMemory;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.model.AutoDType;
import dev.mathtune.model.DTypeProbe;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.parallel.Collectives;
import dev.mathtune.report.LossCurvePlot;
import dev.mathtune.train.SftDataset;
import dev.mathtune.train.TrainResult;
import dev.mathtune.train.TrainSpec;
import dev.mathtune.train.Trainable;
import dev.mathtune.train.Trainer;

/**
 * One fine-tuning run, set-up to artefact: load the base checkpoint (fp32 master weights), wrap it for the method,
 * tokenize the data, train (resuming if asked), then write {@code OUT/final} (an HF checkpoint for full
 * fine-tuning, a PEFT adapter otherwise), {@code OUT/loss.png} and {@code OUT/train_summary.json}. In a
 * data-parallel run every worker trains; rank 0 alone checks and writes the run directory.
 */
public final class TrainingRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainingRun() {
    }

    public static TrainResult run(TrainSpec spec, boolean resume, PrintStream progress) throws IOException {
        return run(spec, resume, progress, Collectives.SINGLE);
    }

    /** One worker's part of the run in {@code world} (see {@link Trainer}); rank 0 writes every file. */
    public static TrainResult run(TrainSpec spec, boolean resume, PrintStream progress, Collectives world)
            throws IOException {
        Engine.init();
        Path out = spec.out();
        boolean lead = world.isRankZero();
        if (AutoDType.isAuto(spec.dtype())) {
            String recorded = resume ? recordedDtype(out) : null;
            spec = spec.withDtype(recorded != null ? recorded : trainingDtype(spec.dtype(), Qwen2Config.load(spec.model()),
                    spec.method(), (long) spec.batchSize() * spec.maxLength(), world, progress));
        }
        if (lead) {
            Files.createDirectories(out);
            checkSameRun(spec, out, resume, world.worldSize());
        }
        ModelBundle base = ModelBundle.load(spec.model(), DType.FP32);
        Trainable trainable = FineTuneMethod.create(spec, base);
        SftDataset data = SftDataset.load(spec.data(), spec.dataFormat(), base.tokenizer(), spec.chat(),
                spec.trainOnPrompt(), spec.maxLength(), spec.limit());
        if (data.truncated() > 0) {
            progress.printf("%d of %d examples were longer than --max-length %d and were truncated%n",
                    data.truncated(), data.examples().size(), spec.maxLength());
        }
        Trainer trainer = new Trainer(spec, trainable, data.examples(), progress, world);
        progress.printf("training %s: %d examples, %d steps, %,d trainable parameters%n", spec.method(),
                data.examples().size(), trainer.totalSteps(), trainable.parameterCount());
        long t0 = System.nanoTime();
        double loss = trainer.run(out, resume);
        Path artifact = out.resolve("final");
        if (!lead) {
            return new TrainResult(artifact, spec.method(), trainer.totalSteps(), trainable.parameterCount(),
                    (System.nanoTime() - t0) / 1e9, PeakMemory.peakRssBytes(), 0, loss, data.truncated(), spec.dtype());
        }
        trainable.save(artifact);
        double seconds = readElapsed(out, (System.nanoTime() - t0) / 1e9);
        long tokens = data.examples().stream().mapToLong(e -> e.ids().length).sum() * Math.max(1, spec.epochs());
        TrainResult result = new TrainResult(artifact, spec.method(), trainer.totalSteps(), trainable.parameterCount(),
                seconds, PeakMemory.peakRssBytes(), tokens / Math.max(1e-9, seconds), loss, data.truncated(),
                spec.dtype());
        LossCurvePlot.drawFiles(Map.of(spec.method(), out.resolve("metrics.jsonl")), "training loss", out.resolve("loss.png"));
        AtomicFiles.writeString(out.resolve("train_summary.json"), JSON.writeValueAsString(summary(result)));
        return result;
    }

    /**
     * The compute dtype of a {@code method} run whose micro-batches hold {@code rows} token rows: {@code name} when
     * forced, else {@link AutoDType}'s measured choice, made by rank 0 and shared with every worker so that all
     * compute alike. The choice is printed on {@code log} (null: silent).
     */
    public static String trainingDtype(String name, Qwen2Config config, String method, long rows, Collectives world,
                                       PrintStream log) {
        if (!AutoDType.isAuto(name)) return TrainSpec.canonicalDtype(name);
        DTypeProbe.Workload workload = method.equals("full") ? DTypeProbe.Workload.TRAIN_FULL
                : DTypeProbe.Workload.TRAIN_FROZEN;
        boolean bf16 = world.isRankZero() && AutoDType.resolve(name, config, workload, rows, log) == DType.BF16;
        if (!world.isSingle()) bf16 = world.sum(bf16 ? 1 : 0)[0] > 0;
        return bf16 ? "bf16" : "fp32";
    }

    /** The dtype the run in {@code out} computed in ({@code run.json}), so that a resume keeps it; null if none. */
    private static String recordedDtype(Path out) throws IOException {
        Path record = out.resolve("run.json");
        if (!Files.isRegularFile(record)) return null;
        String d = JSON.readTree(record.toFile()).path("dtype").asText("");
        return d.equals("fp32") || d.equals("bf16") ? d : null;
    }

    private static double readElapsed(Path out, double fallback) throws IOException {
        var st = dev.mathtune.train.TrainCheckpoint.find(out);
        return st == null ? fallback : st.elapsedSeconds();
    }

    private static Map<String, Object> summary(TrainResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("artifact", r.artifact().toString());
        m.put("steps", r.steps());
        m.put("trainable_parameters", r.trainableParameters());
        m.put("training_seconds", r.seconds());
        m.put("peak_rss_bytes", r.peakRssBytes());
        m.put("tokens_per_second", r.tokensPerSecond());
        m.put("final_loss", r.finalLoss());
        m.put("truncated_examples", r.truncatedExamples());
        m.put("dtype", r.dtype());
        return m;
    }

    /**
     * Records the spec in {@code OUT/run.json} (with {@code worldSize} when above 1); a resume with a different
     * spec is refused. The world size may change on resume when the global batch (batch-size × grad-accum × world
     * size) stays the same, since the data order and the gradients are those of the global batch.
     */
    private static void checkSameRun(TrainSpec spec, Path out, boolean resume, int worldSize) throws IOException {
        Path record = out.resolve("run.json");
        ObjectNode now = JSON.valueToTree(spec);
        if (worldSize > 1) now.put("worldSize", worldSize);
        now = (ObjectNode) JSON.readTree(JSON.writeValueAsString(now)); // numbers typed as a file read gives them
        if (resume && Files.isRegularFile(record)) {
            ObjectNode then = (ObjectNode) JSON.readTree(record.toFile());
            if (globalBatch(then) != globalBatch(now)) {
                throw UserError.inFile(record, "--resume with a global batch of " + globalBatch(now) + " (batch-size × "
                        + "grad-accum × world size) where the run in this folder used " + globalBatch(then));
            }
            if (!withoutBatchShape(then).equals(withoutBatchShape(now))) {
                throw UserError.inFile(record, "--resume with different settings than the run in this folder");
            }
        }
        AtomicFiles.writeString(record, JSON.writeValueAsString(now));
    }

    private static long globalBatch(ObjectNode run) {
        return (long) run.path("batchSize").asInt() * run.path("gradAccum").asInt() * run.path("worldSize").asInt(1);
    }

    private static ObjectNode withoutBatchShape(ObjectNode run) {
        ObjectNode copy = run.deepCopy();
        copy.remove(java.util.List.of("batchSize", "gradAccum", "worldSize"));
        return copy;
    }

    /** Saves fp32-trained weights in the base checkpoint's dtype (bf16 for real Qwen checkpoints). */
    static DType saveDtype(ModelBundle base) {
        String t = base.model().config().torchDtype();
        return t == null ? DType.FP32 : switch (t) {
            case "bfloat16" -> DType.BF16;
            case "float16" -> DType.FP16;
            default -> DType.FP32;
        };
    }
}

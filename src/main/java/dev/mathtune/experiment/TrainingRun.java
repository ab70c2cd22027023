package dev.mathtune.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.mathtune.UserError;
import dev.mathtune.bench.PeakMemory;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.report.LossCurvePlot;
import dev.mathtune.train.SftDataset;
import dev.mathtune.train.TrainResult;
import dev.mathtune.train.TrainSpec;
import dev.mathtune.train.Trainable;
import dev.mathtune.train.Trainer;

/**
 * One fine-tuning run, set-up to artefact: load the base checkpoint (fp32 master weights), wrap it for the method,
 * tokenize the data, train (resuming if asked), then write {@code OUT/final} (an HF checkpoint for full
 * fine-tuning, a PEFT adapter otherwise), {@code OUT/loss.png} and {@code OUT/train_summary.json}.
 */
public final class TrainingRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainingRun() {
    }

    public static TrainResult run(TrainSpec spec, boolean resume, PrintStream progress) throws IOException {
        Engine.init();
        Path out = spec.out();
        Files.createDirectories(out);
        checkSameRun(spec, out, resume);
        ModelBundle base = ModelBundle.load(spec.model(), DType.FP32);
        Trainable trainable = FineTuneMethod.create(spec, base);
        SftDataset data = SftDataset.load(spec.data(), spec.dataFormat(), base.tokenizer(), spec.chat(),
                spec.trainOnPrompt(), spec.maxLength(), spec.limit());
        if (data.truncated() > 0) {
            progress.printf("%d of %d examples were longer than --max-length %d and were truncated%n",
                    data.truncated(), data.examples().size(), spec.maxLength());
        }
        Trainer trainer = new Trainer(spec, trainable, data.examples(), progress);
        progress.printf("training %s: %d examples, %d steps, %,d trainable parameters%n", spec.method(),
                data.examples().size(), trainer.totalSteps(), trainable.parameterCount());
        long t0 = System.nanoTime();
        double loss = trainer.run(out, resume);
        Path artifact = out.resolve("final");
        trainable.save(artifact);
        double seconds = readElapsed(out, (System.nanoTime() - t0) / 1e9);
        long tokens = data.examples().stream().mapToLong(e -> e.ids().length).sum() * Math.max(1, spec.epochs());
        TrainResult result = new TrainResult(artifact, spec.method(), trainer.totalSteps(), trainable.parameterCount(),
                seconds, PeakMemory.peakRssBytes(), tokens / Math.max(1e-9, seconds), loss, data.truncated());
        LossCurvePlot.drawFiles(Map.of(spec.method(), out.resolve("metrics.jsonl")), "training loss", out.resolve("loss.png"));
        AtomicFiles.writeString(out.resolve("train_summary.json"), JSON.writeValueAsString(summary(result)));
        return result;
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
        return m;
    }

    /** Records the spec in {@code OUT/run.json}; a resume with a different spec is refused. */
    private static void checkSameRun(TrainSpec spec, Path out, boolean resume) throws IOException {
        Path record = out.resolve("run.json");
        String now = JSON.writeValueAsString(spec);
        if (resume && Files.isRegularFile(record) && !Files.readString(record).equals(now)) {
            throw UserError.inFile(record, "--resume with different settings than the run in this folder");
        }
        AtomicFiles.writeString(record, now);
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

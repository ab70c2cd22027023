package dev.mathtune.eval;

import dev.mathtune.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mathtune.eval.grade.AnswerGrader;
import dev.mathtune.eval.grade.Extraction;
import dev.mathtune.eval.grade.GraderName;
import dev.mathtune.eval.grade.GraderOutcome;
import dev.mathtune.eval.grade.GraderPanel;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.eval.grade.Verdict;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs one evaluation: loads the dataset, builds the prompt, sends every (item, sample) not yet in
 * {@code out/predictions.jsonl} to the generator in chunks, grades each completion as it arrives and appends its
 * row at once, then writes {@code out/metrics.json} (atomically) from all rows, old and new. A run interrupted at
 * any point resumes where it stopped when started again with the same spec and folder; {@code out/run.json}
 * records the spec, and a different spec in the same folder is refused.
 */
public final class EvalRunner {
    public static final String PREDICTIONS = "predictions.jsonl";
    public static final String METRICS = "metrics.json";
    public static final String RUN = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TextGenerator generator;
    private final AnswerGrader grader;
    private final PrintStream progress;
    private final double progressSeconds;
    private final GraderName primary;

    /** Progress lines go to {@code progress} (stderr in the CLI) every {@code progressSeconds}. */
    public EvalRunner(TextGenerator generator, AnswerGrader grader, PrintStream progress, double progressSeconds) {
        this(generator, grader, GraderName.MATHTUNE, progress, progressSeconds);
    }

    /**
     * As above, with {@code primary} the grader whose verdict is each row's {@code correct} and the run's accuracy;
     * every grader of {@link GraderPanel} grades every completion either way.
     */
    public EvalRunner(TextGenerator generator, AnswerGrader grader, GraderName primary, PrintStream progress,
                      double progressSeconds) {
        this.generator = generator;
        this.grader = grader;
        this.primary = primary;
        this.progress = progress;
        this.progressSeconds = progressSeconds;
    }

    public EvalRunner(TextGenerator generator, AnswerGrader grader) {
        this(generator, grader, System.err, 10);
    }

    /** One (item, sample) still to generate, with its rendered prompt and request. */
    private record Pending(EvalItem item, int sample, String prompt, GenerationRequest request) {
    }

    /** Runs (or resumes) {@code spec} and returns the metrics it wrote. */
    public EvalMetrics run(EvalSpec spec) {
        EvalDataset dataset = DatasetLoader.load(spec.dataset());
        PromptTemplate template = template(spec, dataset);
        SamplingParams sampling = spec.resolvedSampling(dataset.kind(), template.maxNewTokens());
        RunRecord.check(spec, dataset, sampling, generator.describe(), generator.computeDtype().orElse(null),
                template.definition());
        try (PredictionLog log = PredictionLog.open(spec.outDir().resolve(PREDICTIONS))) {
            if (log.repairedBytes() > 0) {
                progress.println("eval: cut a torn last line (" + log.repairedBytes() + " bytes) off " + PREDICTIONS);
            }
            List<Pending> todo = pending(dataset, template, sampling, spec.samples(), spec.calculator(), log);
            int total = dataset.items().size() * spec.samples();
            progress.printf("eval: %s, prompt %s, %d items x %d samples, %d to generate (%s)%n", dataset.name(),
                    template.name(), dataset.items().size(), spec.samples(), todo.size(), generator.describe());
            ProgressMeter meter = new ProgressMeter(progress, total, total - todo.size(), progressSeconds);
            GraderPanel panel = new GraderPanel(primary, grader, panelDataset(dataset), template.name());
            generate(todo, spec.chunkSize(), log, meter, panel);
            progress.println(meter.line());
            EvalMetrics metrics = EvalMetrics.compute(dataset, template.name(), spec.samples(), log.rows(),
                    meter.tokens(), meter.elapsedSeconds());
            AtomicFiles.writeStringUnchecked(spec.outDir().resolve(METRICS), json(metrics));
            return metrics;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The prompt of {@code spec} for {@code dataset}: its test questions are never drawn as examples. */
    public static PromptTemplate template(EvalSpec spec, EvalDataset dataset) {
        return PromptRegistry.create(spec.prompt(), new PromptOptions(spec.shots(), spec.shotSeed(),
                spec.trainFile(), dataset.items().stream().map(i -> i.question().strip()).collect(Collectors.toSet()),
                dataset.kind()));
    }

    private List<Pending> pending(EvalDataset dataset, PromptTemplate template, SamplingParams sampling,
                                  int samples, boolean calculator, PredictionLog log) {
        List<Pending> todo = new ArrayList<>();
        for (int index = 0; index < dataset.items().size(); index++) {
            EvalItem item = dataset.items().get(index);
            for (int s = 0; s < samples; s++) {
                if (!log.contains(new PredictionRow.Key(item.id(), s))) {
                    SamplingParams params = sampling.withSeed(SampleSeed.derive(sampling.seed(), index, s));
                    int at = index;
                    GenerationRequest request = template.request(at, item.id() + "#" + s, item.question(), params)
                            .withCalculator(calculator);
                    todo.add(new Pending(item, s, generator.promptText(request)
                            .orElseGet(() -> template.render(at, item.question())), request));
                }
            }
        }
        return todo;
    }

    /** The grader's dataset where it is mathtune's, else the data's kind: MATH as MATH, everything else as GSM8K. */
    private MathAnswerGrader.Dataset panelDataset(EvalDataset dataset) {
        if (grader instanceof MathAnswerGrader math) {
            return math.dataset();
        }
        return dataset.kind() == DatasetKind.MATH ? MathAnswerGrader.Dataset.MATH : MathAnswerGrader.Dataset.GSM8K;
    }

    private void generate(List<Pending> todo, int chunkSize, PredictionLog log, ProgressMeter meter,
                          GraderPanel panel) {
        Map<String, Pending> byRequest = new LinkedHashMap<>();
        todo.forEach(p -> byRequest.put(p.request().id(), p));
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        for (int from = 0; from < todo.size(); from += chunkSize) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("evaluation interrupted; run again to resume");
            }
            List<GenerationRequest> chunk = todo.subList(from, Math.min(todo.size(), from + chunkSize)).stream()
                    .map(Pending::request).toList();
            generator.generate(chunk, completion -> {
                try {
                    accept(byRequest.get(completion.id()), completion, log, meter, panel);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }

    /** Grades one completion and appends its row (once: a repeated or unknown id is ignored). */
    private void accept(Pending pending, Completion completion, PredictionLog log, ProgressMeter meter,
                        GraderPanel panel) {
        if (pending == null) {
            return;
        }
        String text = completion.text() == null ? "" : completion.text();
        Extraction extraction = extract(text);
        String reference = pending.item().reference();
        Verdict lenient = verdict(extraction, reference, false);
        Verdict strict = verdict(extraction, reference, true);
        Map<String, GraderOutcome> graders = panel.grade(text, reference);
        Verdict chosen = primary == GraderName.MATHTUNE ? lenient : primaryVerdict(graders.get(primary.wireName()));
        EvalItem item = pending.item();
        PredictionRow row = new PredictionRow(item.id(), pending.sample(), pending.prompt(), text,
                extraction.answer(), extraction.rule(), reference, chosen.correct(), chosen.reason(),
                strict.correct(), completion.completionTokens(), completion.seconds(),
                completion.finishReason() == null ? null : completion.finishReason().wireName(),
                item.question(), item.solution(), item.subject(), item.level() > 0 ? item.level() : null,
                primary.wireName(), graders,
                pending.request().calculator() ? completion.calculatorCalls() : null);
        if (log.append(row)) {
            meter.record(completion.completionTokens());
        }
    }

    private static Verdict primaryVerdict(GraderOutcome outcome) {
        return outcome == null ? new Verdict(false, "no verdict") : new Verdict(outcome.correct(), outcome.reason());
    }

    private Extraction extract(String text) {
        try {
            Extraction e = grader.extract(text);
            return e == null ? Extraction.none() : e;
        } catch (RuntimeException e) {
            return new Extraction(null, "extractor error: " + e);
        }
    }

    private Verdict verdict(Extraction extraction, String reference, boolean strict) {
        if (!extraction.found()) {
            return new Verdict(false, "no answer extracted");
        }
        try {
            return strict ? grader.gradeStrict(extraction.answer(), reference)
                    : grader.grade(extraction.answer(), reference);
        } catch (RuntimeException e) {
            return new Verdict(false, "grader error: " + e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.mathtune.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.eval.DatasetKind;
import dev.mathtune.eval.DatasetLoader;
import dev.mathtune.eval.DatasetSpec;
import dev.mathtune.eval.EvalRunner;
import dev.mathtune.eval.EvalSpec;
import dev.mathtune.eval.PromptRegistry;
import dev.mathtune.eval.grade.AnswerGrader;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;
import dev.mathtune.generate.openai.OpenAiClient;
import dev.mathtune.generate.openai.OpenAiClientOptions;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.model.AutoDType;
import dev.mathtune.train.TrainSpec;

/**
 * Runs the runs of a recipe in one output folder: {@code OUT/runs/<name>/} holds each run's resolved
 * {@code config.json}, its training output ({@code train/}, see {@link TrainingRun}), one evaluation folder per
 * set ({@code eval/<set>/}, see {@link EvalRunner}) and {@code status.json} ({@link RunStatus}).
 *
 * <p>Lifecycle of a run: skip it if its status is {@code done}; otherwise mark it {@code running}, get its model
 * and data, train (resuming from the last checkpoint when a previous attempt left one; skipped when
 * {@code train/train_summary.json} exists), evaluate every set (each resumes from its predictions), mark it
 * {@code done}. An exception marks it {@code failed} with a one-line message and the next run goes on.
 * {@code OUT/.lock} keeps two processes out of one folder.
 */
public final class ExperimentRunner {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String EXPERIMENT = "experiment.json";
    public static final String CONFIG = "config.json";

    private final Recipe recipe;
    private final Path out;
    private final ModelStore models;
    private final DataStore data;
    private final EvalModelLoader loader;
    private final PrintStream log;
    private TrainingLauncher launcher = TrainingLauncher.IN_PROCESS;

    /** What {@link #run} did: the runs it finished, skipped as already done, and the ones that failed. */
    public record Outcome(List<String> done, List<String> skipped, Map<String, String> failed) {
        public boolean ok() {
            return failed.isEmpty();
        }
    }

    public ExperimentRunner(Recipe recipe, Path out, Path modelCache, EvalModelLoader loader, PrintStream log) {
        this.recipe = recipe;
        this.out = out.toAbsolutePath().normalize();
        this.models = new ModelStore(modelCache.toAbsolutePath().normalize(), this.out, log);
        this.data = new DataStore(recipe.datasets(), this.out, DataStore.cacheBeside(modelCache), log);
        this.loader = loader;
        this.log = log;
    }

    /** Trains through {@code launcher} (data-parallel runs need one that starts processes); returns this runner. */
    public ExperimentRunner withTrainingLauncher(TrainingLauncher launcher) {
        this.launcher = launcher;
        return this;
    }

    public static Path runDir(Path out, String run) {
        return out.resolve("runs").resolve(run);
    }

    /** Runs every run named in {@code only} (empty: all), in recipe order. */
    public Outcome run(List<String> only) throws IOException {
        for (String name : only) {
            if (recipe.run(name).isEmpty()) {
                throw new UserError("--only " + name + ": no such run (runs: "
                        + String.join(", ", recipe.runs().stream().map(Recipe.Run::name).toList()) + ")");
            }
        }
        Files.createDirectories(out);
        try (FileChannel ch = FileChannel.open(out.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) throw new UserError(out + ": another 'mathtune run' is using this folder");
            writeExperiment();
            List<String> done = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            for (Recipe.Run run : recipe.runs()) {
                if (!only.isEmpty() && !only.contains(run.name())) continue;
                Path dir = runDir(out, run.name());
                if (RunStatus.read(dir).done()) {
                    log.printf("== %s: done, skipped%n", run.name());
                    skipped.add(run.name());
                    continue;
                }
                String error = runOne(run, dir);
                if (error == null) done.add(run.name());
                else failed.put(run.name(), error);
            }
            return new Outcome(done, skipped, failed);
        }
    }

    /** Runs one run; returns null on success, else the error message (also in its status). */
    private String runOne(Recipe.Run run, Path dir) throws IOException {
        RunStatus before = RunStatus.read(dir);
        int attempt = before.attempts() + 1;
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        Map<String, Double> evalSeconds = new LinkedHashMap<>(before.evalSeconds());
        double trainSeconds = before.trainSeconds();
        Files.createDirectories(dir);
        new RunStatus(RunStatus.RUNNING, null, attempt, started, null, trainSeconds, evalSeconds, before.wallSeconds()).write(dir);
        log.printf("== %s: %s on %s%s (attempt %d)%n", run.name(), run.method(), run.model(),
                run.data() == null ? "" : " with " + run.data(), attempt);
        String error = null;
        try {
            trainSeconds = execute(run, dir, evalSeconds);
        } catch (IOException | RuntimeException e) {
            error = message(e);
            log.printf("== %s: FAILED: %s%n", run.name(), error);
        }
        double wall = before.wallSeconds() + (System.nanoTime() - t0) / 1e9;
        new RunStatus(error == null ? RunStatus.DONE : RunStatus.FAILED, error, attempt, started, Instant.now().toString(),
                trainSeconds, evalSeconds, wall).write(dir);
        if (error == null) log.printf("== %s: done%n", run.name());
        return error;
    }

    private double execute(Recipe.Run run, Path dir, Map<String, Double> evalSeconds) throws IOException {
        Recipe.ModelSource model = recipe.models().get(run.model());
        boolean needModel = run.trains() || !run.backend().served();
        Path modelDir = needModel ? models.ensure(model) : null;
        Path dataFile = run.trains() ? data.ensure(run.data()) : null;
        Map<String, Path> evalFiles = new LinkedHashMap<>();
        for (Recipe.EvalSet set : sets(run)) evalFiles.put(set.name(), data.ensure(set.dataset()));
        writeConfig(run, dir, modelDir, dataFile, evalFiles);
        double trainSeconds = 0;
        Path artifact = null;
        if (run.trains()) {
            Path trainDir = dir.resolve("train");
            TrainOptions options = TrainOptions.merge(run.name(), run.train());
            TrainSpec spec = options.spec(modelDir, dataFile, run.method(), trainDir);
            if (!Files.isRegularFile(trainDir.resolve("train_summary.json"))) {
                boolean resume = Files.isRegularFile(trainDir.resolve("run.json"));
                launcher.train(spec, options, resume, log);
            } else {
                log.printf("%s: training already finished%n", run.name());
            }
            trainSeconds = JSON.readTree(trainDir.resolve("train_summary.json").toFile()).path("training_seconds").asDouble();
            artifact = trainDir.resolve("final");
        }
        try (TextGenerator generator = generator(run, modelDir, artifact)) {
            for (Recipe.EvalSet set : sets(run)) {
                long t0 = System.nanoTime();
                evaluate(run, set, evalFiles.get(set.name()), dir.resolve("eval").resolve(set.name()), generator);
                evalSeconds.merge(set.name(), (System.nanoTime() - t0) / 1e9, Double::sum);
            }
        }
        return trainSeconds;
    }

    private void evaluate(Recipe.Run run, Recipe.EvalSet set, Path file, Path evalDir, TextGenerator generator) {
        DatasetSpec ds = new DatasetSpec(file, DatasetKind.AUTO, null, null, set.limit());
        String prompt = run.prompt() != null ? run.prompt() : set.prompt();
        int maxNew = run.maxNewTokens() > 0 ? run.maxNewTokens() : set.maxNewTokens();
        Path train = PromptRegistry.defaultTrainFile(prompt, file.toAbsolutePath().getParent().getParent());
        EvalSpec spec = EvalSpec.of(ds, evalDir).withPrompt(prompt, run.shots(), train)
                .withSampling(1, SamplingParams.greedy(maxNew)).withCalculator(set.calculator());
        log.printf("%s: evaluating on %s (%s, prompt %s)%n", run.name(), set.name(), file.getFileName(), prompt);
        new EvalRunner(generator, grader(set, ds), log, 10).run(spec);
    }

    /** The set's grader, else the dataset's kind: MATH graded as MATH, everything else as GSM8K. */
    static AnswerGrader grader(Recipe.EvalSet set, DatasetSpec ds) {
        String name = set.grader();
        if (name == null) name = DatasetLoader.load(ds.withLimit(1)).kind() == DatasetKind.MATH ? "math" : "gsm8k";
        return name.equals("math") ? MathAnswerGrader.math() : MathAnswerGrader.gsm8k();
    }

    private TextGenerator generator(Recipe.Run run, Path modelDir, Path artifact) {
        Recipe.Backend b = run.backend();
        if (b.served()) {
            OpenAiClientOptions o = OpenAiClientOptions.of(b.endpoint(), b.servedModel()).withConcurrency(b.concurrency());
            if (b.apiKeyEnv() != null) o = o.withApiKeyFromEnv(b.apiKeyEnv());
            OpenAiClientOptions options = o;
            return new LazyGenerator(b.endpoint() + " " + b.servedModel(), null, () -> new OpenAiClient(options));
        }
        Path shown = artifact != null && run.method().equals("full") ? artifact : modelDir;
        // the record names the dtype like ModelBundle's; the same choice is made (and said) when the model loads
        String dtype = AutoDType.forEvaluation(b.dtype(), null).name().toLowerCase(java.util.Locale.ROOT);
        return new LazyGenerator("embedded:" + shown + (artifact != null && !run.method().equals("full") ? " + " + artifact : "")
                + " (" + dtype + ")", dtype,
                () -> loader.open(modelDir, run.method(), artifact, AutoDType.forEvaluation(b.dtype(), log), b.batchSize()));
    }

    private List<Recipe.EvalSet> sets(Recipe.Run run) {
        return recipe.evalSets().stream().filter(s -> run.evalSets().contains(s.name())).toList();
    }

    private void writeExperiment() throws IOException {
        ObjectNode e = JSON.createObjectNode();
        e.put("name", recipe.name());
        e.put("title", recipe.title());
        e.put("recipe", recipe.file().toAbsolutePath().normalize().toString());
        e.set("study", JSON.valueToTree(recipe.study().toJson()));
        ArrayNode runs = e.putArray("runs");
        recipe.runs().forEach(r -> runs.add(r.name()));
        AtomicFiles.writeString(out.resolve(EXPERIMENT), JSON.writeValueAsString(e) + "\n");
        Path copy = out.resolve("recipe.yaml");
        AtomicFiles.writeString(copy, Files.readString(recipe.file()));
    }

    private void writeConfig(Recipe.Run run, Path dir, Path modelDir, Path dataFile, Map<String, Path> evalFiles)
            throws IOException {
        Recipe.ModelSource m = recipe.models().get(run.model());
        ObjectNode c = JSON.createObjectNode();
        c.put("name", run.name());
        c.put("label", run.label());
        c.put("method", run.method());
        ObjectNode model = c.putObject("model");
        model.put("name", m.name());
        model.put("label", m.label());
        model.put("hub", m.hub());
        model.put("revision", m.revision());
        model.put("preset", m.preset());
        model.put("dir", modelDir == null ? null : modelDir.toString());
        if (modelDir != null && m.isHub()) model.put("commit", ModelStore.commit(modelDir));
        if (run.data() != null) {
            ObjectNode d = c.putObject("data");
            d.put("name", run.data());
            d.put("label", recipe.datasets().get(run.data()).label());
            d.put("file", dataFile.toString());
            putOrigin(d, run.data());
            c.set("train", JSON.valueToTree(run.train()));
        }
        ArrayNode evals = c.putArray("eval");
        for (Recipe.EvalSet s : sets(run)) {
            ObjectNode e = evals.addObject();
            e.put("name", s.name());
            e.put("label", s.label());
            e.put("dataset", s.dataset());
            e.put("file", evalFiles.get(s.name()).toString());
            putOrigin(e, s.dataset());
            e.put("prompt", run.prompt() != null ? run.prompt() : s.prompt());
            e.put("max_new_tokens", run.maxNewTokens() > 0 ? run.maxNewTokens() : s.maxNewTokens());
            e.put("shots", run.shots());
            e.put("limit", s.limit());
            e.put("grader", s.grader());
            if (s.calculator()) e.put("calculator", true);
        }
        c.set("backend", JSON.valueToTree(run.backend()));
        AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(c) + "\n");
    }

    /** A Hub dataset's repo, revision, commit and files, recorded beside its local file. */
    private void putOrigin(ObjectNode node, String dataset) {
        DataStore.HubOrigin origin = data.origin(dataset);
        if (origin != null) node.set("hub", JSON.valueToTree(origin));
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (!(t instanceof UserError) && t.getCause() != null) t = t.getCause();
        String msg = t instanceof UserError ? t.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return String.valueOf(msg).lines().findFirst().orElse("");
    }
}

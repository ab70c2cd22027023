package dev.mathtune.experiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.mathtune.eval.DatasetKind;
import dev.mathtune.eval.DatasetLoader;
import dev.mathtune.eval.DatasetSpec;
import dev.mathtune.experiment.demo.Problem;
import dev.mathtune.train.TrainSpec;

/**
 * What {@code mathtune run --dry-run} prints: every run with its status, the model it needs (present, to
 * download or to create), and estimated tokens: training ≈ examples × epochs × mean length (mean length from
 * the data file, about 4 characters a token, at most max-length), evaluation ≤ items × max-new-tokens.
 */
public final class DryRun {
    private DryRun() {
    }

    /** Sizes of a dataset file: rows and characters, or unknown (-1) when it is not on disk or not JSONL. */
    record Size(long rows, long chars) {
        static final Size UNKNOWN = new Size(-1, -1);

        boolean known() {
            return rows > 0;
        }
    }

    public static String describe(Recipe recipe, Path out, Path modelCache) {
        Path o = out.toAbsolutePath().normalize();
        ModelStore models = new ModelStore(modelCache.toAbsolutePath().normalize(), o, System.err);
        DataStore data = new DataStore(recipe.datasets(), o, System.err);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "recipe %s: %d runs into %s%n", recipe.name(), recipe.runs().size(), o));
        long totalTrain = 0;
        long totalEval = 0;
        for (Recipe.Run run : recipe.runs()) {
            RunStatus status = RunStatus.read(ExperimentRunner.runDir(o, run.name()));
            Recipe.ModelSource m = recipe.models().get(run.model());
            sb.append(String.format(Locale.ROOT, "run %s [%s]: method %s (%s), model %s%s%n", run.name(), status.status(),
                    run.method(), run.label(), m.name(), run.data() == null ? "" : ", data " + run.data()));
            if (run.trains() || !run.backend().served()) {
                sb.append("  model ").append(m.name()).append(": ").append(models.describe(m)).append('\n');
            } else {
                sb.append("  model served at ").append(run.backend().endpoint()).append(" as ")
                        .append(run.backend().servedModel()).append('\n');
            }
            if (run.trains()) {
                TrainSpec spec = TrainOptions.merge(run.name(), run.train()).spec(Path.of("model"), Path.of("data"), run.method(), Path.of("out"));
                Size size = size(data, run.data());
                if (size.known()) {
                    long examples = spec.limit() > 0 ? Math.min(spec.limit(), size.rows()) : size.rows();
                    long mean = Math.min(spec.maxLength(), Math.max(1, size.chars() / size.rows() / 4));
                    long visits = spec.maxSteps() > 0 ? (long) spec.maxSteps() * spec.globalBatch() : examples * spec.epochs();
                    long tokens = visits * mean;
                    totalTrain += tokens;
                    sb.append(String.format(Locale.ROOT, "  train: %,d examples x %s, ~%d tokens each = ~%s tokens (%s)%n",
                            examples, spec.maxSteps() > 0 ? spec.maxSteps() + " steps of " + spec.globalBatch()
                                    : spec.epochs() + " epochs", mean, human(tokens), data.file(run.data())));
                } else {
                    sb.append("  train: ").append(data.file(run.data())).append(" not on disk yet: tokens unknown\n");
                }
            }
            for (Recipe.EvalSet set : recipe.evalSets()) {
                if (!run.evalSets().contains(set.name())) continue;
                Size size = size(data, set.dataset());
                long items = set.limit() > 0 && (!size.known() || size.rows() > set.limit()) ? set.limit() : size.rows();
                int maxNew = run.maxNewTokens() > 0 ? run.maxNewTokens() : set.maxNewTokens();
                if (maxNew == 0) maxNew = defaultMaxNew(data, set.dataset());
                String prompt = run.prompt() != null ? run.prompt() : set.prompt();
                if (items > 0 && maxNew > 0) {
                    totalEval += items * maxNew;
                    sb.append(String.format(Locale.ROOT, "  eval %s: %,d items x <= %d new tokens = <= %s tokens (prompt %s)%n",
                            set.name(), items, maxNew, human(items * maxNew), prompt));
                } else {
                    sb.append(String.format(Locale.ROOT, "  eval %s: %s not on disk yet: tokens unknown (prompt %s)%n",
                            set.name(), data.file(set.dataset()), prompt));
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "total: ~%s training tokens, <= %s generated evaluation tokens%n",
                human(totalTrain), human(totalEval)));
        return sb.toString();
    }

    private static int defaultMaxNew(DataStore data, String dataset) {
        Path file = data.file(dataset);
        if (!Files.isRegularFile(file)) return dataStoreSynthetic(data, dataset) ? DatasetKind.GSM8K.defaultMaxNewTokens() : 0;
        try {
            return DatasetLoader.load(new DatasetSpec(file, DatasetKind.AUTO, null, null, 1)).kind().defaultMaxNewTokens();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static boolean dataStoreSynthetic(DataStore data, String dataset) {
        return data.source(dataset).isSynthetic();
    }

    static Size size(DataStore data, String dataset) {
        Path file = data.file(dataset);
        if (!Files.isRegularFile(file)) {
            if (!data.source(dataset).isSynthetic()) return Size.UNKNOWN;
            List<Problem> problems = data.problems(data.source(dataset));
            return new Size(problems.size(), problems.stream().mapToLong(p -> p.question().length() + 1 + p.answer().length()).sum());
        }
        if (file.getFileName().toString().endsWith(".parquet")) return Size.UNKNOWN;
        long rows = 0;
        long chars = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                rows++;
                chars += line.length();
            }
        } catch (IOException e) {
            return Size.UNKNOWN;
        }
        return new Size(rows, chars);
    }

    private static String human(long tokens) {
        if (tokens >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2fG", tokens / 1e9);
        if (tokens >= 1_000_000L) return String.format(Locale.ROOT, "%.2fM", tokens / 1e6);
        if (tokens >= 1_000L) return String.format(Locale.ROOT, "%.1fk", tokens / 1e3);
        return Long.toString(tokens);
    }
}

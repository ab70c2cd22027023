package dev.mathtune.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import dev.mathtune.UserError;
import dev.mathtune.data.DatasetRow;
import dev.mathtune.data.DatasetRows;
import dev.mathtune.io.hub.FilePattern;
import dev.mathtune.io.hub.HubDownloader;
import dev.mathtune.io.hub.HubFile;
import dev.mathtune.io.hub.RepoKind;
import dev.mathtune.io.hub.RepoListing;

import dev.mathtune.eval.DatasetKind;
import dev.mathtune.eval.DatasetLoader;
import dev.mathtune.eval.DatasetSpec;
import dev.mathtune.experiment.demo.Problem;
import dev.mathtune.train.TrainSpec;

/**
 * What {@code mathtune run --dry-run} prints: every dataset the runs use with its source and rows (a Hub dataset
 * is fetched into the cache first: a few MB, and the run needs it anyway), every Hub model with what a run would
 * download (listed through the Hub's API, nothing fetched), then every run with its status, the model it needs
 * (present, to download or to create), and estimated tokens: training ≈ examples × epochs × mean length (mean
 * length from the data, about 4 characters a token, at most max-length), evaluation ≤ items × max-new-tokens.
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
        return describe(recipe, out, modelCache, () -> HubDownloader.fromEnvironment(null));
    }

    /** As {@link #describe(Recipe, Path, Path)}, reaching the Hub through {@code hub}. */
    public static String describe(Recipe recipe, Path out, Path modelCache, Supplier<HubDownloader> hub) {
        Path o = out.toAbsolutePath().normalize();
        ModelStore models = new ModelStore(modelCache.toAbsolutePath().normalize(), o, System.err);
        DataStore data = new DataStore(recipe.datasets(), o, DataStore.cacheBeside(modelCache), System.err, hub);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "recipe %s: %d runs into %s%n", recipe.name(), recipe.runs().size(), o));
        for (String name : usedDatasets(recipe)) sb.append(describeData(data, name));
        for (String name : usedModels(recipe)) sb.append(describeModel(models, recipe.models().get(name), hub));
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
        if (!data.present(dataset)) return dataStoreSynthetic(data, dataset) ? DatasetKind.GSM8K.defaultMaxNewTokens() : 0;
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
        if (!data.present(dataset)) {
            if (!data.source(dataset).isSynthetic()) return Size.UNKNOWN;
            List<Problem> problems = data.problems(data.source(dataset));
            return new Size(problems.size(), problems.stream().mapToLong(p -> p.question().length() + 1 + p.answer().length()).sum());
        }
        try {
            List<DatasetRow> rows = DatasetRows.read(data.file(dataset), 0);
            return new Size(rows.size(), rows.stream().mapToLong(r -> r.fields().toString().length()).sum());
        } catch (RuntimeException e) {
            return Size.UNKNOWN;
        }
    }

    /** The datasets the runs train on or are evaluated on, in recipe order. */
    private static Set<String> usedDatasets(Recipe recipe) {
        Set<String> names = new LinkedHashSet<>();
        recipe.runs().stream().filter(r -> r.data() != null).forEach(r -> names.add(r.data()));
        for (Recipe.EvalSet set : recipe.evalSets()) {
            if (recipe.runs().stream().anyMatch(r -> r.evalSets().contains(set.name()))) names.add(set.dataset());
        }
        return names;
    }

    private static Set<String> usedModels(Recipe recipe) {
        Set<String> names = new LinkedHashSet<>();
        recipe.runs().forEach(r -> names.add(r.model()));
        return names;
    }

    /** {@code dataset NAME: SOURCE: N rows (FILE)}; a Hub dataset is fetched into the cache first. */
    private static String describeData(DataStore data, String name) {
        Recipe.DataSource d = data.source(name);
        String source = d.isHub() ? d.hub() + "@" + d.revision() + (d.split() != null ? (d.configs().isEmpty() ? ""
                : " config " + String.join("+", d.configs())) + " split " + d.split() : " file " + d.file())
                : d.isSynthetic() ? "synthetic" : "local";
        String state;
        try {
            if (d.isHub()) data.ensure(name);
            DataStore.HubOrigin origin = data.origin(name);
            Size size = size(data, name);
            state = (size.known() ? String.format(Locale.ROOT, "%,d rows", size.rows()) : "MISSING")
                    + (origin == null ? "" : ", commit " + origin.commit() + ", " + origin.files().size() + " files")
                    + " (" + data.file(name) + ")";
        } catch (UserError e) {
            state = "ERROR: " + e.getMessage();
        }
        return "dataset " + name + ": " + source + ": " + state + "\n";
    }

    /** {@code model NAME: REPO@REV: present | will download N files, X MB (commit C)}, listed, not fetched. */
    private static String describeModel(ModelStore models, Recipe.ModelSource m, Supplier<HubDownloader> hub) {
        if (!m.isHub() || models.present(m)) return "model " + m.name() + ": " + models.describe(m) + "\n";
        if (HubDownloader.offline()) {
            return "model " + m.name() + ": " + m.hub() + "@" + m.revision() + ": MISSING, not in the cache "
                    + models.dir(m) + " and HF_HUB_OFFLINE is set\n";
        }
        try {
            RepoListing listing = hub.get().list(m.hub(), RepoKind.MODEL, m.revision());
            FilePattern include = FilePattern.of(ModelStore.MODEL_FILES);
            List<HubFile> files = listing.files().stream().filter(f -> include.includes(f.path())).toList();
            return String.format(Locale.ROOT, "model %s: %s@%s: will download %d files, %.1f MB (commit %s) into %s%n",
                    m.name(), m.hub(), m.revision(), files.size(), RepoListing.bytes(files) / 1048576.0,
                    listing.commit(), models.dir(m));
        } catch (UserError e) {
            return "model " + m.name() + ": " + m.hub() + "@" + m.revision() + ": ERROR: " + e.getMessage() + "\n";
        }
    }

    private static String human(long tokens) {
        if (tokens >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2fG", tokens / 1e9);
        if (tokens >= 1_000_000L) return String.format(Locale.ROOT, "%.2fM", tokens / 1e6);
        if (tokens >= 1_000L) return String.format(Locale.ROOT, "%.1fk", tokens / 1e3);
        return Long.toString(tokens);
    }
}

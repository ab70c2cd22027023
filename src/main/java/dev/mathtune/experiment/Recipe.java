package dev.mathtune.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated experiment recipe: named models and datasets, the runs (base model, method, training data and
 * training options, fully merged), the evaluation sets, the evaluation backend and the study's numbers to show
 * beside ours. Read from YAML by {@link #load}; see {@code recipes/*.yaml} for the format.
 *
 * @param file     the YAML file it was read from
 * @param out      the default output folder (relative paths against the current directory)
 * @param runs     in recipe order, grids expanded
 * @param evalSets in recipe order
 */
public record Recipe(Path file, String name, String title, Path out, Map<String, ModelSource> models,
                     Map<String, DataSource> datasets, List<Run> runs, List<EvalSet> evalSets, Backend backend,
                     StudyTable study) {

    /** Methods a run may use: the three training methods, and {@code none} to evaluate a model as it is. */
    public static final List<String> METHODS = List.of("full", "lora", "prefix", "none");

    public Recipe {
        models = Map.copyOf(models);
        datasets = Map.copyOf(datasets);
        runs = List.copyOf(runs);
        evalSets = List.copyOf(evalSets);
    }

    /** Reads and validates {@code file}; {@code vars} override the recipe's {@code vars}. */
    public static Recipe load(Path file, Map<String, String> vars) {
        return RecipeParser.parse(file, vars);
    }

    public static Recipe load(Path file) {
        return load(file, Map.of());
    }

    /** The run called {@code name}. */
    public Optional<Run> run(String runName) {
        return runs.stream().filter(r -> r.name().equals(runName)).findFirst();
    }

    /**
     * Where a model comes from: exactly one of a Hub repository ({@code hub}, at {@code revision}), a local
     * checkpoint folder ({@code path}), or a preset shape with random weights ({@code preset}, {@code seed}).
     */
    public record ModelSource(String name, String label, String hub, String revision, Path path, String preset,
                              long seed, String run) {
        /** Whether the model is the fine-tuned result of another run of the recipe ({@code run: NAME}). */
        public boolean isRunOutput() {
            return run != null;
        }

        public boolean isHub() {
            return hub != null;
        }

        public boolean isPreset() {
            return preset != null;
        }
    }

    /**
     * Where a dataset comes from: exactly one of a local file or glob ({@code path}), a Hub dataset repository
     * ({@code hub} at {@code revision}: the {@code split} of the {@code configs}, see
     * {@link dev.mathtune.io.hub.DatasetSplitFiles}, or {@code file}, a path or glob in the repository), or
     * synthetic GSM8K-format problems ({@code synthetic}).
     */
    public record DataSource(String name, String label, Path path, String hub, List<String> configs, String split,
                             String file, String revision, Synthetic synthetic) {
        public DataSource {
            configs = configs == null ? List.of() : List.copyOf(configs);
        }


        public boolean isHub() {
            return hub != null;
        }

        public boolean isSynthetic() {
            return synthetic != null;
        }
    }

    /**
     * Synthetic problems ({@link dev.mathtune.experiment.demo.SyntheticProblems}): {@code count} problems of
     * {@code level} from {@code seed}, none equal to a question of {@code heldOutFrom}; or, with
     * {@code augmentOf}, that dataset's problems evolved ({@link dev.mathtune.experiment.demo.SyntheticEvolution})
     * with {@code variants} variants per seed in {@code phrasings} phrasings; or, with {@code mix}, the problems of
     * the named plain synthetic datasets one after another (a training mixture). {@code cue}, when set, is written
     * before every question (held-out checks compare the questions without it).
     */
    public record Synthetic(int count, int level, long seed, String heldOutFrom, String augmentOf, int variants,
                            int phrasings, int maxNumber, String cue, List<String> mix) {
        public Synthetic {
            mix = mix == null ? List.of() : List.copyOf(mix);
        }

        /** Generated problems of one level (neither an augmentation nor a mixture). */
        public boolean plain() {
            return augmentOf == null && mix.isEmpty();
        }
    }

    /**
     * One run: {@code method} ({@code full}, {@code lora}, {@code prefix}, {@code none}) on {@code model} with
     * {@code data} (null for {@code none}); {@code label} names the method in the report; {@code train} holds
     * every training option (defaults included); {@code evalSets} the names of the sets to evaluate;
     * {@code prompt} and {@code maxNewTokens} override the sets' (null / 0: the set's); {@code shots} the
     * prompt's number of examples (-1: its default); {@code backend} is the recipe's or the run's own.
     */
    public record Run(String name, String label, String model, String method, String data,
                      Map<String, String> train, List<String> evalSets, String prompt, int maxNewTokens,
                      Backend backend, int shots) {
        public Run {
            train = train == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(train));
            evalSets = List.copyOf(evalSets);
        }

        public Run(String name, String label, String model, String method, String data, Map<String, String> train,
                   List<String> evalSets, String prompt, int maxNewTokens, Backend backend) {
            this(name, label, model, method, data, train, evalSets, prompt, maxNewTokens, backend, -1);
        }

        public boolean trains() {
            return !method.equals("none");
        }
    }

    /**
     * An evaluation set: a dataset scored with {@code prompt}, at most {@code maxNewTokens} per completion
     * (0: the dataset's default), on the first {@code limit} items (0: all), graded as {@code grader}
     * ({@code gsm8k}, {@code math}, or null: by the dataset's kind); {@code calculator}: decode with the
     * calculator (embedded backend only).
     */
    public record EvalSet(String name, String label, String dataset, String prompt, int maxNewTokens, int limit,
                          String grader, boolean calculator) {
        public EvalSet(String name, String label, String dataset, String prompt, int maxNewTokens, int limit,
                       String grader) {
            this(name, label, dataset, prompt, maxNewTokens, limit, grader, false);
        }
    }

    /**
     * How completions are generated: {@code embedded} (the model loaded in this process, {@code batchSize}
     * sequences at a time, in {@code dtype}) or {@code endpoint} (an OpenAI-compatible server at {@code endpoint}
     * serving {@code servedModel}, key from the environment variable {@code apiKeyEnv}).
     */
    public record Backend(String kind, String endpoint, String servedModel, String apiKeyEnv, int concurrency,
                          int batchSize, String dtype) {
        public static final String EMBEDDED = "embedded";
        public static final String ENDPOINT = "endpoint";

        public boolean served() {
            return ENDPOINT.equals(kind);
        }
    }
}

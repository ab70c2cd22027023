package dev.mathtune.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.mathtune.UserError;
import dev.mathtune.eval.PromptRegistry;
import dev.mathtune.experiment.Recipe.Backend;
import dev.mathtune.experiment.Recipe.DataSource;
import dev.mathtune.experiment.Recipe.EvalSet;
import dev.mathtune.experiment.Recipe.ModelSource;
import dev.mathtune.experiment.Recipe.Run;
import dev.mathtune.experiment.Recipe.Synthetic;
import dev.mathtune.model.Presets;

/**
 * Reads a recipe: substitutes {@code ${var}} (the recipe's {@code vars}, overridden by the caller's), binds the
 * YAML to records (an unknown key is an error naming the file, line and key path), then checks every reference
 * and value and expands grids into runs. Relative model and data paths are taken against the recipe's folder.
 */
final class RecipeParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Map<String, String> DEFAULT_LABELS = Map.of("full", "SFT", "lora", "LoRA", "prefix", "Prefix");

    record RawRecipe(String name, String title, String out, Map<String, String> vars,
                     Map<String, RawModel> models, Map<String, RawDataset> datasets, Map<String, JsonNode> train,
                     Map<String, Map<String, JsonNode>> methods, List<RawRun> runs, RawEval eval, JsonNode study) {
    }

    record RawModel(String hub, String revision, String path, String preset, Long seed, String run, String label) {
    }

    record RawDataset(String path, String hub, List<String> config, String split, String file, String revision,
                      RawSynthetic synthetic, String label) {
    }

    record RawSynthetic(Integer count, Integer level, Long seed, @JsonProperty("held-out-from") String heldOutFrom,
                        @JsonProperty("augment-of") String augmentOf, Integer variants, Integer phrasings,
                        @JsonProperty("max-number") Integer maxNumber, String cue, List<String> mix) {
    }

    record RawRun(String name, String label, String model, String method, String data, Map<String, JsonNode> train,
                  List<String> eval, String prompt, @JsonProperty("max-new-tokens") Integer maxNewTokens,
                  String endpoint, @JsonProperty("served-model") String servedModel, RawGrid grid, Integer shots) {
    }

    record RawGrid(List<String> model, List<String> method, List<String> data) {
    }

    record RawEval(String backend, String endpoint, @JsonProperty("served-model") String servedModel,
                   @JsonProperty("api-key-env") String apiKeyEnv, Integer concurrency,
                   @JsonProperty("batch-size") Integer batchSize, String dtype, Map<String, RawEvalSet> sets) {
    }

    record RawEvalSet(String dataset, String label, String prompt, @JsonProperty("max-new-tokens") Integer maxNewTokens,
                      Integer limit, String grader, Boolean calculator) {
    }

    private final Path file;
    private final Path base;

    private RecipeParser(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().normalize().getParent();
        this.base = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    static Recipe parse(Path file, Map<String, String> vars) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw UserError.inFile(file, "cannot read recipe: " + e.getMessage());
        }
        RecipeParser p = new RecipeParser(file);
        RawRecipe raw = p.bind(p.substitute(text, vars));
        return p.resolve(raw);
    }

    // ---- YAML to records ----

    private String substitute(String text, Map<String, String> overrides) {
        Map<String, String> vars = new LinkedHashMap<>();
        try {
            JsonNode tree = YAML.readTree(text);
            if (tree != null && tree.has("vars")) {
                if (!tree.get("vars").isObject()) throw UserError.inFile(file, "key 'vars': expected a mapping of name: value");
                tree.get("vars").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
            }
        } catch (JsonProcessingException e) {
            throw syntax(e);
        }
        vars.putAll(overrides);
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = VAR.matcher(lines[i]);
            StringBuilder line = new StringBuilder();
            while (m.find()) {
                String value = vars.get(m.group(1));
                if (value == null) {
                    throw UserError.atLine(file, i + 1, null, "unknown variable ${" + m.group(1) + "} (define it under "
                            + "'vars:' or pass --var " + m.group(1) + "=VALUE)");
                }
                m.appendReplacement(line, Matcher.quoteReplacement(value));
            }
            m.appendTail(line);
            out.append(line);
            if (i + 1 < lines.length) out.append('\n');
        }
        return out.toString();
    }

    private RawRecipe bind(String text) {
        try {
            RawRecipe raw = YAML.readValue(text, RawRecipe.class);
            if (raw == null) throw UserError.inFile(file, "empty recipe");
            return raw;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw UserError.atLine(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null,
                    "unknown key '" + path(e) + "'" + known);
        } catch (JsonMappingException e) {
            throw UserError.atLine(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null,
                    "key '" + path(e) + "': " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw syntax(e);
        }
    }

    private UserError syntax(JsonProcessingException e) {
        return UserError.atLine(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null,
                "not valid YAML: " + firstLine(e.getOriginalMessage()));
    }

    private static String firstLine(String s) {
        return String.valueOf(s).lines().findFirst().orElse("").replaceAll(" \\(class dev\\.mathtune[^)]*\\)", "");
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    // ---- records to a checked recipe ----

    private Recipe resolve(RawRecipe raw) {
        String name = required(raw.name(), "name");
        checkName(name, "name");
        String title = raw.title() == null ? name : raw.title();
        Path out = Path.of(raw.out() == null ? "runs/" + name : raw.out());
        Map<String, ModelSource> models = new LinkedHashMap<>();
        if (raw.models() == null || raw.models().isEmpty()) throw error("key 'models': at least one model is needed");
        raw.models().forEach((k, m) -> models.put(k, model(k, m)));
        Map<String, DataSource> datasets = new LinkedHashMap<>();
        if (raw.datasets() != null) raw.datasets().forEach((k, d) -> datasets.put(k, dataset(k, d)));
        datasets.values().forEach(d -> checkSynthetic(d, datasets));
        Backend backend = backend(raw.eval());
        List<EvalSet> sets = evalSets(raw.eval(), datasets);
        Map<String, String> train = options(raw.train(), "train");
        Map<String, Map<String, String>> methods = new LinkedHashMap<>();
        if (raw.methods() != null) {
            raw.methods().forEach((m, opts) -> {
                if (!List.of("full", "lora", "prefix").contains(m)) {
                    throw error("key 'methods." + m + "': not a training method (full, lora or prefix)");
                }
                methods.put(m, options(opts, "methods." + m));
            });
        }
        List<Run> runs = runs(raw.runs(), models, datasets, sets, backend, train, methods);
        return new Recipe(file, name, title, out, models, datasets, runs, sets, backend, study(raw.study()));
    }

    private ModelSource model(String key, RawModel m) {
        String where = "models." + key;
        checkName(key, where);
        if (m == null) throw error("key '" + where + "': expected hub:, path:, preset: or run:");
        int given = count(m.hub(), m.path(), m.preset(), m.run());
        if (given != 1) throw error("key '" + where + "': give exactly one of hub, path, preset or run");
        if (m.preset() != null) {
            try {
                Presets.get(m.preset());
            } catch (UserError e) {
                throw error("key '" + where + ".preset': " + e.getMessage());
            }
            if (!m.preset().equals("tiny")) {
                throw error("key '" + where + ".preset': only 'tiny' comes with a tokenizer; for a random " + m.preset()
                        + " run 'mathtune init', copy Qwen's tokenizer beside it and give its path:");
            }
        } else if (m.seed() != null) {
            throw error("key '" + where + ".seed': only a preset model has a seed");
        }
        if (m.revision() != null && m.hub() == null) throw error("key '" + where + ".revision': only a hub model has a revision");
        if (m.hub() != null && !m.hub().matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw error("key '" + where + ".hub': expected a repository id like Qwen/Qwen2.5-0.5B, got '" + m.hub() + "'");
        }
        String label = m.label() != null ? m.label() : m.hub() != null ? m.hub().substring(m.hub().indexOf('/') + 1) : key;
        return new ModelSource(key, label, m.hub(), m.hub() == null ? null : m.revision() == null ? "main" : m.revision(),
                m.path() == null ? null : base.resolve(m.path()).normalize(), m.preset(),
                m.seed() == null ? 0 : m.seed(), m.run());
    }

    private DataSource dataset(String key, RawDataset d) {
        String where = "datasets." + key;
        checkName(key, where);
        if (d == null) throw error("key '" + where + "': expected path:, hub: or synthetic:");
        if (count(d.path(), d.hub(), d.synthetic()) != 1) throw error("key '" + where + "': give exactly one of path, hub or synthetic");
        if (d.hub() != null && (d.split() == null) == (d.file() == null)) {
            throw error("key '" + where + "': a hub dataset needs split (with config when the repo has several), e.g."
                    + " {hub: openai/gsm8k, config: main, split: train}, or file, a path or glob in the repo");
        }
        if (d.hub() != null && d.file() != null && d.config() != null) throw error("key '" + where + ".config': goes with split, not file");
        if (d.hub() != null && !d.hub().matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw error("key '" + where + ".hub': expected a dataset repository id like openai/gsm8k, got '" + d.hub() + "'");
        }
        if (d.hub() == null && (d.file() != null || d.revision() != null || d.config() != null || d.split() != null)) {
            throw error("key '" + where + "': config, split, file and revision go with hub");
        }
        Synthetic s = null;
        if (d.synthetic() != null) {
            RawSynthetic r = d.synthetic();
            s = new Synthetic(r.count() == null ? 0 : r.count(), r.level() == null ? 1 : r.level(),
                    r.seed() == null ? 0 : r.seed(), r.heldOutFrom(), r.augmentOf(),
                    r.variants() == null ? 2 : r.variants(), r.phrasings() == null ? 2 : r.phrasings(),
                    r.maxNumber() == null ? 0 : r.maxNumber(), r.cue(), r.mix());
            if (!s.mix().isEmpty()) {
                if (r.count() != null || r.level() != null || r.seed() != null || r.heldOutFrom() != null
                        || r.augmentOf() != null || r.cue() != null || r.maxNumber() != null) {
                    throw error("key '" + where + ".synthetic.mix': a mixture takes only the names of the datasets it mixes");
                }
            } else if (r.mix() != null) {
                throw error("key '" + where + ".synthetic.mix': name at least one dataset");
            }
            if (s.cue() != null && (s.cue().isBlank() || s.augmentOf() != null)) {
                throw error("key '" + where + ".synthetic.cue': a non-empty text, for generated (not augmented) problems");
            }
            if (s.plain() && s.count() < 1) throw error("key '" + where + ".synthetic.count': must be >= 1");
            if (s.augmentOf() != null && r.count() != null) throw error("key '" + where + ".synthetic.count': an augmented set's size follows from augment-of and variants");
            if (s.level() < 1 || s.level() > 3) throw error("key '" + where + ".synthetic.level': must be 1, 2 or 3");
            if (s.variants() < 0) throw error("key '" + where + ".synthetic.variants': must be >= 0");
            if (s.phrasings() < 1 || s.phrasings() > 4) throw error("key '" + where + ".synthetic.phrasings': must be 1 to 4");
        }
        return new DataSource(key, d.label() == null ? key : d.label(),
                d.path() == null ? null : base.resolve(d.path()).normalize(), d.hub(),
                d.config() == null ? List.of() : d.config(), d.split(), d.file(),
                d.hub() == null ? null : d.revision() == null ? "main" : d.revision(), s);
    }

    private void checkSynthetic(DataSource d, Map<String, DataSource> all) {
        if (!d.isSynthetic()) return;
        List<String> refs = new java.util.ArrayList<>(d.synthetic().mix());
        refs.add(d.synthetic().heldOutFrom());
        refs.add(d.synthetic().augmentOf());
        for (String ref : refs) {
            if (ref == null) continue;
            DataSource other = all.get(ref);
            if (other == null || !other.isSynthetic() || !other.synthetic().plain() || ref.equals(d.name())) {
                throw error("key 'datasets." + d.name() + ".synthetic': '" + ref + "' must name another plain synthetic dataset");
            }
        }
    }

    private Backend backend(RawEval e) {
        String kind = e == null || e.backend() == null ? Backend.EMBEDDED : e.backend().toLowerCase(Locale.ROOT);
        if (!kind.equals(Backend.EMBEDDED) && !kind.equals(Backend.ENDPOINT)) {
            throw error("key 'eval.backend': must be embedded or endpoint, got '" + kind + "'");
        }
        if (e == null) return new Backend(kind, null, null, null, 4, 8, "fp32");
        if (kind.equals(Backend.ENDPOINT) && e.endpoint() == null) throw error("key 'eval.endpoint': the endpoint backend needs a URL");
        int batch = e.batchSize() == null ? 8 : e.batchSize();
        int conc = e.concurrency() == null ? 4 : e.concurrency();
        if (batch < 1) throw error("key 'eval.batch-size': must be >= 1");
        if (conc < 1) throw error("key 'eval.concurrency': must be >= 1");
        String dtype = e.dtype() == null ? dev.mathtune.model.AutoDType.defaultName() : e.dtype();
        if (!List.of("fp32", "bf16", "auto").contains(dtype)) throw error("key 'eval.dtype': must be auto, fp32 or bf16");
        return new Backend(kind, e.endpoint(), e.servedModel(), e.apiKeyEnv(), conc, batch, dtype);
    }

    private List<EvalSet> evalSets(RawEval e, Map<String, DataSource> datasets) {
        if (e == null || e.sets() == null || e.sets().isEmpty()) throw error("key 'eval.sets': at least one evaluation set is needed");
        List<EvalSet> out = new ArrayList<>();
        e.sets().forEach((k, s) -> {
            String where = "eval.sets." + k;
            checkName(k, where);
            if (s == null || s.dataset() == null) throw error("key '" + where + ".dataset': required");
            if (!datasets.containsKey(s.dataset())) throw error("key '" + where + ".dataset': no dataset named '" + s.dataset() + "'");
            String prompt = s.prompt() == null ? PromptRegistry.SFT : s.prompt();
            checkPrompt(prompt, where + ".prompt");
            int max = s.maxNewTokens() == null ? 0 : s.maxNewTokens();
            int limit = s.limit() == null ? 0 : s.limit();
            if (max < 0) throw error("key '" + where + ".max-new-tokens': must be >= 0 (0: the dataset's default)");
            if (limit < 0) throw error("key '" + where + ".limit': must be >= 0 (0: all)");
            if (s.grader() != null && !List.of("gsm8k", "math").contains(s.grader())) {
                throw error("key '" + where + ".grader': must be gsm8k or math");
            }
            out.add(new EvalSet(k, s.label() == null ? k : s.label(), s.dataset(), prompt, max, limit, s.grader(),
                    Boolean.TRUE.equals(s.calculator())));
        });
        return out;
    }

    private List<Run> runs(List<RawRun> raw, Map<String, ModelSource> models, Map<String, DataSource> datasets,
                           List<EvalSet> sets, Backend backend, Map<String, String> train,
                           Map<String, Map<String, String>> methods) {
        if (raw == null || raw.isEmpty()) throw error("key 'runs': at least one run is needed");
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            RawRun r = raw.get(i);
            String where = "runs[" + i + "]";
            if (r == null) throw error("key '" + where + "': empty run");
            if (r.grid() == null) {
                out.add(run(where, r, r.name(), r.model(), r.method(), r.data(), models, datasets, sets, backend, train, methods));
                continue;
            }
            if (r.model() != null || r.method() != null || r.data() != null || r.name() != null || r.label() != null) {
                throw error("key '" + where + "': a grid run takes model, method and data lists under 'grid:' "
                        + "(and no name or label)");
            }
            List<String> gm = r.grid().model() == null ? List.of() : r.grid().model();
            List<String> gt = r.grid().method() == null ? List.of() : r.grid().method();
            List<String> gd = r.grid().data() == null ? List.of() : r.grid().data();
            if (gm.isEmpty() || gt.isEmpty()) throw error("key '" + where + ".grid': needs model and method lists");
            for (String m : gm) {
                for (String method : gt) {
                    List<String> data = "none".equals(method) ? java.util.Collections.singletonList((String) null) : gd;
                    if (data.isEmpty()) throw error("key '" + where + ".grid.data': training methods need data");
                    for (String d : data) {
                        String name = (gm.size() > 1 ? m + "-" : "") + method + (d == null ? "" : "-" + d);
                        out.add(run(where, r, name, m, method, d, models, datasets, sets, backend, train, methods));
                    }
                }
            }
        }
        Set<String> names = new HashSet<>();
        for (Run run : out) {
            if (!names.add(run.name())) throw error("key 'runs': two runs are named '" + run.name() + "'");
        }
        return out;
    }

    private Run run(String where, RawRun r, String name, String model, String method, String data,
                    Map<String, ModelSource> models, Map<String, DataSource> datasets, List<EvalSet> sets,
                    Backend backend, Map<String, String> train, Map<String, Map<String, String>> methods) {
        if (model == null) throw error("key '" + where + ".model': required");
        if (!models.containsKey(model)) throw error("key '" + where + ".model': no model named '" + model + "'");
        if (method == null) throw error("key '" + where + ".method': required (full, lora, prefix or none)");
        if (!Recipe.METHODS.contains(method)) throw error("key '" + where + ".method': must be full, lora, prefix or none, got '" + method + "'");
        boolean trains = !method.equals("none");
        if (trains && data == null) throw error("key '" + where + ".data': method " + method + " needs training data");
        if (!trains && data != null) throw error("key '" + where + ".data': method none trains nothing; remove data");
        if (!trains && r.grid() == null && r.train() != null && !r.train().isEmpty()) throw error("key '" + where + ".train': method none trains nothing");
        if (data != null && !datasets.containsKey(data)) throw error("key '" + where + ".data': no dataset named '" + data + "'");
        if (name == null) name = model + "-" + method + (data == null ? "" : "-" + data);
        checkName(name, where + ".name");
        Map<String, String> merged = Map.of();
        if (trains) {
            String w = file + ": " + where + " (" + name + ")";
            TrainOptions opts = TrainOptions.merge(w, train, methods.getOrDefault(method, Map.of()), options(r.train(), where + ".train"));
            opts.spec(Path.of("model"), Path.of("data"), method, Path.of("out")); // checks every value
            merged = opts.values();
        }
        List<String> evalNames = r.eval() == null ? sets.stream().map(EvalSet::name).toList() : r.eval();
        for (String e : evalNames) {
            if (sets.stream().noneMatch(s -> s.name().equals(e))) throw error("key '" + where + ".eval': no eval set named '" + e + "'");
        }
        if (r.prompt() != null) checkPrompt(r.prompt(), where + ".prompt");
        int max = r.maxNewTokens() == null ? 0 : r.maxNewTokens();
        if (max < 0) throw error("key '" + where + ".max-new-tokens': must be >= 0");
        Backend b = backend;
        if (r.endpoint() != null || r.servedModel() != null) {
            String endpoint = r.endpoint() != null ? r.endpoint() : backend.endpoint();
            if (endpoint == null) throw error("key '" + where + ".endpoint': served-model needs an endpoint here or under eval");
            b = new Backend(Backend.ENDPOINT, endpoint, r.servedModel() != null ? r.servedModel() : backend.servedModel(),
                    backend.apiKeyEnv(), backend.concurrency(), backend.batchSize(), backend.dtype());
        }
        for (String e : evalNames) {
            if (b.served() && sets.stream().anyMatch(s -> s.name().equals(e) && s.calculator())) {
                throw error("key 'eval.sets." + e + ".calculator': the calculator runs in the embedded engine only, and run '"
                        + name + "' is evaluated at an endpoint; serve the model with `mathtune serve --calculator` instead");
            }
        }
        if (b.served() && trains) throw error("key '" + where + "': a trained run is evaluated with the embedded backend; "
                + "give endpoint/served-model only to method none runs, or set eval.backend: embedded");
        String label = r.label() != null ? r.label() : trains ? DEFAULT_LABELS.get(method) : models.get(model).label();
        int shots = r.shots() == null ? -1 : r.shots();
        if (shots < -1) throw error("key '" + where + ".shots': must be >= 0 (or -1: the prompt's default)");
        return new Run(name, label, model, method, data, merged, evalNames, r.prompt(), max, b, shots);
    }

    private Map<String, String> options(Map<String, JsonNode> raw, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) return out;
        raw.forEach((k, v) -> {
            if (!TrainOptions.known(k)) {
                throw error("unknown key '" + where + "." + k + "' (not an option of 'mathtune train'; known: "
                        + String.join(", ", TrainOptions.DEFAULTS.keySet()) + ")");
            }
            if (v == null || v.isNull()) {
                out.put(k, null);
            } else if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asText()));
                out.put(k, String.join(",", parts));
            } else if (v.isValueNode()) {
                out.put(k, v.asText());
            } else {
                throw error("key '" + where + "." + k + "': expected a value or a list");
            }
        });
        return out;
    }

    private StudyTable study(JsonNode node) {
        if (node == null || node.isNull()) return StudyTable.none();
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "paper" -> StudyTable.paper();
                case "none" -> StudyTable.none();
                default -> throw error("key 'study': expected paper, none, or a table of label: {set: percent}");
            };
        }
        if (!node.isObject()) throw error("key 'study': expected paper, none, or a table of label: {set: percent}");
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        node.fields().forEachRemaining(row -> {
            if (!row.getValue().isObject()) throw error("key 'study." + row.getKey() + "': expected {set: percent}");
            Map<String, Double> sets = new LinkedHashMap<>();
            row.getValue().fields().forEachRemaining(c -> {
                if (!c.getValue().isNumber() || c.getValue().asDouble() < 0 || c.getValue().asDouble() > 100) {
                    throw error("key 'study." + row.getKey() + "." + c.getKey() + "': expected a percentage 0 to 100");
                }
                sets.put(c.getKey(), c.getValue().asDouble());
            });
            table.put(row.getKey(), sets);
        });
        return StudyTable.of(table);
    }

    private void checkPrompt(String prompt, String where) {
        try {
            PromptRegistry.info(prompt);
        } catch (UserError e) {
            throw error("key '" + where + "': " + e.getMessage());
        }
    }

    private void checkName(String name, String where) {
        if (!NAME.matcher(name).matches()) {
            throw error("key '" + where + "': '" + name + "' is not a valid name (letters, digits, . _ -)");
        }
    }

    private String required(String value, String key) {
        if (value == null || value.isBlank()) throw error("key '" + key + "': required");
        return value;
    }

    private static int count(Object... values) {
        int n = 0;
        for (Object v : values) if (v != null) n++;
        return n;
    }

    private UserError error(String problem) {
        return UserError.inFile(file, problem);
    }
}

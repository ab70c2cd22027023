package dev.mathtune.experiment;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mathtune.UserError;
import dev.mathtune.experiment.demo.Problem;
import dev.mathtune.experiment.demo.ProblemFile;
import dev.mathtune.experiment.demo.Scenario;
import dev.mathtune.experiment.demo.SyntheticEvolution;
import dev.mathtune.experiment.demo.SyntheticProblems;
import dev.mathtune.io.hub.HubDownloader;
import dev.mathtune.io.hub.RepoKind;

/**
 * Where each dataset of a recipe lives on disk, and getting it there: a local file is used as is; a file of a
 * Hub dataset is downloaded into {@code OUT/data/hub/<repo id>/}; synthetic problems are generated
 * (deterministically, from their seed) into {@code OUT/data/<name>.jsonl} in GSM8K's format.
 */
public final class DataStore {
    private final Map<String, Recipe.DataSource> datasets;
    private final Path out;
    private final PrintStream log;

    public DataStore(Map<String, Recipe.DataSource> datasets, Path out, PrintStream log) {
        this.datasets = datasets;
        this.out = out;
        this.log = log;
    }

    /** The file the dataset is (or will be) in. */
    public Path file(String name) {
        Recipe.DataSource d = source(name);
        if (d.isSynthetic()) return out.resolve("data").resolve(d.name() + ".jsonl");
        if (d.isHub()) return out.resolve("data").resolve("hub").resolve(d.hub()).resolve(d.file());
        return d.path();
    }

    public boolean present(String name) {
        return Files.isRegularFile(file(name));
    }

    /** The dataset's file, generating or downloading it first if needed. */
    public Path ensure(String name) {
        Recipe.DataSource d = source(name);
        Path file = file(name);
        if (Files.isRegularFile(file)) return file;
        if (d.isSynthetic()) {
            List<Problem> problems = problems(d);
            log.printf("writing %d synthetic problems to %s%n", problems.size(), file);
            ProblemFile.write(file, problems);
        } else if (d.isHub()) {
            Path dir = out.resolve("data").resolve("hub").resolve(d.hub());
            log.printf("downloading %s from dataset %s@%s%n", d.file(), d.hub(), d.revision());
            HubDownloader.fromEnvironment(null).download(d.hub(), RepoKind.DATASET, d.revision(), dir, List.of(d.file()));
        } else {
            throw UserError.inFile(file, "dataset file does not exist (datasets." + name + ".path)");
        }
        return file;
    }

    /** The problems of a synthetic dataset, the same every time. */
    public List<Problem> problems(Recipe.DataSource d) {
        Recipe.Synthetic s = d.synthetic();
        if (!s.mix().isEmpty()) {
            List<Problem> all = new java.util.ArrayList<>();
            for (String part : s.mix()) all.addAll(problems(source(part)));
            return all;
        }
        List<Problem> raw = uncued(d);
        if (s.cue() == null) return raw;
        return raw.stream().map(p -> new Problem(s.cue().strip() + " " + p.question(), p.answer(), p.finalAnswer(),
                p.level(), p.template())).toList();
    }

    /** The problems before any cue is written before their questions: what held-out checks compare. */
    private List<Problem> uncued(Recipe.DataSource d) {
        Recipe.Synthetic s = d.synthetic();
        SyntheticProblems source = new SyntheticProblems();
        if (s.augmentOf() == null) {
            List<Problem> avoid = s.heldOutFrom() == null ? List.of() : uncued(source(s.heldOutFrom()));
            return source.generateHeldOut(s.level(), s.count(), s.seed(), avoid, s.maxNumber());
        }
        Set<String> excluded = questions(s.heldOutFrom());
        Recipe.Synthetic seeds = source(s.augmentOf()).synthetic();
        List<Scenario> scenarios = source.scenarios(seeds.level(), seeds.count(), seeds.seed(),
                questions(seeds.heldOutFrom()), seeds.maxNumber());
        int limit = s.maxNumber() > 0 ? s.maxNumber() : seeds.maxNumber();
        return new SyntheticEvolution(source).augment(scenarios, s.variants(), s.phrasings(), s.seed(), excluded)
                .stream().filter(p -> SyntheticProblems.withinNumbers(p, limit)).toList();
    }

    private Set<String> questions(String name) {
        Set<String> out = new HashSet<>();
        if (name != null) uncued(source(name)).forEach(p -> out.add(p.question()));
        return out;
    }

    Recipe.DataSource source(String name) {
        Recipe.DataSource d = datasets.get(name);
        if (d == null) throw new UserError("no dataset named '" + name + "'");
        return d;
    }
}

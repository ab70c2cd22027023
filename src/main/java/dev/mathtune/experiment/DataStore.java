package dev.mathtune.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mathtune.UserError;
import dev.mathtune.data.DatasetFiles;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.experiment.demo.Problem;
import dev.mathtune.experiment.demo.ProblemFile;
import dev.mathtune.experiment.demo.Scenario;
import dev.mathtune.experiment.demo.SyntheticEvolution;
import dev.mathtune.experiment.demo.SyntheticProblems;
import dev.mathtune.io.hub.DatasetSplitFiles;
import dev.mathtune.io.hub.FilePattern;
import dev.mathtune.io.hub.HubDownloader;
import dev.mathtune.io.hub.HubFile;
import dev.mathtune.io.hub.RepoKind;
import dev.mathtune.io.hub.RepoListing;

/**
 * Where each dataset of a recipe lives on disk, and getting it there: a local file or glob is used as is; the files
 * of a Hub dataset are downloaded once into {@code CACHE/<repo id>} (or {@code CACHE/<repo id>@<revision>} for a
 * revision other than {@code main}; {@code CACHE} is {@code datasets} beside the model cache), keeping the
 * repository's layout, and a manifest {@code CACHE/<repo id>/.mathtune/<selection>.json} records the commit and
 * the files; a later run, online or offline, reads the manifest and asks the Hub nothing. With
 * {@code HF_HUB_OFFLINE=1} a dataset that is not in the cache is an error rather than a download. Synthetic
 * problems are generated (deterministically, from their seed) into {@code OUT/data/<name>.jsonl} in GSM8K's format.
 */
public final class DataStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Recipe.DataSource> datasets;
    private final Path out;
    private final Path cache;
    private final PrintStream log;
    private final Supplier<HubDownloader> hub;

    /** Where a Hub dataset's files came from: repo, revision asked for, commit, and files (repository paths). */
    public record HubOrigin(String repo, String revision, String commit, List<String> files) {
    }

    /** A store that reaches the Hub as the environment says ({@link HubDownloader#fromEnvironment(String)}). */
    public DataStore(Map<String, Recipe.DataSource> datasets, Path out, Path cache, PrintStream log) {
        this(datasets, out, cache, log, () -> HubDownloader.fromEnvironment(null));
    }

    /** A store that reaches the Hub through {@code hub}, asked for only when a download is due. */
    public DataStore(Map<String, Recipe.DataSource> datasets, Path out, Path cache, PrintStream log,
                     Supplier<HubDownloader> hub) {
        this.datasets = datasets;
        this.out = out;
        this.cache = cache;
        this.log = log;
        this.hub = hub;
    }

    /** The dataset cache beside a model cache: {@code ~/.cache/mathtune/models} gives {@code ~/.cache/mathtune/datasets}. */
    public static Path cacheBeside(Path modelCache) {
        Path abs = modelCache.toAbsolutePath().normalize();
        return abs.getParent() == null ? abs.resolve("datasets") : abs.resolveSibling("datasets");
    }

    /**
     * The file (or glob) the dataset is read from; for a Hub dataset not yet downloaded, its cache folder.
     * Several files of a Hub dataset are named as one glob, {@code DIR/{a/x.parquet,b/y.parquet}}.
     */
    public Path file(String name) {
        Recipe.DataSource d = source(name);
        if (d.isSynthetic()) return out.resolve("data").resolve(d.name() + ".jsonl");
        if (d.isHub()) {
            HubOrigin origin = origin(name);
            return origin == null ? hubDir(d) : readPath(hubDir(d), origin.files());
        }
        return d.path();
    }

    public boolean present(String name) {
        Recipe.DataSource d = source(name);
        if (d.isHub()) {
            HubOrigin origin = origin(name);
            return origin != null && origin.files().stream().allMatch(f -> Files.isRegularFile(hubDir(d).resolve(f)));
        }
        Path file = file(name);
        if (!DatasetFiles.isGlob(file)) return Files.isRegularFile(file);
        try {
            return !DatasetFiles.expand(file).isEmpty();
        } catch (UserError e) {
            return false;
        }
    }

    /** The Hub origin recorded when the dataset was downloaded; null for other datasets or before the download. */
    public HubOrigin origin(String name) {
        Recipe.DataSource d = source(name);
        Path manifest = d.isHub() ? manifest(d) : null;
        if (manifest == null || !Files.isRegularFile(manifest)) return null;
        try {
            return JSON.readValue(manifest.toFile(), HubOrigin.class);
        } catch (IOException e) {
            return null;   // a damaged manifest: download again
        }
    }

    /** The dataset's file (or glob), generating or downloading it first if needed. */
    public Path ensure(String name) {
        Recipe.DataSource d = source(name);
        if (present(name)) return file(name);
        if (d.isSynthetic()) {
            Path file = file(name);
            List<Problem> problems = problems(d);
            log.printf("writing %d synthetic problems to %s%n", problems.size(), file);
            ProblemFile.write(file, problems);
            return file;
        }
        if (d.isHub()) return download(d);
        throw UserError.inFile(file(name), "dataset file does not exist (datasets." + name + ".path)");
    }

    /** Lists the repository, picks the split's files (or the file glob), downloads them and writes the manifest. */
    private Path download(Recipe.DataSource d) {
        if (HubDownloader.offline()) {
            throw new UserError("dataset " + d.hub() + " (datasets." + d.name() + ") is not in the cache " + hubDir(d)
                    + " and HF_HUB_OFFLINE is set; run once with the network, or give a local path");
        }
        HubDownloader downloader = hub.get();
        RepoListing listing = downloader.list(d.hub(), RepoKind.DATASET, d.revision());
        List<HubFile> files = selectFiles(d, listing);
        log.printf("downloading dataset %s@%s (commit %s): %d files, %s%n", d.hub(), d.revision(), listing.commit(),
                files.size(), megabytes(RepoListing.bytes(files)));
        downloader.download(listing, files, hubDir(d));
        List<String> paths = files.stream().map(HubFile::path).toList();
        HubOrigin origin = new HubOrigin(d.hub(), d.revision(), listing.commit(), paths);
        try {
            AtomicFiles.writeString(manifest(d), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(origin) + "\n");
        } catch (IOException e) {
            throw UserError.inFile(manifest(d), "cannot write: " + e.getMessage());
        }
        return readPath(hubDir(d), paths);
    }

    /** The files of a Hub dataset: its split's ({@link DatasetSplitFiles}), or those matching its file glob. */
    static List<HubFile> selectFiles(Recipe.DataSource d, RepoListing listing) {
        if (d.split() != null) return DatasetSplitFiles.select(listing, d.configs(), d.split());
        FilePattern pattern = FilePattern.of(List.of(d.file()));
        List<HubFile> files = listing.files().stream().filter(f -> pattern.includes(f.path()))
                .sorted(Comparator.comparing(HubFile::path)).toList();
        if (files.isEmpty()) {
            throw new UserError("dataset " + d.hub() + "@" + d.revision() + ": no file matches '" + d.file()
                    + "' (datasets." + d.name() + ".file)" + listing.examples());
        }
        return files;
    }

    private Path hubDir(Recipe.DataSource d) {
        return cache.resolve(d.hub() + ("main".equals(d.revision()) ? "" : "@" + d.revision().replace('/', '~')));
    }

    private Path manifest(Recipe.DataSource d) {
        String selection = d.split() != null
                ? (d.configs().isEmpty() ? "" : String.join("+", d.configs()) + "-") + d.split()
                : "file-" + d.file();
        return hubDir(d).resolve(".mathtune").resolve(selection.replaceAll("[^A-Za-z0-9._+-]", "_") + ".json");
    }

    /** One file as its path, several as the glob {@code dir/{a,b,...}} that reads them in this order. */
    private static Path readPath(Path dir, List<String> files) {
        return files.size() == 1 ? dir.resolve(files.get(0)) : dir.resolve("{" + String.join(",", files) + "}");
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
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

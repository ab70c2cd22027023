package dev.mathtune.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mathtune.io.FileTrees;
import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.io.hub.DownloadResult;
import dev.mathtune.io.hub.HubDownloader;
import dev.mathtune.io.hub.RepoKind;
import dev.mathtune.model.CheckpointInit;
import dev.mathtune.model.Presets;

/**
 * Where each model of a recipe lives on disk, and getting it there: a Hub model is downloaded once into
 * {@code CACHE/<repo id>} (or {@code CACHE/<repo id>@<revision>} for a revision other than {@code main}) and
 * marked complete; a preset model is written with random weights into {@code OUT/models/<name>} (built in a
 * temporary folder, then renamed, so a killed run never leaves half a checkpoint); a local folder is used as is.
 */
public final class ModelStore {
    /** Written into a Hub model's folder once every file is downloaded. */
    public static final String COMPLETE = ".mathtune-complete";
    /** The files of a model repository a run needs. */
    static final List<String> MODEL_FILES = List.of("*.json", "*.safetensors", "*.txt", "*.jinja");

    private final Path cache;
    private final Path out;
    private final PrintStream log;

    public ModelStore(Path cache, Path out, PrintStream log) {
        this.cache = cache;
        this.out = out;
        this.log = log;
    }

    /** The default cache: {@code ~/.cache/mathtune/models}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "mathtune", "models");
    }

    /** The folder the model is (or will be) in. */
    public Path dir(Recipe.ModelSource m) {
        if (m.isHub()) return cache.resolve(m.hub() + ("main".equals(m.revision()) ? "" : "@" + m.revision()));
        if (m.isPreset()) return out.resolve("models").resolve(m.name());
        if (m.isRunOutput()) return out.resolve("runs").resolve(m.run()).resolve("train").resolve("final");
        return m.path();
    }

    /** Whether the model is ready to load (a preset that is not yet written counts as absent). */
    public boolean present(Recipe.ModelSource m) {
        Path dir = dir(m);
        if (m.isHub()) return Files.isRegularFile(dir.resolve(COMPLETE));
        if (m.isPreset()) return Files.isRegularFile(dir.resolve(COMPLETE));
        return Files.isRegularFile(dir.resolve("config.json"));
    }

    /** A line for {@code --dry-run}: where the model is and what a run would do to get it. */
    public String describe(Recipe.ModelSource m) {
        String what = m.isHub() ? m.hub() + "@" + m.revision() : m.isPreset() ? "preset " + m.preset() + " seed " + m.seed()
                : m.isRunOutput() ? "output of run " + m.run() : "local";
        String state = present(m) ? "present" : m.isHub() ? "missing: will download" : m.isPreset() ? "will create"
                : m.isRunOutput() ? "made by run " + m.run() : "MISSING";
        return what + " (" + state + ") " + dir(m);
    }

    /** The commit a Hub model was downloaded at, from its {@link #COMPLETE} marker; null when unknown. */
    public static String commit(Path dir) {
        try {
            String c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve(COMPLETE).toFile())
                    .path("commit").asText("");
            return c.isEmpty() ? null : c;
        } catch (IOException e) {
            return null;
        }
    }

    /** The model's folder, downloading or creating it first if needed. */
    public Path ensure(Recipe.ModelSource m) throws IOException {
        Path dir = dir(m);
        if (present(m)) return dir;
        if (m.isHub()) {
            if (HubDownloader.offline()) {
                throw new UserError("model " + m.hub() + " (models." + m.name() + ") is not in the cache " + dir
                        + " and HF_HUB_OFFLINE is set; run once with the network, or give a local path");
            }
            log.printf("downloading %s@%s into %s%n", m.hub(), m.revision(), dir);
            DownloadResult r = HubDownloader.fromEnvironment(null).download(m.hub(), RepoKind.MODEL, m.revision(), dir,
                    MODEL_FILES);
            AtomicFiles.writeString(dir.resolve(COMPLETE), "{\"repo\": \"" + m.hub() + "\", \"commit\": \""
                    + r.commit() + "\"}\n");
        } else if (m.isPreset()) {
            log.printf("creating %s: preset %s, seed %d, random weights%n", dir, m.preset(), m.seed());
            Path tmp = dir.resolveSibling(dir.getFileName() + ".partial");
            FileTrees.delete(tmp);
            CheckpointInit.write(Presets.get(m.preset()), tmp, DType.FP32, m.seed(), true);
            AtomicFiles.writeString(tmp.resolve(COMPLETE), "{\"preset\": \"" + m.preset() + "\", \"seed\": " + m.seed() + "}\n");
            FileTrees.delete(dir);
            Files.move(tmp, dir);
        } else if (m.isRunOutput()) {
            throw new UserError("model '" + m.name() + "' is the result of run '" + m.run() + "', which has not finished");
        } else {
            throw UserError.inFile(dir, "model folder has no config.json (models." + m.name() + ".path)");
        }
        return dir;
    }
}

package dev.mathtune.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import java.util.function.Supplier;

import dev.mathtune.UserError;
import dev.mathtune.io.hub.HubDownloader;

/**
 * A dataset argument of a command that names files of a Hub dataset the way pandas, DuckDB and {@code datasets}
 * read them: {@code hf://datasets/OWNER/NAME[@REVISION]/PATH}, where {@code PATH} may be a glob
 * ({@code hf://datasets/openai/gsm8k/main/train-*.parquet}). The files are fetched once into the dataset cache
 * ({@link DataStore}, beside {@code ~/.cache/mathtune/models}) and the local file or glob is returned; any other
 * argument is returned as it is.
 */
public final class HubDatasetPath {
    /** The prefix as a {@link Path} keeps it: the file system folds {@code hf://} into {@code hf:/}. */
    private static final String PREFIX = "hf:/datasets/";

    private HubDatasetPath() {
    }

    /** Whether {@code arg} names Hub files. */
    public static boolean isHub(Path arg) {
        return arg != null && arg.toString().startsWith(PREFIX);
    }

    /** The local file or glob for {@code arg}, downloading Hub files into the default cache first. */
    public static Path resolve(Path arg) {
        return resolve(arg, DataStore.cacheBeside(ModelStore.defaultCache()), () -> HubDownloader.fromEnvironment(null));
    }

    /** As {@link #resolve(Path)}, with the dataset cache {@code cache} and the Hub reached through {@code hub}. */
    public static Path resolve(Path arg, Path cache, Supplier<HubDownloader> hub) {
        if (!isHub(arg)) return arg;
        String[] parts = arg.toString().substring(PREFIX.length()).split("/", 3);
        if (parts.length < 3 || parts[2].isEmpty()) {
            throw new UserError("'" + arg + "': expected hf://datasets/OWNER/NAME[@REVISION]/PATH, e.g."
                    + " hf://datasets/openai/gsm8k/main/train-*.parquet");
        }
        int at = parts[1].indexOf('@');
        String repo = parts[0] + "/" + (at < 0 ? parts[1] : parts[1].substring(0, at));
        String revision = at < 0 ? "main" : parts[1].substring(at + 1);
        Recipe.DataSource source = new Recipe.DataSource("input", "input", null, repo, List.of(), null, parts[2],
                revision, null);
        return new DataStore(Map.of("input", source), Path.of("."), cache, System.err, hub).ensure("input");
    }
}

package dev.mathtune.io.hub;

import dev.mathtune.UserError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The data files of a Hub dataset repository that hold one split of some configs, after the file-name conventions
 * of the {@code datasets} library ({@code data_files} patterns): inside the config's folder (or the repository's
 * root without a config), a file {@code SPLIT.EXT}, shards {@code SPLIT-*.EXT}, or the same under {@code data/},
 * or any file in a folder {@code SPLIT/}; {@code EXT} is {@code parquet}, {@code jsonl} or {@code json}. Layouts
 * this covers (checked on the Hub's file pages): {@code openai/gsm8k} ({@code main/train-00000-of-00001.parquet},
 * {@code socratic/...}), {@code HuggingFaceH4/MATH-500} ({@code test.jsonl}), {@code EleutherAI/hendrycks_math}
 * (one folder per subject: {@code algebra/train-00000-of-00001.parquet}, ...). The files come in path order,
 * which is also the order {@link dev.mathtune.data.DatasetRows} reads them in, so several configs are merged in
 * the order of their folder names whatever order they are listed in.
 */
public final class DatasetSplitFiles {
    private static final String EXT = "\\.(parquet|jsonl|json)";

    private DatasetSplitFiles() {
    }

    /** The files of {@code split} in each of {@code configs} (empty: the repository's root), in path order. */
    public static List<HubFile> select(RepoListing listing, List<String> configs, String split) {
        List<HubFile> out = new ArrayList<>();
        for (String config : configs.isEmpty() ? List.of("") : configs) {
            Pattern p = pattern(config, split);
            List<HubFile> found = listing.files().stream().filter(f -> p.matcher(f.path()).matches()).toList();
            if (found.isEmpty()) {
                throw new UserError("dataset " + listing.repoId() + "@" + listing.revision() + ": no data files for "
                        + (config.isEmpty() ? "" : "config '" + config + "', ") + "split '" + split + "' (configs with data: "
                        + String.join(", ", configs(listing)) + ")" + listing.examples());
            }
            out.addAll(found);
        }
        out.sort(Comparator.comparing(HubFile::path));
        return out;
    }

    /** The top-level folders that hold data files (the configs of a folder-per-config layout), or "(root)". */
    static List<String> configs(RepoListing listing) {
        TreeSet<String> names = new TreeSet<>();
        Pattern data = Pattern.compile(".*" + EXT);
        for (HubFile f : listing.files()) {
            if (!data.matcher(f.path()).matches()) continue;
            int slash = f.path().indexOf('/');
            names.add(slash < 0 || f.path().startsWith("data/") ? "(root)" : f.path().substring(0, slash));
        }
        return List.copyOf(names);
    }

    private static Pattern pattern(String config, String split) {
        String dir = config.isEmpty() ? "" : Pattern.quote(config + "/");
        String s = Pattern.quote(split);
        return Pattern.compile(dir + "(data/)?(" + s + "|" + s + "-[^/]*)" + EXT + "|" + dir + s + "/[^/]+" + EXT);
    }
}

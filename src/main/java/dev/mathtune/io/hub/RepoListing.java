package dev.mathtune.io.hub;

import java.util.List;

/**
 * A repository's files at a revision, as the Hub's tree API lists them.
 *
 * @param repoId   e.g. {@code openai/gsm8k}
 * @param kind     model or dataset
 * @param revision what was asked for (branch, tag or commit)
 * @param commit   the commit it resolved to; files are fetched at this commit
 * @param files    every file, in the tree's order, with size and checksum
 */
public record RepoListing(String repoId, RepoKind kind, String revision, String commit, List<HubFile> files) {
    public RepoListing {
        files = List.copyOf(files);
    }

    /** Total size of {@code selected} in bytes (unknown sizes count 0). */
    public static long bytes(List<HubFile> selected) {
        return selected.stream().mapToLong(f -> Math.max(0, f.size())).sum();
    }

    /** A few of the repository's paths, for an error message: {@code " (README.md, main/test-..., ...)"}. */
    public String examples() {
        if (files.isEmpty()) return "";
        List<String> paths = files.stream().map(HubFile::path).limit(8).toList();
        return " (" + String.join(", ", paths) + (files.size() > paths.size() ? ", ..." : "") + ")";
    }
}

package dev.mathtune.io.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link HubDownloader#download} did.
 *
 * @param directory  where the files are
 * @param commit     the commit the revision resolved to
 * @param files      every selected file, in the repository's order
 * @param downloaded how many were fetched (in whole or resumed)
 * @param skipped    how many were already complete
 * @param bytes      bytes transferred
 */
public record DownloadResult(Path directory, String commit, List<Path> files, int downloaded, int skipped, long bytes) {
    public DownloadResult {
        files = List.copyOf(files);
    }
}

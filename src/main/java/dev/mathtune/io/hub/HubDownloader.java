package dev.mathtune.io.hub;

import dev.mathtune.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Downloads a model or dataset repository from the Hugging Face Hub into a directory, like
 * {@code huggingface-cli download}: lists the files through the API, keeps those matching the include globs, and
 * fetches each from {@code {base}/[datasets/]{id}/resolve/{rev}/{path}}. A file is written to {@code path.part},
 * resumed with {@code Range: bytes=N-} after an interruption (within the same call, up to {@code attempts} tries,
 * or in a later call), checked for size and checksum (SHA-256 of LFS files, git blob id of others), then renamed
 * into place. Files already complete are skipped. Progress goes to the given stream (normally stderr).
 */
public final class HubDownloader {
    /** The public Hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final HubApi api;
    private final HubHttp http;
    private final PrintStream progress;
    private final int attempts;
    private final long retryDelayMillis;

    /**
     * A downloader for {@code endpoint} with {@code token} (null: anonymous), progress on {@code progress}
     * (null: silent), {@code attempts} tries per file with {@code retryDelayMillis} times the attempt between them.
     */
    public HubDownloader(URI endpoint, String token, PrintStream progress, int attempts, long retryDelayMillis) {
        this(endpoint, token, progress, attempts, retryDelayMillis, System.getenv());
    }

    /** As above, with the proxy taken from {@code env} ({@link HubProxy}) rather than the process environment. */
    HubDownloader(URI endpoint, String token, PrintStream progress, int attempts, long retryDelayMillis,
                  Map<String, String> env) {
        this.http = new HubHttp(token, 60_000, attempts, retryDelayMillis, new HubProxy(env));
        this.api = new HubApi(endpoint, http);
        this.progress = progress;
        this.attempts = Math.max(1, attempts);
        this.retryDelayMillis = retryDelayMillis;
    }

    /**
     * A downloader set up from the environment: endpoint {@code HF_ENDPOINT} (default huggingface.co), token from
     * {@link HubToken} ({@code tokenEnv}, else {@code HF_TOKEN}, else the token file of {@code hf auth login}),
     * proxy from {@code https_proxy} and its kin ({@link HubProxy}), progress on stderr, 5 tries per file and per
     * throttled or failing request.
     */
    public static HubDownloader fromEnvironment(String tokenEnv) {
        return fromEnvironment(tokenEnv, null);
    }

    /** As {@link #fromEnvironment(String)}, with {@code endpoint} (when not null) overriding {@code HF_ENDPOINT}. */
    public static HubDownloader fromEnvironment(String tokenEnv, URI endpoint) {
        String env = System.getenv("HF_ENDPOINT");
        URI base = endpoint != null ? endpoint : env == null || env.isBlank() ? DEFAULT_ENDPOINT : URI.create(env.strip());
        return new HubDownloader(base, HubToken.fromEnvironment(tokenEnv), System.err, 5, 2_000);
    }

    /**
     * Whether {@code HF_HUB_OFFLINE} is set to a true value ({@code 1}, {@code true}, {@code yes}, {@code on}), as
     * {@code huggingface_hub} reads it: callers then use their cache and download nothing.
     */
    public static boolean offline() {
        String v = System.getenv("HF_HUB_OFFLINE");
        return v != null && List.of("1", "true", "yes", "on").contains(v.strip().toLowerCase(Locale.ROOT));
    }

    /** Downloads every file of the repository at {@code revision} (e.g. {@code main}) into {@code outDir}. */
    public DownloadResult download(String repoId, RepoKind kind, String revision, Path outDir) {
        return download(repoId, kind, revision, outDir, List.of());
    }

    /**
     * Downloads the files of the repository matching {@code includeGlobs} (empty: all) into {@code outDir},
     * keeping the repository's folder layout.
     *
     * @throws UserError for a bad repo id, missing access (401/403), a missing repo or file (404), a checksum or
     *                   size mismatch, no file matching the globs, or a network failure after all tries
     */
    public DownloadResult download(String repoId, RepoKind kind, String revision, Path outDir, List<String> includeGlobs) {
        RepoListing listing = list(repoId, kind, revision);
        FilePattern include = FilePattern.of(includeGlobs);
        List<HubFile> selected = listing.files().stream().filter(f -> include.includes(f.path())).toList();
        if (selected.isEmpty()) {
            throw new UserError(kind.label() + " " + repoId + "@" + revision + ": no file matches "
                    + (includeGlobs.isEmpty() ? "(the tree lists no file)" : String.join(" ", includeGlobs))
                    + " among its " + listing.files().size() + " files" + listing.examples());
        }
        return download(listing, selected, outDir);
    }

    /**
     * Lists the repository's files at {@code revision}: the commit it resolves to and every file's size and
     * checksum (the tree API, see {@link HubApi}).
     */
    public RepoListing list(String repoId, RepoKind kind, String revision) {
        checkRepoId(repoId);
        try {
            HubApi.Listing l = api.list(repoId, kind, revision);
            return new RepoListing(repoId, kind, revision, l.commit(), l.files());
        } catch (IOException e) {
            throw new UserError(kind.label() + " " + repoId + ": listing failed: " + e.getMessage(), e);
        }
    }

    /** Downloads {@code selected} files of a listing, at the listing's commit, into {@code outDir}. */
    public DownloadResult download(RepoListing listing, List<HubFile> selected, Path outDir) {
        String what = listing.kind().label() + " " + listing.repoId();
        try {
            List<Path> paths = new ArrayList<>();
            int downloaded = 0;
            long bytes = 0;
            for (HubFile file : selected) {
                Path target = targetPath(outDir, file.path(), what);
                paths.add(target);
                if (isComplete(target, file)) {
                    continue;
                }
                bytes += fetchWithRetries(api.resolveUri(listing.repoId(), listing.kind(), listing.commit(), file.path()),
                        file, target, what + " file " + file.path());
                downloaded++;
            }
            return new DownloadResult(outDir, listing.commit(), paths, downloaded, selected.size() - downloaded, bytes);
        } catch (IOException e) {
            throw new UserError(what + ": download failed: " + e.getMessage(), e);
        }
    }

    private static void checkRepoId(String repoId) {
        if (repoId == null || !repoId.matches("[A-Za-z0-9][\\w.\\-]*(/[\\w.\\-]+)?") || repoId.contains("..")) {
            throw new UserError("'" + repoId + "' is not a Hub repo id (expected NAME or OWNER/NAME, e.g. Qwen/Qwen2.5-0.5B)");
        }
    }

    /** {@code outDir/path}, refusing paths that would leave {@code outDir}. */
    private static Path targetPath(Path outDir, String path, String what) {
        Path target = outDir.resolve(path).normalize();
        if (path.startsWith("/") || !target.startsWith(outDir.normalize())) {
            throw new UserError(what + ": refusing file path '" + path + "' that leaves the output directory");
        }
        return target;
    }

    /** Whether {@code target} is this file already: its size and its checksum (when the Hub gives one) match. */
    static boolean isComplete(Path target, HubFile file) throws IOException {
        if (!Files.isRegularFile(target) || file.size() < 0 || Files.size(target) != file.size()) return false;
        if (file.sha256() != null) return FileDigest.sha256(target).equalsIgnoreCase(file.sha256());
        return file.gitOid() == null || FileDigest.gitBlobId(target).equalsIgnoreCase(file.gitOid());
    }

    /** Fetches one file, resuming after network failures; returns the bytes transferred. */
    private long fetchWithRetries(URI uri, HubFile file, Path target, String what) throws IOException {
        long transferred = 0;
        for (int attempt = 1; ; attempt++) {
            Path part = target.resolveSibling(target.getFileName() + ".part");
            long before = Files.isRegularFile(part) ? Files.size(part) : 0;
            try {
                fetch(uri, file, target, part, what);
                return transferred + Files.size(target) - before;
            } catch (UserError e) {
                throw e;
            } catch (IOException e) {
                transferred += Files.isRegularFile(part) ? Math.max(0, Files.size(part) - before) : 0;
                if (attempt >= attempts) {
                    throw new IOException(what + ": " + e.getMessage() + " (after " + attempt + " tries; run again to resume)", e);
                }
                if (progress != null) {
                    progress.println(what + ": " + e.getMessage() + "; resuming (try " + (attempt + 1) + " of " + attempts + ")");
                }
                HubHttp.sleep(retryDelayMillis * attempt);
            }
        }
    }

    /** One try: GET (ranged when a partial file exists), append or restart, verify, rename into place. */
    private void fetch(URI uri, HubFile file, Path target, Path part, String what) throws IOException {
        Files.createDirectories(target.getParent());
        long offset = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (file.size() >= 0 && offset > file.size()) {
            Files.delete(part);
            offset = 0;
        }
        String[] linkedEtag = new String[1];
        HttpURLConnection c = http.get(uri, offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of(), what,
                hop -> linkedEtag[0] = linkedEtag[0] != null ? linkedEtag[0] : etagSha256(hop));
        int status = c.getResponseCode();
        if (status == 416) {
            c.disconnect();
            if (file.size() < 0 || offset != file.size()) {
                Files.deleteIfExists(part);
                throw new IOException("server refused to resume at byte " + offset);
            }
        } else {
            boolean append = status == 206 && rangeStart(c) == offset;
            if (!append) {
                offset = 0;
            }
            long total = file.size() >= 0 ? file.size() : (c.getContentLengthLong() >= 0 ? offset + c.getContentLengthLong() : -1);
            copy(c, part, append, new ProgressMeter(progress, target.getFileName().toString(), total, offset));
        }
        verify(part, file, linkedEtag[0], what);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copy(HttpURLConnection c, Path part, boolean append, ProgressMeter meter) throws IOException {
        long expected = c.getContentLengthLong();
        long received = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = c.getInputStream();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                received += n;
                meter.advance(n);
            }
        }
        if (expected >= 0 && received < expected) {
            throw new IOException("connection closed after " + received + " of " + expected + " bytes");
        }
        meter.finish();
    }

    /** The first byte of a 206's {@code Content-Range: bytes START-END/TOTAL}, or -1. */
    private static long rangeStart(HttpURLConnection c) {
        String range = c.getHeaderField("Content-Range");
        if (range == null || !range.startsWith("bytes ")) {
            return -1;
        }
        try {
            return Long.parseLong(range.substring(6, range.indexOf('-')).strip());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The SHA-256 in {@code X-Linked-Etag} or {@code ETag} (LFS files), or null. */
    private static String etagSha256(HttpURLConnection c) {
        for (String header : new String[]{"X-Linked-Etag", "ETag"}) {
            String v = c.getHeaderField(header);
            if (v != null) {
                v = v.replace("W/", "").replace("\"", "").strip().toLowerCase(Locale.ROOT);
                if (SHA256.matcher(v).matches()) {
                    return v;
                }
            }
        }
        return null;
    }

    /** Checks size and checksum of the finished part file; on mismatch deletes it and throws. */
    private static void verify(Path part, HubFile file, String etagSha256, String what) throws IOException {
        long size = Files.size(part);
        if (file.size() >= 0 && size < file.size()) {
            throw new IOException("transfer ended at byte " + size + " of " + file.size());
        }
        if (file.size() >= 0 && size != file.size()) {
            Files.delete(part);
            throw new UserError(what + ": size mismatch: got " + size + " bytes, the Hub says " + file.size()
                    + "; the partial file was deleted, run again");
        }
        String expected = file.sha256() != null ? file.sha256() : file.gitOid() != null ? file.gitOid() : etagSha256;
        if (expected == null) {
            return;
        }
        boolean sha256 = file.sha256() != null || file.gitOid() == null;
        String actual = sha256 ? FileDigest.sha256(part) : FileDigest.gitBlobId(part);
        if (!actual.equalsIgnoreCase(expected)) {
            Files.delete(part);
            throw new UserError(what + ": checksum mismatch: " + (sha256 ? "sha256 " : "git blob id ") + actual
                    + ", expected " + expected + "; the downloaded file was deleted, run again");
        }
    }
}

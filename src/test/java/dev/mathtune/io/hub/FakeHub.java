package dev.mathtune.io.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for the Hugging Face Hub that answers as the real one does (as {@code huggingface_hub}'s
 * {@code file_download.py} and {@code hf_api.py} expect it to):
 * <ul>
 * <li>{@code /api/{models|datasets}/{id}/revision/{rev}}: {@code sha} and {@code siblings} (names only, as without
 * {@code ?blobs=true}); the revision is one URL-encoded path segment ({@code refs%2Fpr%2F1}); an unknown one is a
 * 404 with {@code X-Error-Code: RevisionNotFound}, an unknown repo a 401 with {@code RepoNotFound} (the Hub hides
 * whether a private repo exists).</li>
 * <li>{@code .../tree/{commit}?recursive=true}: directory and file entries ({@code oid}, {@code size}, {@code lfs}),
 * two a page, the next page in an absolute {@code Link: <URL>; rel="next"} header.</li>
 * <li>{@code [datasets/]{id}/resolve/{rev}/{path}}: LFS files (Parquet, safetensors) answer 302 to a CDN on
 * another host ({@code localhost} on a second port) with {@code X-Linked-Etag} (the SHA-256), {@code X-Linked-Size}
 * and {@code X-Repo-Commit}; the CDN serves Range requests and, like S3 behind CloudFront, rejects a request that
 * carries an {@code Authorization} header (400). Other files answer 307 with a relative {@code Location} to
 * {@code /api/resolve-cache/...}, which serves them with {@code ETag} (the git blob id) and {@code X-Repo-Commit}.</li>
 * <li>A gated repo answers 401 on resolve with {@code X-Error-Code: GatedRepo} unless the right token comes
 * (403 {@code GatedRepo} for another token); its listing stays public, as on the Hub.</li>
 * <li>Switches: answer the next request of a path with 429 and {@code Retry-After}, cut a transfer halfway,
 * corrupt a file, make a file unresolvable.</li>
 * </ul>
 */
public final class FakeHub implements AutoCloseable {
    public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String PR_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";

    /** One logged request: server ("hub" or "cdn"), path (decoded), Range and Authorization headers, and when. */
    public record Request(String server, String path, String range, String authorization, long nanos) {
    }

    private final HttpServer server;
    private final HttpServer cdn;
    private final ExecutorService pool = Executors.newFixedThreadPool(6);
    private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
    private final Map<String, String> gated = new ConcurrentHashMap<>();
    public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
    final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    final Set<String> unresolvable = ConcurrentHashMap.newKeySet();
    /** Path prefixes whose next request answers 429 with {@code Retry-After: retryAfterSeconds}. */
    final Set<String> throttleOnce = ConcurrentHashMap.newKeySet();
    volatile int retryAfterSeconds = 1;

    public FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        cdn.setExecutor(pool);
        server.createContext("/", this::handle);
        cdn.createContext("/", this::handleCdn);
        server.start();
        cdn.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private String cdnBase() {
        return "http://localhost:" + cdn.getAddress().getPort();
    }

    /** Adds a repo: {@code key} is {@code models/ID} or {@code datasets/ID}; files keep their paths' order. */
    public void addRepo(String key, Map<String, byte[]> files) {
        repos.put(key, new TreeMap<>(files));
    }

    /** Makes a repo gated: its files need {@code token}. */
    void gate(String key, String token) {
        gated.put(key, token);
    }

    static boolean isLfs(String path) {
        return path.endsWith(".safetensors") || path.endsWith(".parquet");
    }

    static String hex(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) {
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String gitOid(byte[] data) {
        return hex("SHA-1", ("blob " + data.length + "\0").getBytes(StandardCharsets.US_ASCII), data);
    }

    /** The raw path split into URL-decoded segments: an encoded {@code %2F} stays inside its segment. */
    private static List<String> segments(HttpExchange ex) {
        return Arrays.stream(ex.getRequestURI().getRawPath().substring(1).split("/", -1))
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
    }

    private void log(String which, HttpExchange ex) {
        requests.add(new Request(which, ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization"), System.nanoTime()));
    }

    private void handle(HttpExchange ex) throws IOException {
        log("hub", ex);
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (throttled(ex, path)) {
                return;
            }
            List<String> seg = segments(ex);
            if (seg.size() >= 2 && seg.get(0).equals("api") && seg.get(1).equals("resolve-cache")) {
                resolveCache(ex, seg.subList(2, seg.size()));
            } else if (seg.get(0).equals("api")) {
                api(ex, seg.subList(1, seg.size()));
            } else {
                resolve(ex, seg);
            }
        } catch (IOException e) {
            // a cut connection
        }
    }

    private boolean throttled(HttpExchange ex, String path) throws IOException {
        for (String prefix : throttleOnce) {
            if (path.startsWith(prefix) && throttleOnce.remove(prefix)) {
                ex.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
                send(ex, 429, "{\"error\":\"Too many requests\"}");
                return true;
            }
        }
        return false;
    }

    /** The commit a revision names, or null. */
    private static String commitOf(String revision) {
        return switch (revision) {
            case "main", COMMIT -> COMMIT;
            case "refs/pr/1", PR_COMMIT -> PR_COMMIT;
            default -> null;
        };
    }

    /** {@code api/{kind}/{owner}/{name}/{revision|tree}/{rev}}. */
    private void api(HttpExchange ex, List<String> p) throws IOException {
        if (p.size() < 5) {
            send(ex, 404, "{\"error\":\"Not found\"}");
            return;
        }
        String key = p.get(0) + "/" + p.get(1) + "/" + p.get(2);
        Map<String, byte[]> files = repos.get(key);
        if (files == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return;
        }
        String commit = commitOf(p.get(4));
        if (commit == null || p.size() > 5) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + p.get(4));
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        if (p.get(3).equals("revision")) {
            ObjectNode info = mapper.createObjectNode().put("id", p.get(1) + "/" + p.get(2)).put("sha", commit);
            ArrayNode siblings = info.putArray("siblings");
            files.keySet().forEach(f -> siblings.addObject().put("rfilename", f));
            send(ex, 200, mapper.writeValueAsString(info));
        } else if (p.get(3).equals("tree")) {
            tree(ex, mapper, files);
        } else {
            send(ex, 404, "{\"error\":\"Not found\"}");
        }
    }

    /** Directory and file entries in path order, two a page. */
    private void tree(HttpExchange ex, ObjectMapper mapper, Map<String, byte[]> files) throws IOException {
        TreeSet<String> dirs = new TreeSet<>();
        for (String f : files.keySet()) {
            for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
                dirs.add(f.substring(0, i));
            }
        }
        TreeSet<String> entries = new TreeSet<>(files.keySet());
        entries.addAll(dirs);
        List<String> names = new ArrayList<>(entries);
        String query = ex.getRequestURI().getQuery();
        int cursor = query != null && query.contains("cursor=") ? Integer.parseInt(query.replaceAll(".*cursor=(\\d+).*", "$1")) : 0;
        ArrayNode page = mapper.createArrayNode();
        for (int i = cursor; i < Math.min(cursor + 2, names.size()); i++) {
            String name = names.get(i);
            if (dirs.contains(name)) {
                page.addObject().put("type", "directory").put("oid", hex("SHA-1", name.getBytes(StandardCharsets.UTF_8)))
                        .put("size", 0).put("path", name);
                continue;
            }
            byte[] data = files.get(name);
            ObjectNode e = page.addObject().put("type", "file").put("oid", gitOid(data)).put("size", data.length)
                    .put("path", name);
            if (isLfs(name)) {
                e.put("oid", gitOid(("version https://git-lfs.github.com/spec/v1\noid sha256:" + hex("SHA-256", data)
                        + "\nsize " + data.length + "\n").getBytes(StandardCharsets.UTF_8)));
                e.putObject("lfs").put("oid", hex("SHA-256", data)).put("size", data.length).put("pointerSize", 134);
            }
        }
        if (cursor + 2 < names.size()) {
            ex.getResponseHeaders().add("Link", "<" + endpoint() + ex.getRequestURI().getRawPath()
                    + "?recursive=true&expand=false&cursor=" + (cursor + 2) + ">; rel=\"next\"");
        }
        send(ex, 200, mapper.writeValueAsString(page));
    }

    /** {@code [datasets/]OWNER/NAME/resolve/REV/PATH...}. */
    private void resolve(HttpExchange ex, List<String> seg) throws IOException {
        String kind = seg.get(0).equals("datasets") ? "datasets" : "models";
        List<String> p = kind.equals("datasets") ? seg.subList(1, seg.size()) : seg;
        if (p.size() < 5 || !p.get(2).equals("resolve")) {
            send(ex, 404, "{\"error\":\"Not found\"}");
            return;
        }
        String repo = kind + "/" + p.get(0) + "/" + p.get(1);
        String file = String.join("/", p.subList(4, p.size()));
        Map<String, byte[]> files = repos.get(repo);
        String commit = commitOf(p.get(3));
        if (files == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return;
        }
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + p.get(3));
            return;
        }
        if (gated.containsKey(repo)) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + gated.get(repo))) {
                error(ex, auth == null ? 401 : 403, "GatedRepo", "Access to " + repo + " is restricted. You must have"
                        + " access to it and be authenticated to access it. Please log in.");
                return;
            }
        }
        if (!files.containsKey(file) || unresolvable.contains(file)) {
            error(ex, 404, "EntryNotFound", "Entry not found");
            return;
        }
        byte[] data = files.get(file);
        ex.getResponseHeaders().add("X-Repo-Commit", commit);
        if (isLfs(file)) {
            ex.getResponseHeaders().add("X-Linked-Etag", "\"" + hex("SHA-256", data) + "\"");
            ex.getResponseHeaders().add("X-Linked-Size", Integer.toString(data.length));
            ex.getResponseHeaders().add("ETag", "W/\"" + gitOid(data) + "\"");
            ex.getResponseHeaders().add("Location", cdnBase() + "/repos/" + hex("SHA-256", data) + "?file=" + file
                    + "&repo=" + repo + "&X-Amz-Signature=abc");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        ex.getResponseHeaders().add("ETag", "\"" + gitOid(data) + "\"");
        ex.getResponseHeaders().add("Location", "/api/resolve-cache/" + repo + "/" + commit + "/" + file + "?etag="
                + gitOid(data));
        ex.sendResponseHeaders(307, -1);
    }

    /** {@code api/resolve-cache/{kind}/{owner}/{name}/{commit}/{path}}. */
    private void resolveCache(HttpExchange ex, List<String> p) throws IOException {
        String repo = p.get(0) + "/" + p.get(1) + "/" + p.get(2);
        String file = String.join("/", p.subList(4, p.size()));
        byte[] data = repos.get(repo).get(file);
        ex.getResponseHeaders().add("X-Repo-Commit", p.get(3));
        ex.getResponseHeaders().add("ETag", "\"" + gitOid(data) + "\"");
        serveFile(ex, file, data);
    }

    private void handleCdn(HttpExchange ex) throws IOException {
        log("cdn", ex);
        try (ex) {
            if (ex.getRequestHeaders().getFirst("Authorization") != null) {
                ex.getResponseHeaders().add("Content-Type", "application/xml");
                send(ex, 400, "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the"
                        + " X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization"
                        + " header should be specified</Message></Error>");
                return;
            }
            String query = ex.getRequestURI().getQuery();
            String file = query.replaceAll(".*file=([^&]*).*", "$1");
            String repo = query.replaceAll(".*repo=([^&]*).*", "$1");
            serveFile(ex, file, repos.get(repo).get(file));
        } catch (IOException e) {
            // a cut connection
        }
    }

    private void serveFile(HttpExchange ex, String file, byte[] original) throws IOException {
        byte[] data = original.clone();
        if (corrupt.contains(file)) {
            data[data.length / 2] ^= 0x55;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int start = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
        if (start >= data.length && data.length > 0) {
            ex.sendResponseHeaders(416, -1);
            return;
        }
        if (range != null) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
        }
        ex.sendResponseHeaders(range == null ? 200 : 206, data.length - start);
        OutputStream out = ex.getResponseBody();
        if (cutOnce.remove(file)) {
            out.write(data, start, (data.length - start) / 2);
            out.flush();
            throw new IOException("cut");   // closing short of Content-Length drops the connection
        }
        out.write(data, start, data.length - start);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        ex.getResponseHeaders().add("X-Error-Code", code);
        ex.getResponseHeaders().add("X-Error-Message", message);
        send(ex, status, "{\"error\":\"" + message + "\"}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        cdn.stop(0);
        pool.shutdownNow();
    }
}

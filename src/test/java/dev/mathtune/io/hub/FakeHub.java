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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for the Hugging Face Hub: revision and tree APIs (tree paginated two entries a page), resolve
 * URLs that redirect LFS files to a CDN path, Range requests, and switches to cut a transfer, corrupt a file or
 * require a token.
 */
final class FakeHub implements AutoCloseable {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** One logged request: its path and its Range and Authorization headers (null when absent). */
    record Request(String path, String range, String authorization) {
    }

    private final HttpServer server;
    private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final Set<String> cutOnce = ConcurrentHashMap.newKeySet();
    final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    final Set<String> unresolvable = ConcurrentHashMap.newKeySet();
    volatile String requiredToken;
    volatile boolean treeApi = true;

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Adds a repo: {@code key} is {@code models/ID} or {@code datasets/ID}. */
    void addRepo(String key, Map<String, byte[]> files) {
        repos.put(key, new LinkedHashMap<>(files));
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

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(path, ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization")));
        try (ex) {
            if (requiredToken != null && !path.startsWith("/cdn/")
                    && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "{\"error\":\"Invalid credentials\"}");
            } else if (path.startsWith("/api/")) {
                api(ex, path.substring("/api/".length()));
            } else if (path.startsWith("/cdn/")) {
                String[] p = path.substring(5).split("/", 3);
                serveFile(ex, p[0] + "/" + p[1], p[2]);
            } else {
                resolve(ex, path.substring(1));
            }
        } catch (IOException e) {
            // a cut connection
        }
    }

    private void api(HttpExchange ex, String rest) throws IOException {
        String[] p = rest.split("/");   // kind, owner, name, action, revision
        Map<String, byte[]> files = repos.get(p[0] + "/" + p[1] + "/" + p[2]);
        if (files == null || p.length < 5) {
            send(ex, 404, "{\"error\":\"Repository not found\"}");
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        if (p[3].equals("revision")) {
            ObjectNode info = mapper.createObjectNode().put("id", p[1] + "/" + p[2]).put("sha", COMMIT);
            ArrayNode siblings = info.putArray("siblings");
            files.keySet().forEach(f -> siblings.addObject().put("rfilename", f));
            send(ex, 200, mapper.writeValueAsString(info));
        } else if (p[3].equals("tree") && treeApi) {
            tree(ex, mapper, files);
        } else {
            send(ex, 404, "{\"error\":\"Not found\"}");
        }
    }

    private void tree(HttpExchange ex, ObjectMapper mapper, Map<String, byte[]> files) throws IOException {
        String query = ex.getRequestURI().getQuery();
        int cursor = query != null && query.contains("cursor=") ? Integer.parseInt(query.replaceAll(".*cursor=(\\d+).*", "$1")) : 0;
        List<String> names = new ArrayList<>(files.keySet());
        ArrayNode page = mapper.createArrayNode();
        for (int i = cursor; i < Math.min(cursor + 2, names.size()); i++) {
            byte[] data = files.get(names.get(i));
            ObjectNode e = page.addObject().put("type", "file").put("path", names.get(i)).put("size", data.length)
                    .put("oid", hex("SHA-1", ("blob " + data.length + "\0").getBytes(StandardCharsets.US_ASCII), data));
            if (isLfs(names.get(i))) {
                e.putObject("lfs").put("oid", hex("SHA-256", data)).put("size", data.length).put("pointerSize", 134);
            }
        }
        if (cursor + 2 < names.size()) {
            ex.getResponseHeaders().add("Link", "<" + ex.getRequestURI().getPath() + "?recursive=true&cursor="
                    + (cursor + 2) + ">; rel=\"next\"");
        }
        send(ex, 200, mapper.writeValueAsString(page));
    }

    /** {@code [datasets/]OWNER/NAME/resolve/REV/PATH}: LFS files redirect to the CDN. */
    private void resolve(HttpExchange ex, String rest) throws IOException {
        String kind = rest.startsWith("datasets/") ? "datasets" : "models";
        String[] p = (kind.equals("datasets") ? rest.substring(9) : rest).split("/", 5);
        if (p.length < 5 || !p[2].equals("resolve")) {
            send(ex, 404, "{\"error\":\"Not found\"}");
            return;
        }
        String repo = kind + "/" + p[0] + "/" + p[1];
        Map<String, byte[]> files = repos.get(repo);
        if (files == null || !files.containsKey(p[4]) || unresolvable.contains(p[4])) {
            ex.getResponseHeaders().add("X-Error-Message", "Entry not found");
            send(ex, 404, "");
            return;
        }
        if (isLfs(p[4])) {
            ex.getResponseHeaders().add("X-Linked-Etag", "\"" + hex("SHA-256", files.get(p[4])) + "\"");
            ex.getResponseHeaders().add("Location", "/cdn/" + repo.replace("/", "~").replaceFirst("~", "/") + "/" + p[4]);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        serveFile(ex, repo, p[4]);
    }

    private void serveFile(HttpExchange ex, String repoKey, String file) throws IOException {
        String repo = repoKey.contains("~") ? repoKey.replace("~", "/") : repoKey;
        byte[] data = repos.get(repo).get(file).clone();
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

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

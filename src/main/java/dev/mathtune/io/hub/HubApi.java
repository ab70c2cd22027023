package dev.mathtune.io.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hub's JSON API for listing a repository, as {@code huggingface_hub}'s {@code repo_info} and
 * {@code list_repo_tree} use it: {@code GET /api/{models|datasets}/{id}/revision/{rev}} for the commit
 * ({@code sha}; a revision such as {@code refs/pr/1} is sent URL-encoded as one segment), then
 * {@code GET /api/{kind}/{id}/tree/{commit}?recursive=true}, paginated by {@code Link: <URL>; rel="next"} (an
 * absolute URL on the Hub), for every file with its {@code size} and checksum ({@code lfs.oid}, the SHA-256, for
 * LFS files; {@code oid}, the git blob id, for others). Directory entries are skipped. The revision answer's
 * {@code siblings} are not used: they carry neither sizes nor checksums.
 */
final class HubApi {
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final URI endpoint;
    private final HubHttp http;
    private final ObjectMapper mapper = new ObjectMapper();

    HubApi(URI endpoint, HubHttp http) {
        this.endpoint = endpoint;
        this.http = http;
    }

    /** A repository's files at a revision, in the tree's order. */
    record Listing(String commit, List<HubFile> files) {
    }

    /** Lists the files of {@code repoId} at {@code revision}, with sizes and checksums. */
    Listing list(String repoId, RepoKind kind, String revision) throws IOException {
        String what = kind.label() + " " + repoId + "@" + revision;
        JsonNode info = parse(http.getText(api(kind, repoId, "revision", revision, ""), what), what);
        String commit = info.path("sha").asText("");
        if (commit.isEmpty()) throw new UserError(what + ": the Hub's answer names no commit ('sha')");
        return new Listing(commit, tree(repoId, kind, commit, what));
    }

    private List<HubFile> tree(String repoId, RepoKind kind, String commit, String what) throws IOException {
        List<HubFile> files = new ArrayList<>();
        URI next = api(kind, repoId, "tree", commit, "?recursive=true");
        while (next != null) {
            HttpURLConnection c = http.get(next, Map.of("Accept", "application/json"), what + " tree");
            JsonNode page;
            try (var in = c.getInputStream()) {
                page = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), what + " tree");
            }
            for (JsonNode entry : page) {
                if ("file".equals(entry.path("type").asText())) files.add(fromTreeEntry(entry));
            }
            next = nextLink(next, c.getHeaderField("Link"));
        }
        return files;
    }

    private static HubFile fromTreeEntry(JsonNode entry) {
        JsonNode lfs = entry.path("lfs");
        String sha256 = lfs.isObject() ? text(lfs, "oid", text(lfs, "sha256", null)) : null;
        long size = lfs.isObject() && lfs.has("size") ? lfs.path("size").asLong() : entry.path("size").asLong(-1);
        return new HubFile(entry.path("path").asText(), size, sha256, sha256 == null ? text(entry, "oid", null) : null);
    }

    /** The URL of a file's content: {@code {base}/[datasets/]{id}/resolve/{rev}/{path}}. */
    URI resolveUri(String repoId, RepoKind kind, String revision, String path) {
        return URI.create(base() + "/" + kind.resolvePrefix() + repoId + "/resolve/" + encodeSegment(revision) + "/"
                + encodePath(path));
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : fallback;
    }

    private JsonNode parse(String body, String what) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new UserError(what + ": the Hub API answered with something that is not JSON");
        }
    }

    private URI api(RepoKind kind, String repoId, String action, String revision, String query) {
        return URI.create(base() + "/api/" + kind.apiSegment() + "/" + repoId + "/" + action + "/"
                + encodeSegment(revision) + query);
    }

    private String base() {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static URI nextLink(URI current, String link) {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT_LINK.matcher(link);
        return m.find() ? current.resolve(m.group(1)) : null;
    }

    /** Percent-encodes one path segment (a revision like {@code refs/pr/1} becomes {@code refs%2Fpr%2F1}). */
    static String encodeSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-encodes each segment of a file path, keeping the slashes. */
    static String encodePath(String path) {
        return java.util.Arrays.stream(path.split("/", -1)).map(HubApi::encodeSegment)
                .collect(java.util.stream.Collectors.joining("/"));
    }
}

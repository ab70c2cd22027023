package dev.mathtune.io.hub;

import dev.mathtune.UserError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubDownloaderTest {
    @TempDir
    Path out;
    private FakeHub hub;
    private Map<String, byte[]> model;
    private Map<String, byte[]> dataset;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        byte[] weights = new byte[48 * 1024];
        new Random(1).nextBytes(weights);
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[12288],\"data_offsets\":[0,49152]}}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(header, 0, weights, 8, header.length);
        weights[0] = (byte) header.length;
        model = new LinkedHashMap<>();
        model.put("config.json", "{\"model_type\":\"qwen2\",\"hidden_size\":64}".getBytes(StandardCharsets.UTF_8));
        model.put("model.safetensors", weights);
        model.put("tokenizer_config.json", "{\"eos_token\":\"<|im_end|>\"}".getBytes(StandardCharsets.UTF_8));
        model.put("README.md", "# tiny".getBytes(StandardCharsets.UTF_8));
        model.put("sub/extra.json", "{}".getBytes(StandardCharsets.UTF_8));
        hub.addRepo("models/acme/tiny", model);
        dataset = new LinkedHashMap<>();
        dataset.put("data/test.jsonl", "{\"question\":\"1+1?\",\"answer\":\"2\"}\n".repeat(200).getBytes(StandardCharsets.UTF_8));
        hub.addRepo("datasets/acme/gsm", dataset);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubDownloader downloader(String token) {
        return new HubDownloader(hub.endpoint(), token, new PrintStream(progress, true), 3, 10);
    }

    @Test
    void downloadsAModelWithVerifiedChecksums() throws IOException {
        DownloadResult result = downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out);
        assertEquals(FakeHub.COMMIT, result.commit());
        assertEquals(5, result.downloaded());
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(out.resolve(e.getKey())), e.getKey());
            assertFalse(Files.exists(out.resolve(e.getKey() + ".part")));
        }
        assertTrue(hub.requests.stream().anyMatch(r -> r.server().equals("cdn")), "LFS redirect followed");
        assertTrue(hub.requests.stream().anyMatch(r -> r.path().startsWith("/api/resolve-cache/models/acme/tiny/")),
                "relative redirect followed");
        assertTrue(hub.requests.stream().anyMatch(r -> r.path().equals("/acme/tiny/resolve/" + FakeHub.COMMIT + "/sub/extra.json")));
        assertTrue(progress.toString().contains("model.safetensors: 48.0 KB / 48.0 KB (100%)"), progress.toString());
    }

    @Test
    void includeGlobsSelectFiles() {
        DownloadResult result = downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out,
                List.of("*.json", "*.safetensors"));
        assertEquals(4, result.files().size());
        assertTrue(Files.exists(out.resolve("sub/extra.json")));
        assertFalse(Files.exists(out.resolve("README.md")));
        UserError e = assertThrows(UserError.class, () -> downloader(null).download("acme/tiny", RepoKind.MODEL, "main",
                out, List.of("*.bin")));
        assertTrue(e.getMessage().contains("no file matches *.bin"), e.getMessage());
    }

    @Test
    void downloadsADataset() throws IOException {
        DownloadResult result = downloader(null).download("acme/gsm", RepoKind.DATASET, "main", out);
        assertEquals(List.of(out.resolve("data/test.jsonl")), result.files());
        assertArrayEquals(dataset.get("data/test.jsonl"), Files.readAllBytes(out.resolve("data/test.jsonl")));
        assertTrue(hub.requests.stream().anyMatch(r -> r.path().startsWith("/api/datasets/acme/gsm/revision/main")));
        assertTrue(hub.requests.stream().anyMatch(r -> r.path().startsWith("/datasets/acme/gsm/resolve/")));
    }

    @Test
    void interruptedDownloadResumesWithRange() throws IOException {
        hub.cutOnce.add("model.safetensors");
        hub.cutOnce.add("data/test.jsonl");
        downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out);
        assertArrayEquals(model.get("model.safetensors"), Files.readAllBytes(out.resolve("model.safetensors")));
        List<FakeHub.Request> cdn = hub.requests.stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(2, cdn.size());
        assertEquals(null, cdn.get(0).range());
        assertEquals("bytes=" + 24 * 1024 + "-", cdn.get(1).range());
        assertTrue(progress.toString().contains("resuming"), progress.toString());

        downloader(null).download("acme/gsm", RepoKind.DATASET, "main", out);
        assertArrayEquals(dataset.get("data/test.jsonl"), Files.readAllBytes(out.resolve("data/test.jsonl")));
    }

    @Test
    void partFileFromAnEarlierRunIsResumed() throws IOException {
        byte[] weights = model.get("model.safetensors");
        Files.write(out.resolve("model.safetensors.part"), java.util.Arrays.copyOf(weights, 1000));
        DownloadResult result = downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out, List.of("*.safetensors"));
        assertArrayEquals(weights, Files.readAllBytes(out.resolve("model.safetensors")));
        assertEquals(weights.length - 1000, result.bytes());
        assertTrue(hub.requests.stream().anyMatch(r -> "bytes=1000-".equals(r.range())));
    }

    @Test
    void corruptedFileFailsTheChecksumAndIsDeleted() {
        hub.corrupt.add("model.safetensors");
        UserError e = assertThrows(UserError.class, () -> downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        assertFalse(Files.exists(out.resolve("model.safetensors.part")));
    }

    @Test
    void corruptedSmallFileFailsTheGitBlobCheck() {
        hub.corrupt.add("config.json");
        UserError e = assertThrows(UserError.class, () -> downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out));
        assertTrue(e.getMessage().contains("config.json: checksum mismatch: git blob id"), e.getMessage());
    }

    @Test
    void missingRepoRevisionAndFileSayWhichInOneLine() {
        UserError repo = assertThrows(UserError.class, () -> downloader(null).download("acme/nope", RepoKind.MODEL, "main", out));
        assertTrue(repo.getMessage().startsWith("model acme/nope: listing failed") || repo.getMessage().startsWith(
                "model acme/nope@main: HTTP 401, no such repo, or a private one"), repo.getMessage());
        assertTrue(repo.getMessage().contains("no such repo, or a private one"), repo.getMessage());
        UserError rev = assertThrows(UserError.class, () -> downloader(null).download("acme/tiny", RepoKind.MODEL, "v9", out));
        assertTrue(rev.getMessage().contains("no such revision"), rev.getMessage());
        hub.unresolvable.add("README.md");
        UserError file = assertThrows(UserError.class, () -> downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out));
        assertTrue(file.getMessage().startsWith("model acme/tiny file README.md: HTTP 404, no such file"), file.getMessage());
        assertTrue(file.getMessage().contains("Entry not found"), file.getMessage());
        UserError badId = assertThrows(UserError.class, () -> downloader(null).download("../etc", RepoKind.MODEL, "main", out));
        assertTrue(badId.getMessage().contains("not a Hub repo id"), badId.getMessage());
        for (UserError e : List.of(repo, rev, file)) {
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertFalse(e.getMessage().contains("empty"), e.getMessage());
        }
    }

    @Test
    void gatedRepoSaysSoAndTheTokenNeverReachesTheCdn() throws IOException {
        hub.gate("models/acme/tiny", "secret");
        UserError e = assertThrows(UserError.class, () -> downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out));
        assertTrue(e.getMessage().contains("HTTP 401, a gated repo") && e.getMessage().contains("set HF_TOKEN"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        UserError wrong = assertThrows(UserError.class, () -> downloader("nope").download("acme/tiny", RepoKind.MODEL, "main", out));
        assertTrue(wrong.getMessage().contains("HTTP 403, a gated repo"), wrong.getMessage());

        hub.requests.clear();
        downloader("secret").download("acme/tiny", RepoKind.MODEL, "main", out);
        assertArrayEquals(model.get("model.safetensors"), Files.readAllBytes(out.resolve("model.safetensors")));
        assertTrue(hub.requests.stream().filter(r -> r.server().equals("hub")).allMatch(r -> "Bearer secret".equals(r.authorization())),
                "the Hub gets the token");
        List<FakeHub.Request> cdn = hub.requests.stream().filter(r -> r.server().equals("cdn")).toList();
        assertEquals(1, cdn.size());
        assertEquals(null, cdn.get(0).authorization(), "the CDN on another host gets no token");
    }

    @Test
    void throttledCallsWaitForRetryAfter() throws IOException {
        hub.throttleOnce.add("/api/models/acme/tiny/revision/");
        hub.throttleOnce.add("/acme/tiny/resolve/");
        downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out, List.of("config.json"));
        assertArrayEquals(model.get("config.json"), Files.readAllBytes(out.resolve("config.json")));
        for (String prefix : List.of("/api/models/acme/tiny/revision/", "/acme/tiny/resolve/")) {
            List<FakeHub.Request> tries = hub.requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
            assertEquals(2, tries.size(), prefix);
            long waitedMillis = (tries.get(1).nanos() - tries.get(0).nanos()) / 1_000_000;
            assertTrue(waitedMillis >= 950, prefix + ": retried after " + waitedMillis + " ms, Retry-After asked 1000");
        }
    }

    @Test
    void listsFilesFromThePaginatedTreeWithSizesAndChecksums() {
        RepoListing listing = downloader(null).list("acme/tiny", RepoKind.MODEL, "main");
        assertEquals(List.of("README.md", "config.json", "model.safetensors", "sub/extra.json", "tokenizer_config.json"),
                listing.files().stream().map(HubFile::path).toList());
        for (HubFile f : listing.files()) {
            byte[] data = model.get(f.path());
            assertEquals(data.length, f.size(), f.path());
            if (f.path().endsWith(".safetensors")) {
                assertEquals(FakeHub.hex("SHA-256", data), f.sha256());
            } else {
                assertEquals(FakeHub.gitOid(data), f.gitOid(), f.path());
            }
        }
        assertTrue(hub.requests.stream().filter(r -> r.path().contains("/tree/")).count() >= 3, "followed the Link pages");
    }

    @Test
    void revisionWithASlashIsOneEncodedSegment() {
        DownloadResult r = downloader(null).download("acme/tiny", RepoKind.MODEL, "refs/pr/1", out, List.of("config.json"));
        assertEquals(FakeHub.PR_COMMIT, r.commit());
        assertTrue(hub.requests.stream().anyMatch(q -> q.path().equals("/acme/tiny/resolve/" + FakeHub.PR_COMMIT + "/config.json")));
    }

    @Test
    void aStaleFileOfTheRightSizeIsFetchedAgain() throws IOException {
        byte[] stale = model.get("config.json").clone();
        stale[3] ^= 1;
        Files.write(out.resolve("config.json"), stale);
        DownloadResult r = downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out, List.of("config.json"));
        assertEquals(1, r.downloaded());
        assertArrayEquals(model.get("config.json"), Files.readAllBytes(out.resolve("config.json")));
    }

    @Test
    void requestsGoThroughTheProxyFromTheEnvironment() throws IOException {
        HubDownloader viaProxy = new HubDownloader(URI.create("http://hub.invalid"), null, null, 2, 10,
                Map.of("http_proxy", "127.0.0.1:" + hub.endpoint().getPort(), "NO_PROXY", "example.org"));
        viaProxy.download("acme/tiny", RepoKind.MODEL, "main", out, List.of("config.json"));
        assertArrayEquals(model.get("config.json"), Files.readAllBytes(out.resolve("config.json")));
        assertTrue(hub.requests.stream().anyMatch(r -> r.path().startsWith("/api/models/acme/tiny/revision/")));
    }

    @Test
    void tokenComesFromTheEnvironmentOrTheLoginFile(@TempDir Path home) throws IOException {
        assertEquals(null, HubToken.resolve(null, Map.of(), home));
        Path file = home.resolve(".cache/huggingface/token");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hf_saved\n");
        assertEquals("hf_saved", HubToken.resolve(null, Map.of(), home));
        assertEquals("hf_env", HubToken.resolve(null, Map.of("HF_TOKEN", "hf_env"), home));
        assertEquals("hf_other", HubToken.resolve("MY_TOKEN", Map.of("HF_TOKEN", "hf_env", "MY_TOKEN", "hf_other"), home));
        assertThrows(UserError.class, () -> HubToken.resolve("MY_TOKEN", Map.of(), home));
        Files.createDirectories(home.resolve("hfhome"));
        Files.writeString(home.resolve("hfhome/token"), "hf_home");
        assertEquals("hf_home", HubToken.resolve(null, Map.of("HF_HOME", home.resolve("hfhome").toString()), home));
    }

    @Test
    void retryAfterReadsSecondsOrADate() {
        assertEquals(3000, HubHttp.retryAfterMillis("3", 10));
        assertEquals(10, HubHttp.retryAfterMillis(null, 10));
        assertEquals(HubHttp.MAX_RETRY_AFTER_SECONDS * 1000, HubHttp.retryAfterMillis("86400", 10));
        String inTwoSeconds = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2));
        long millis = HubHttp.retryAfterMillis(inTwoSeconds, 10);
        assertTrue(millis >= 1000 && millis <= 3000, Long.toString(millis));
    }

    @Test
    void secondDownloadSkipsCompleteFiles() {
        downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out);
        int before = hub.requests.size();
        DownloadResult again = downloader(null).download("acme/tiny", RepoKind.MODEL, "main", out);
        assertEquals(0, again.downloaded());
        assertEquals(5, again.skipped());
        assertTrue(hub.requests.subList(before, hub.requests.size()).stream().allMatch(r -> r.path().startsWith("/api/")));
    }

    @Test
    void globsFollowFnmatch() {
        FilePattern p = FilePattern.of(List.of("*.json", "model-0000[1-2]*"));
        assertTrue(p.includes("config.json"));
        assertTrue(p.includes("sub/dir/x.json"));
        assertTrue(p.includes("model-00002-of-00003.safetensors"));
        assertFalse(p.includes("model-00003-of-00003.safetensors"));
        assertFalse(p.includes("config.json.bak"));
        assertTrue(FilePattern.of(List.of()).includes("anything"));
    }
}

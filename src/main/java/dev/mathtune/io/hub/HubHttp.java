package dev.mathtune.io.hub;

import dev.mathtune.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * HTTP GETs against the Hub, behaving as {@code huggingface_hub} does: the bearer token is sent only to the URL's
 * own scheme, host and port (a redirect to the CDN, another host, goes without it: the CDN's signed URLs reject a
 * second credential); redirects, relative or absolute, are followed by hand (at most 10); a 429 or 5xx answer is
 * retried from the first URL (a fresh CDN link) up to {@code attempts} times, after the {@code Retry-After} the
 * server asked for (seconds or an HTTP date, at most {@value #MAX_RETRY_AFTER_SECONDS} s), else after
 * {@code retryDelayMillis} times the try; the proxy comes from the environment ({@link HubProxy}); 401, 403 and
 * 404 become one-line {@link UserError}s that read the Hub's {@code X-Error-Code} (GatedRepo, RepoNotFound,
 * RevisionNotFound, EntryNotFound).
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    static final long MAX_RETRY_AFTER_SECONDS = 120;

    private final String token;
    private final int timeoutMillis;
    private final int attempts;
    private final long retryDelayMillis;
    private final HubProxy proxy;

    /**
     * {@code token} may be null (anonymous); {@code timeoutMillis} bounds connecting and each read;
     * {@code attempts} tries for a 429 or 5xx, {@code retryDelayMillis} times the try between them when the server
     * gives no {@code Retry-After}.
     */
    HubHttp(String token, int timeoutMillis, int attempts, long retryDelayMillis, HubProxy proxy) {
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.timeoutMillis = timeoutMillis;
        this.attempts = Math.max(1, attempts);
        this.retryDelayMillis = retryDelayMillis;
        this.proxy = proxy;
    }

    /** Whether requests carry a token. */
    boolean authenticated() {
        return token != null;
    }

    /**
     * Opens a GET of {@code uri} with {@code headers}, following redirects and retrying 429 and 5xx answers.
     * Returns the connection once the status is 2xx or 416 (range not satisfiable, for the caller to handle).
     *
     * @param what what is fetched, for error messages (e.g. {@code "model Qwen/x file config.json"})
     * @throws UserError   for 401, 403 and 404, and for 429 or 5xx on every try
     * @throws IOException for network failures (worth a retry by the caller)
     */
    HttpURLConnection get(URI uri, Map<String, String> headers, String what) throws IOException {
        return get(uri, headers, what, hop -> { });
    }

    /** As {@link #get(URI, Map, String)}, showing each response of the redirect chain to {@code onHop}. */
    HttpURLConnection get(URI uri, Map<String, String> headers, String what, Consumer<HttpURLConnection> onHop)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            HttpURLConnection c = follow(uri, headers, what, onHop);
            int status = c.getResponseCode();
            if (status != 429 && status < 500) return c;
            String body = errorBody(c);
            long waitMillis = retryAfterMillis(c.getHeaderField("Retry-After"), retryDelayMillis * attempt);
            if (attempt >= attempts) {
                throw new UserError(what + ": HTTP " + status + " from " + c.getURL() + " on each of " + attempts
                        + " tries" + body + "; try again later");
            }
            sleep(waitMillis);
        }
    }

    /** One pass down the redirect chain: the final answer (2xx, 416, 429 or 5xx), or an error. */
    private HttpURLConnection follow(URI uri, Map<String, String> headers, String what, Consumer<HttpURLConnection> onHop)
            throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = open(current);
            headers.forEach(c::setRequestProperty);
            if (token != null && sameOrigin(current, uri)) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            int status = c.getResponseCode();
            onHop.accept(c);
            if (status >= 300 && status < 400 && c.getHeaderField("Location") != null) {
                current = resolve(current, c.getHeaderField("Location"));
                drain(c);
                continue;
            }
            if ((status >= 200 && status < 300) || status == 416 || status == 429 || status >= 500) {
                return c;
            }
            String body = errorBody(c);
            if (status == 401 || status == 403 || status == 404) {
                throw accessError(status, c.getHeaderField("X-Error-Code"), what, current, body);
            }
            throw new UserError(what + ": HTTP " + status + " from " + current + body);
        }
        throw new IOException(what + ": more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    private HttpURLConnection open(URI uri) throws IOException {
        Proxy p = proxy.proxyFor(uri);
        HttpURLConnection c = (HttpURLConnection) (p == null ? uri.toURL().openConnection() : uri.toURL().openConnection(p));
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis);
        c.setRequestProperty("User-Agent", "mathtune/0.1");
        return c;
    }

    /** Same scheme, host and port: where the token may go. */
    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** {@code Retry-After} as milliseconds (delta-seconds or an HTTP date), capped; {@code fallback} when absent. */
    static long retryAfterMillis(String retryAfter, long fallback) {
        if (retryAfter == null || retryAfter.isBlank()) return fallback;
        long seconds;
        try {
            seconds = Long.parseLong(retryAfter.strip());
        } catch (NumberFormatException e) {
            try {
                seconds = Duration.between(Instant.now(), ZonedDateTime.parse(retryAfter.strip(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).toSeconds() + 1;
            } catch (DateTimeParseException bad) {
                return fallback;
            }
        }
        return Math.max(0, Math.min(seconds, MAX_RETRY_AFTER_SECONDS)) * 1000;
    }

    private UserError accessError(int status, String errorCode, String what, URI uri, String body) {
        String problem = switch (errorCode == null ? "" : errorCode) {
            case "GatedRepo" -> "HTTP " + status + ", a gated repo: accept its terms on its page while logged in, then "
                    + (token == null ? "set HF_TOKEN (or run 'hf auth login')" : "use a token of that account");
            case "RepoNotFound" -> "HTTP " + status + ", no such repo, or a private one: check the id"
                    + (token == null ? ", or set HF_TOKEN" : " and that the token has access");
            case "RevisionNotFound" -> "HTTP " + status + ", no such revision (branch, tag or commit)";
            case "EntryNotFound" -> "HTTP " + status + ", no such file at this revision";
            case "DisabledRepo" -> "HTTP " + status + ", the repo has been disabled by its owner or the Hub";
            default -> switch (status) {
                case 401 -> "HTTP 401 unauthorized: the repo does not exist, is private, or is gated; "
                        + (token == null ? "set HF_TOKEN to a token with access" : "the token given was rejected");
                case 403 -> "HTTP 403 forbidden: a gated repo whose terms the token's account has not accepted, or a"
                        + " token without read access; accept the terms on the repo's page and set HF_TOKEN";
                default -> "HTTP 404 not found: no such repo, revision or file";
            };
        };
        return new UserError(what + ": " + problem + " (" + uri + ")" + body);
    }

    /** Sleeps, turning an interrupt into an {@link IOException} (the thread's flag set again). */
    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** GETs {@code uri} and returns the body as text. */
    String getText(URI uri, String what) throws IOException {
        HttpURLConnection c = get(uri, Map.of("Accept", "application/json"), what);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static URI resolve(URI base, String location) throws IOException {
        try {
            return base.resolve(new URI(location));
        } catch (URISyntaxException e) {
            throw new IOException("bad redirect location '" + location + "' from " + base, e);
        }
    }

    private static void drain(HttpURLConnection c) {
        try (InputStream in = c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream()) {
            in.readAllBytes();
        } catch (IOException ignored) {
            // a redirect's body is of no interest
        }
    }

    /** The server's short error text (the Hub sends {@code X-Error-Message}), as {@code ": text"} or empty. */
    private static String errorBody(HttpURLConnection c) {
        String message = c.getHeaderField("X-Error-Message");
        if (message == null) {
            try (InputStream in = c.getErrorStream()) {
                message = in == null ? null : new String(in.readNBytes(300), StandardCharsets.UTF_8);
            } catch (IOException ignored) {
                message = null;
            }
        }
        if (message == null || message.isBlank()) {
            return "";
        }
        return " (server: " + message.replaceAll("\\s+", " ").strip() + ")";
    }
}

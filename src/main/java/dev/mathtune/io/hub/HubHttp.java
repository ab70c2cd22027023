package dev.mathtune.io.hub;

import dev.mathtune.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * HTTP GETs against the Hub: bearer-token auth (dropped when a redirect leaves the Hub's host), redirects followed
 * by hand (at most 10), connect and read timeouts, and the Hub's error statuses turned into {@link UserError}s.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;

    private final String token;
    private final int timeoutMillis;

    /** {@code token} may be null (anonymous); {@code timeoutMillis} bounds connecting and each read. */
    HubHttp(String token, int timeoutMillis) {
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.timeoutMillis = timeoutMillis;
    }

    /** Whether requests carry a token. */
    boolean authenticated() {
        return token != null;
    }

    /**
     * Opens a GET of {@code uri} with {@code headers}, following redirects. Returns the connection once the status
     * is 2xx or 416 (range not satisfiable, for the caller to handle).
     *
     * @param what what is fetched, for error messages (e.g. {@code "model Qwen/x file config.json"})
     * @throws UserError   for 401, 403 and 404
     * @throws IOException for network failures and other statuses (worth a retry)
     */
    HttpURLConnection get(URI uri, Map<String, String> headers, String what) throws IOException {
        return get(uri, headers, what, hop -> { });
    }

    /** As {@link #get(URI, Map, String)}, showing each response of the redirect chain to {@code onHop}. */
    HttpURLConnection get(URI uri, Map<String, String> headers, String what, Consumer<HttpURLConnection> onHop)
            throws IOException {
        String authHost = uri.getHost();
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = (HttpURLConnection) current.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setRequestProperty("User-Agent", "mathtune/0.1");
            headers.forEach(c::setRequestProperty);
            if (token != null && Objects.equals(current.getHost(), authHost)) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            int status = c.getResponseCode();
            onHop.accept(c);
            if (status >= 300 && status < 400 && c.getHeaderField("Location") != null) {
                current = resolve(current, c.getHeaderField("Location"));
                drain(c);
                continue;
            }
            if ((status >= 200 && status < 300) || status == 416) {
                return c;
            }
            String body = errorBody(c);
            if (status == 401 || status == 403 || status == 404) {
                throw accessError(status, what, current, body);
            }
            throw new IOException(what + ": HTTP " + status + " from " + current + body);
        }
        throw new IOException(what + ": more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    private UserError accessError(int status, String what, URI uri, String body) {
        String problem = switch (status) {
            case 401 -> "HTTP 401 unauthorized: the repo does not exist, is private, or is gated; "
                    + (token == null ? "set HF_TOKEN to a token with access" : "the token given was rejected");
            case 403 -> "HTTP 403 forbidden: a gated repo whose terms the token's account has not accepted, or a"
                    + " token without read access; accept the terms on the repo's page and set HF_TOKEN";
            default -> "HTTP 404 not found: no such repo, revision or file";
        };
        return new UserError(what + ": " + problem + " (" + uri + ")" + body);
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

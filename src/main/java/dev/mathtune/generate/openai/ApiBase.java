package dev.mathtune.generate.openai;

import dev.mathtune.UserError;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The root of an OpenAI-compatible API, e.g. {@code http://127.0.0.1:8000}. Users may give it with or without a
 * trailing {@code /v1} (and with or without a trailing slash); {@link #resolve} always adds {@code /v1/...}.
 */
public record ApiBase(String root) {

    public ApiBase {
        if (root == null || root.isBlank()) {
            throw new UserError("endpoint URL is empty");
        }
    }

    /** Parses and normalises a user-given URL; throws {@link UserError} when it is not an http(s) URL. */
    public static ApiBase parse(String url) {
        if (url == null || url.isBlank()) {
            throw new UserError("endpoint URL is empty");
        }
        String trimmed = url.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new UserError("endpoint URL '" + url + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new UserError("endpoint URL '" + url + "' must look like http://HOST:PORT (optionally ending in /v1)");
        }
        String root = trimmed;
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        if (root.endsWith("/v1")) {
            root = root.substring(0, root.length() - 3);
        }
        return new ApiBase(root);
    }

    /** The full URI of an API path below {@code /v1}, e.g. {@code resolve("completions")}. */
    public URI resolve(String path) {
        return URI.create(root + "/v1/" + path);
    }

    @Override
    public String toString() {
        return root;
    }
}

package dev.mathtune.io.hub;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy for a URL from the environment, as curl and Python's {@code requests} read it: {@code https_proxy}
 * / {@code HTTPS_PROXY} for https URLs, {@code http_proxy} / {@code HTTP_PROXY} for http, {@code all_proxy} /
 * {@code ALL_PROXY} for either; none for hosts in {@code no_proxy} / {@code NO_PROXY} (comma-separated host names
 * or domain suffixes, {@code *} for all). A proxy value is {@code [http://]host:port}; proxies that need a
 * password are not supported. Without a variable the JVM's own setting ({@code -Dhttps.proxyHost}) applies.
 */
final class HubProxy {
    private final Map<String, String> env;

    HubProxy(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The proxy to reach {@code uri} through, or null for the JVM's default. */
    Proxy proxyFor(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String value = first(scheme + "_proxy", "all_proxy");
        if (value == null || bypassed(uri.getHost())) return null;
        URI proxy = URI.create(value.contains("://") ? value : "http://" + value);
        int port = proxy.getPort() > 0 ? proxy.getPort() : 80;
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port));
    }

    private boolean bypassed(String host) {
        String list = first("no_proxy");
        if (list == null || host == null) return false;
        String h = host.toLowerCase(Locale.ROOT);
        return Arrays.stream(list.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .anyMatch(s -> s.equals("*") || h.equals(s.replaceFirst("^\\.", "")) || h.endsWith(s.startsWith(".") ? s : "." + s));
    }

    /** The first set variable among the names, lower case before upper case. */
    private String first(String... names) {
        for (String name : names) {
            for (String n : new String[]{name, name.toUpperCase(Locale.ROOT)}) {
                String v = env.get(n);
                if (v != null && !v.isBlank()) return v.strip();
            }
        }
        return null;
    }
}

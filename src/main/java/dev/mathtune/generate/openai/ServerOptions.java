package dev.mathtune.generate.openai;

import dev.mathtune.UserError;

/**
 * How {@link OpenAiServer} listens and what it accepts.
 *
 * @param host            the address to bind (default {@code 127.0.0.1}, local only)
 * @param port            the port; 0 picks a free one ({@link OpenAiServer#port()} tells which)
 * @param maxBodyBytes    the largest request body accepted (default 1 MiB); larger ones get 413
 * @param maxTokensLimit  the largest {@code max_tokens} accepted (default 4096)
 * @param defaultMaxTokens the {@code max_tokens} used when a request gives none (default 512)
 * @param maxBatch        the most requests handed to the backend in one {@code generate} call (default 64)
 * @param handlerThreads  how many HTTP requests may be open at once (default 64)
 * @param apiKey          when set, requests must send {@code Authorization: Bearer <apiKey>}; null for none
 * @param calculator      calculator-assisted decoding for requests that do not set the non-standard {@code calculator}
 */
public record ServerOptions(String host, int port, int maxBodyBytes, int maxTokensLimit, int defaultMaxTokens,
                            int maxBatch, int handlerThreads, String apiKey, boolean calculator) {

    public ServerOptions(String host, int port, int maxBodyBytes, int maxTokensLimit, int defaultMaxTokens,
                         int maxBatch, int handlerThreads, String apiKey) {
        this(host, port, maxBodyBytes, maxTokensLimit, defaultMaxTokens, maxBatch, handlerThreads, apiKey, false);
    }

    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new UserError("server host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new UserError("server port must be in 0..65535 (0 = any free port), got " + port);
        }
        if (maxBodyBytes < 1) {
            throw new UserError("max body bytes must be >= 1, got " + maxBodyBytes);
        }
        if (maxTokensLimit < 1 || defaultMaxTokens < 0 || defaultMaxTokens > maxTokensLimit) {
            throw new UserError("need 0 <= default max tokens (" + defaultMaxTokens + ") <= max tokens limit ("
                    + maxTokensLimit + ") and the limit >= 1");
        }
        if (maxBatch < 1) {
            throw new UserError("max batch must be >= 1, got " + maxBatch);
        }
        if (handlerThreads < 1) {
            throw new UserError("handler threads must be >= 1, got " + handlerThreads);
        }
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    /** Local-only on {@code port}, 1 MiB bodies, max_tokens up to 4096 (default 512), batches of up to 64. */
    public static ServerOptions onPort(int port) {
        return new ServerOptions("127.0.0.1", port, 1 << 20, 4096, 512, 64, 64, null);
    }

    public ServerOptions withHost(String newHost) {
        return new ServerOptions(newHost, port, maxBodyBytes, maxTokensLimit, defaultMaxTokens, maxBatch,
                handlerThreads, apiKey, calculator);
    }

    public ServerOptions withMaxBodyBytes(int bytes) {
        return new ServerOptions(host, port, bytes, maxTokensLimit, defaultMaxTokens, maxBatch, handlerThreads,
                apiKey, calculator);
    }

    public ServerOptions withMaxTokens(int limit, int defaultTokens) {
        return new ServerOptions(host, port, maxBodyBytes, limit, defaultTokens, maxBatch, handlerThreads, apiKey,
                calculator);
    }

    public ServerOptions withMaxBatch(int batch) {
        return new ServerOptions(host, port, maxBodyBytes, maxTokensLimit, defaultMaxTokens, batch, handlerThreads,
                apiKey, calculator);
    }

    public ServerOptions withHandlerThreads(int threads) {
        return new ServerOptions(host, port, maxBodyBytes, maxTokensLimit, defaultMaxTokens, maxBatch, threads,
                apiKey, calculator);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, maxBodyBytes, maxTokensLimit, defaultMaxTokens, maxBatch,
                handlerThreads, key, calculator);
    }

    public ServerOptions withCalculator(boolean on) {
        return new ServerOptions(host, port, maxBodyBytes, maxTokensLimit, defaultMaxTokens, maxBatch, handlerThreads,
                apiKey, on);
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "ServerOptions[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes
                + ", maxTokensLimit=" + maxTokensLimit + ", defaultMaxTokens=" + defaultMaxTokens + ", maxBatch="
                + maxBatch + ", handlerThreads=" + handlerThreads + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", calculator=" + calculator + "]";
    }
}

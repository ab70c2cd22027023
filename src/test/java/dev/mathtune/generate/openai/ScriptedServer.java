package dev.mathtune.generate.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A loopback stub server: answer number {@code n} (0-based) comes from the script; records what it received. */
final class ScriptedServer implements AutoCloseable {
    /** One scripted answer. */
    record Answer(int status, String body, String retryAfter, long delayMillis) {
        static Answer json(int status, String body) {
            return new Answer(status, body, null, 0);
        }
    }

    /** What the stub received. */
    record Received(String path, String authorization, String body) {
    }

    interface Script {
        Answer answer(int n);
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "scripted-server");
        t.setDaemon(true);
        return t;
    });

    ScriptedServer(Script script) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        http.setExecutor(threads);
        http.createContext("/", exchange -> handle(exchange, script));
        http.start();
    }

    private void handle(HttpExchange exchange, Script script) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n;
            synchronized (received) {
                n = received.size();
                received.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"), body));
            }
            Answer a = script.answer(n);
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", a.retryAfter());
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}

package dev.mathtune.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.generate.EmbeddedGenerator;
import dev.mathtune.generate.openai.OpenAiServer;
import dev.mathtune.generate.openai.ServerOptions;

/** {@code mathtune serve}: an OpenAI-compatible HTTP server over the embedded engine. */
@Command(name = "serve", description = "Serve the embedded engine over an OpenAI-compatible API (127.0.0.1 by default).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Mixin
    ModelOptions modelOptions;
    @Option(names = "--port", defaultValue = "8000", description = "Port (0: any free port).")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind.")
    String host;
    @Option(names = "--served-model", description = "Model name clients use (default: the model directory's name).")
    String servedModel;
    @Option(names = "--batch-size", defaultValue = "16", description = "Sequences decoded together.")
    int batchSize;
    @Option(names = "--max-tokens-limit", defaultValue = "4096")
    int maxTokensLimit;
    @Option(names = "--api-key-env", description = "Require this environment variable's value as a Bearer key.")
    String apiKeyEnv;
    @Option(names = "--calculator", description = "Calculator-assisted decoding by default (a request's non-standard "
            + "\"calculator\": true/false overrides it); docs/DESIGN.md, \"Calculator\".")
    boolean calculator;

    @Override
    public Integer call() throws Exception {
        engine.apply();
        EmbeddedGenerator gen = modelOptions.generator(engine.dtype(), batchSize);
        String name = servedModel != null ? servedModel : modelOptions.model.toAbsolutePath().normalize().getFileName().toString();
        ServerOptions opts = ServerOptions.onPort(port).withHost(host).withMaxBatch(batchSize)
                .withMaxTokens(maxTokensLimit, Math.min(512, maxTokensLimit)).withCalculator(calculator);
        if (apiKeyEnv != null) {
            String key = System.getenv(apiKeyEnv);
            if (key == null) throw new dev.mathtune.UserError("--api-key-env: " + apiKeyEnv + " is not set");
            opts = opts.withApiKey(key);
        }
        OpenAiServer server = OpenAiServer.start(gen, name, opts);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.err.println("serving '" + name + "' at " + server.url() + " (Ctrl-C to stop)");
        System.out.println(server.url());
        System.out.flush();
        server.awaitClose();
        return ExitCode.OK;
    }
}

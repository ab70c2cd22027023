package dev.mathtune.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.openai.OpenAiServer;
import dev.mathtune.generate.openai.ServedModel;
import dev.mathtune.generate.openai.ServerOptions;

/**
 * {@code mathtune serve}: an OpenAI-compatible HTTP server over the embedded engine. With {@code --adapter NAME=DIR}
 * (repeatable) it serves the base and every adapter by name from one copy of the base weights (docs/DESIGN.md,
 * "Many adapters, one base"); a single plain {@code --adapter DIR} serves the adapted model alone, as before.
 */
@Command(name = "serve", description = "Serve the embedded engine over an OpenAI-compatible API (127.0.0.1 by default).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Option(names = "--model", required = true, description = "Checkpoint directory (HF layout).")
    Path model;
    @Option(names = "--adapter", paramLabel = "NAME=DIR", description = "PEFT adapter (LoRA or prefix-tuning) served "
            + "as model NAME beside the base (repeatable). A single plain --adapter DIR serves the adapted model alone.")
    List<String> adapters = new ArrayList<>();
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
        OpenAiServer server = open();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        String also = adapters.isEmpty() || single() ? "" : " and " + adapters.size() + " adapter(s) by name";
        System.err.println("serving '" + baseName() + "'" + also + " at " + server.url() + " (Ctrl-C to stop)");
        System.out.println(server.url());
        System.out.flush();
        server.awaitClose();
        return ExitCode.OK;
    }

    /** Checks the options, loads the base once and every adapter onto it, and starts the server. */
    OpenAiServer open() {
        String name = baseName();
        boolean single = single();
        List<AdapterSpec> specs = single ? List.of() : AdapterSpec.parseAll(adapters, name);
        ServerOptions opts = ServerOptions.onPort(port).withHost(host).withMaxBatch(batchSize)
                .withMaxTokens(maxTokensLimit, Math.min(512, maxTokensLimit)).withCalculator(calculator);
        if (apiKeyEnv != null) {
            String key = System.getenv(apiKeyEnv);
            if (key == null) throw new dev.mathtune.UserError("--api-key-env: " + apiKeyEnv + " is not set");
            opts = opts.withApiKey(key);
        }
        ModelBundle base = ModelBundle.load(model, engine.inferenceDtype(model, batchSize));
        List<ServedModel> served = new ArrayList<>();
        AdapterWiring own = AdapterWiring.load(base, single ? Path.of(adapters.get(0)) : null);
        served.add(ServedModel.base(name, own.model().generator(batchSize, own.prefix())));
        for (AdapterSpec s : specs) {
            AdapterWiring w = AdapterWiring.load(base, s.dir());
            served.add(ServedModel.adapter(s.name(), w.model().generator(batchSize, w.prefix()),
                    s.dir().toAbsolutePath().normalize().toString(), name));
        }
        return OpenAiServer.start(served, opts);
    }

    private String baseName() {
        return servedModel != null ? servedModel : model.toAbsolutePath().normalize().getFileName().toString();
    }

    /** One plain {@code --adapter DIR}: the adapted model is the only one served (the behaviour before names). */
    private boolean single() {
        return adapters.size() == 1 && !adapters.get(0).contains("=");
    }
}

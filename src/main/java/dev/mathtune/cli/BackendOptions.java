package dev.mathtune.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import dev.mathtune.UserError;
import dev.mathtune.generate.TextGenerator;
import dev.mathtune.generate.openai.OpenAiClient;
import dev.mathtune.generate.openai.OpenAiClientOptions;

/**
 * Where completions come from: the embedded engine ({@code --model DIR [--adapter DIR]}) or any OpenAI-compatible
 * server ({@code --endpoint URL --served-model NAME [--api-key-env VAR]}).
 */
public final class BackendOptions {
    @Option(names = {"--model", "--teacher"}, description = "Checkpoint directory for the embedded engine (--teacher in augment).")
    Path model;
    @Option(names = "--adapter", description = "PEFT adapter (LoRA or prefix) for the embedded engine.")
    Path adapter;
    @Option(names = "--batch-size", defaultValue = "16", description = "Embedded engine: sequences decoded together.")
    int batchSize;
    @Option(names = "--endpoint", description = "OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1.")
    String endpoint;
    @Option(names = "--served-model", description = "Model name on the server.")
    String servedModel;
    @Option(names = "--api-key-env", description = "Environment variable holding the API key.")
    String apiKeyEnv;
    @Option(names = "--concurrency", defaultValue = "8", description = "Server backend: concurrent requests.")
    int concurrency;
    @Option(names = "--max-retries", defaultValue = "5")
    int maxRetries;
    @Option(names = "--requests-per-second", defaultValue = "0", description = "Server backend: rate limit (0: none).")
    double requestsPerSecond;

    /** The backend; an embedded model for {@code grading} (eval) takes {@link EngineOptions#evaluationDtype}. */
    TextGenerator open(EngineOptions engine, boolean grading) {
        if ((model == null) == (endpoint == null)) {
            throw new UserError("give exactly one backend: --model DIR or --endpoint URL --served-model NAME");
        }
        if (model != null) {
            ModelOptions m = new ModelOptions();
            m.model = model;
            m.adapter = adapter;
            return m.generator(grading ? engine.evaluationDtype() : engine.inferenceDtype(model, batchSize), batchSize);
        }
        if (servedModel == null) throw new UserError("--endpoint needs --served-model NAME");
        OpenAiClientOptions o = OpenAiClientOptions.of(endpoint, servedModel)
                .withConcurrency(concurrency).withMaxRetries(maxRetries);
        if (requestsPerSecond > 0) o = o.withRequestsPerSecond(requestsPerSecond);
        if (apiKeyEnv != null) o = o.withApiKeyFromEnv(apiKeyEnv);
        return new OpenAiClient(o);
    }

    /**
     * Refuses {@code --calculator} with {@code --endpoint}: the calculator runs inside the embedded engine's decoding
     * loop, which a remote server does not expose (a mathtune server applies its own {@code serve --calculator}).
     */
    void checkCalculator(boolean calculator) {
        if (calculator && endpoint != null) {
            throw new UserError("--calculator needs the embedded engine (--model DIR); an --endpoint server decodes on its "
                    + "own: start a mathtune server with `mathtune serve --calculator` and evaluate against it without --calculator");
        }
    }

    /** The embedded engine's checkpoint directory, {@code null} with an endpoint. */
    Path modelDir() {
        return model;
    }

    String describe() {
        return model != null ? model.toString() : endpoint + " (" + servedModel + ")";
    }
}

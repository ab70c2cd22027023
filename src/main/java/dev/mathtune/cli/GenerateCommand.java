package dev.mathtune.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.UserError;
import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.EmbeddedGenerator;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;

/** {@code mathtune generate}: complete one prompt or a JSONL file of prompts with the embedded engine. */
@Command(name = "generate", description = "Generate completions with the embedded engine (continuous batching).")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Mixin
    ModelOptions modelOptions;

    static final class Input {
        @Option(names = "--prompt", description = "One prompt.")
        String prompt;
        @Option(names = "--input", description = "JSONL with a 'prompt' (or 'question'/'problem') field per line.")
        Path input;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;
    @Option(names = "--chat", description = "Send each prompt as a user message through the chat template.")
    boolean chat;
    @Option(names = "--max-new-tokens", defaultValue = "256")
    int maxNewTokens;
    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy.")
    double temperature;
    @Option(names = "--top-p", defaultValue = "1.0")
    double topP;
    @Option(names = "--top-k", defaultValue = "0")
    int topK;
    @Option(names = "--seed", defaultValue = "0")
    long seed;
    @Option(names = "--stop", description = "Stop string (repeatable).")
    List<String> stop = new ArrayList<>();
    @Option(names = "--batch-size", defaultValue = "16")
    int batchSize;
    @Option(names = "--json", description = "One JSON line per prompt: prompt, completion, completion_ids, finish_reason "
            + "(and calculator_calls with --calculator).")
    boolean json;
    @Option(names = "--calculator", description = "Calculator-assisted decoding: when the text ends in an open GSM8K "
            + "annotation <<EXPR=, append EXPR's exact value and >> (docs/DESIGN.md, \"Calculator\").")
    boolean calculator;

    @Override
    public Integer call() throws Exception {
        engine.apply();
        List<String> prompts = input.prompt != null ? List.of(input.prompt) : readPrompts(input.input);
        SamplingParams params;
        try {
            params = new SamplingParams(maxNewTokens, temperature, topP, topK, seed, stop);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<GenerationRequest> reqs = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            SamplingParams p = params.withSeed(seed + i);
            reqs.add((chat ? GenerationRequest.chat(String.valueOf(i), List.of(ChatMessage.user(prompts.get(i))), p)
                    : GenerationRequest.text(String.valueOf(i), prompts.get(i), p)).withCalculator(calculator));
        }
        Map<Integer, Completion> done = new TreeMap<>();
        try (EmbeddedGenerator gen = modelOptions.generator(engine.inferenceDtype(modelOptions.model, batchSize), batchSize)) {
            gen.generate(reqs, c -> done.put(Integer.parseInt(c.id()), c));
        }
        for (var e : done.entrySet()) {
            Completion c = e.getValue();
            if (json) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("prompt", prompts.get(e.getKey()));
                row.put("completion", c.text());
                row.put("completion_ids", c.tokenIds());
                row.put("finish_reason", c.finishReason().wireName());
                if (calculator) row.put("calculator_calls", c.calculatorCalls());
                JsonOut.line(row);
            } else {
                System.out.println(prompts.size() > 1 ? "--- " + e.getKey() + " (" + c.finishReason().wireName() + ")" : "");
                System.out.println(c.text());
            }
        }
        return ExitCode.OK;
    }

    static List<String> readPrompts(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw UserError.inFile(file, "does not exist");
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            long no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = JsonOut.MAPPER.readTree(line);
                } catch (IOException e) {
                    throw UserError.atLine(file, no, null, "not valid JSON");
                }
                JsonNode p = n.has("prompt") ? n.get("prompt") : n.has("question") ? n.get("question") : n.get("problem");
                if (p == null || !p.isTextual()) throw UserError.atLine(file, no, "prompt", "missing or not a string");
                out.add(p.asText());
            }
        }
        return out;
    }
}

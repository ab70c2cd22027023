package dev.mathtune.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.UserError;
import dev.mathtune.generate.ModelBundle;

/** {@code mathtune score}: log-probability of every token given its prefix. */
@Command(name = "score", description = "Log-probability of each token given its prefix.")
public final class ScoreCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Mixin
    ModelOptions modelOptions;

    static final class Input {
        @Option(names = "--text", description = "Text to tokenize and score.")
        String text;
        @Option(names = "--ids", split = ",", description = "Token ids, comma separated.")
        int[] ids;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;
    @Option(names = "--json", description = "Print {\"ids\": [...], \"logprobs\": [null, ...]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        engine.apply();
        AdapterWiring w = modelOptions.load(engine.dtype());
        ModelBundle b = w.model();
        int[] ids = input.ids != null ? input.ids : b.tokenizer().encode(input.text);
        if (ids.length == 0) throw new UserError("--text: nothing to score (no tokens)");
        for (int id : ids) {
            if (id < 0 || id >= b.model().config().vocabSize()) {
                throw new UserError("--ids: token id " + id + " is outside the vocabulary [0, " + b.model().config().vocabSize() + ")");
            }
        }
        Double[] lp = w.score(ids);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ids", ids);
            out.put("logprobs", Arrays.asList(lp));
            JsonOut.line(out);
        } else {
            double sum = 0;
            for (int i = 0; i < ids.length; i++) {
                String piece = b.tokenizer().decode(new int[]{ids[i]});
                System.out.printf("%6d %-20s %s%n", ids[i], quote(piece), lp[i] == null ? "-" : String.format("%.4f", lp[i]));
                if (lp[i] != null) sum += lp[i];
            }
            System.out.printf("total log-prob %.4f over %d predicted tokens%n", sum, ids.length - 1);
        }
        return ExitCode.OK;
    }

    private static String quote(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }

    static List<Integer> boxed(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }
}

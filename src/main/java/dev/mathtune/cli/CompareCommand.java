package dev.mathtune.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.mathtune.eval.Agreement;

/**
 * {@code mathtune compare A B}: how far two evaluations of the same items agree, e.g. one model decoded in fp32 and
 * in bf16 (docs/BENCHMARKS.md, "bf16"): same extracted answer, same verdict, same completion, and each accuracy.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Agreement of two evaluations' predictions (eval output folders or predictions.jsonl files).")
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "First evaluation (folder or predictions.jsonl).")
    Path first;
    @Parameters(index = "1", description = "Second evaluation.")
    Path second;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Agreement a = Agreement.of(first, second);
        if (json) {
            JsonOut.print(a.toMap());
            return ExitCode.OK;
        }
        int n = Math.max(1, a.common());
        System.out.printf(Locale.ROOT, "%d samples in both (%d only in the first, %d only in the second)%n",
                a.common(), a.onlyFirst(), a.onlySecond());
        System.out.printf(Locale.ROOT, "same extracted answer: %d (%.2f %%)%n", a.sameAnswer(), 100.0 * a.sameAnswer() / n);
        System.out.printf(Locale.ROOT, "same verdict:          %d (%.2f %%)%n", a.sameVerdict(), 100.0 * a.sameVerdict() / n);
        System.out.printf(Locale.ROOT, "same completion:       %d (%.2f %%)%n", a.sameText(), 100.0 * a.sameText() / n);
        System.out.printf(Locale.ROOT, "accuracy: %.2f %% (first), %.2f %% (second)%n",
                100.0 * a.correctFirst() / n, 100.0 * a.correctSecond() / n);
        return ExitCode.OK;
    }
}

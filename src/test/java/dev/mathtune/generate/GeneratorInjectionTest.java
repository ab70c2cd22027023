package dev.mathtune.generate;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mathtune.engine.DType;
import dev.mathtune.generate.calc.CalculatorCall;
import dev.mathtune.generate.calc.TokenInjector;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.testing.Golden;

/**
 * Forced tokens (the calculator's mechanism) on a tiny random checkpoint: an injector that fires after the
 * {@value #AT}th sampled token forces three fixed tokens. They must be appended as they are, decoding must go on
 * from the KV cache exactly as a fresh prefill of prompt + generated + forced tokens would, rows that did not ask
 * for the tool must not change, and all of it inside one continuously refilled batch.
 */
class GeneratorInjectionTest {
    static final int AT = 4;
    static final int[] FORCED = {7, 300, 42};
    static Qwen2Model model;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(Golden.dir("tiny-tied"), DType.FP32);
    }

    /** Fires once, after the {@value #AT}th sampled token of a sequence. */
    static final class FixedInjector implements TokenInjector {
        final List<Integer> seenCounts = new ArrayList<>();

        @Override
        public synchronized Injection afterSampled(int[] tokens, int count) {
            seenCounts.add(count);
            return count == AT ? new Injection(FORCED.clone(), new CalculatorCall("x", "y", count, 0)) : null;
        }
    }

    static Map<Integer, SequenceResult> run(List<SequenceRequest> reqs, int batch, TokenInjector injector) {
        Map<Integer, SequenceResult> out = new TreeMap<>();
        new Generator(model, batch, true, new StopCondition(Set.of(), null), null, injector)
                .run(reqs, r -> out.put(r.index(), r));
        return out;
    }

    @Test
    void forcedTokensContinueFromTheCacheInABatchWhereOnlySomeRowsTrigger() {
        List<int[]> prompts = GeneratorTest.prompts(7, 19);
        int budget = 12;
        List<SequenceRequest> reqs = new ArrayList<>(), plain = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            // rows 1, 3 and 4 ask for the tool; row 5's budget ends inside the forced tokens
            int max = i == 5 ? AT + 2 : budget;
            boolean tool = i == 1 || i == 3 || i == 4 || i == 5;
            reqs.add(new SequenceRequest(i, prompts.get(i), SamplingParams.greedy(max), tool));
            plain.add(new SequenceRequest(i, prompts.get(i), SamplingParams.greedy(max)));
        }
        FixedInjector injector = new FixedInjector();
        // batch 3 < 7 rows: slots are refilled while forced tokens are being fed in other rows
        Map<Integer, SequenceResult> got = run(reqs, 3, injector), base = run(plain, 3, injector);
        assertEquals(7, got.size());
        for (int i = 0; i < prompts.size(); i++) {
            SequenceResult g = got.get(i), b = base.get(i);
            boolean tool = reqs.get(i).calculator();
            if (!tool) {
                assertArrayEquals(b.tokens(), g.tokens(), "row " + i + " did not ask for the tool");
                assertEquals(List.of(), g.calculatorCalls());
                continue;
            }
            assertArrayEquals(Arrays.copyOf(b.tokens(), AT), Arrays.copyOf(g.tokens(), AT), "row " + i + " before");
            assertEquals(List.of(new CalculatorCall("x", "y", AT, 0)), g.calculatorCalls());
            int end = Math.min(g.tokens().length, AT + FORCED.length);
            assertArrayEquals(Arrays.copyOf(FORCED, end - AT), Arrays.copyOfRange(g.tokens(), AT, end), "row " + i);
            assertEquals(reqs.get(i).params().maxNewTokens(), g.tokens().length, "forced tokens count toward the budget");
            assertEquals(FinishReason.LENGTH, g.finishReason());
        }
        // the injector is asked after sampled tokens only (never after a forced one, nor after the one that ends a
        // sequence), of rows that asked for it: 8 times in rows 1, 3 and 4, 4 in row 5
        assertFalse(injector.seenCounts.contains(AT + 1) || injector.seenCounts.contains(AT + 2)
                || injector.seenCounts.contains(AT + 3));
        assertEquals(3 * (budget - FORCED.length - 1) + AT, injector.seenCounts.size());

        for (int i : new int[]{1, 3, 4}) {
            SequenceResult g = got.get(i);
            int k = AT + FORCED.length;
            // a fresh prefill of prompt + generated + forced tokens, decoded greedily without the tool
            int[] prefix = concat(prompts.get(i), Arrays.copyOf(g.tokens(), k));
            SequenceResult fresh = run(List.of(new SequenceRequest(0, prefix, SamplingParams.greedy(budget - k))), 1,
                    null).get(0);
            assertArrayEquals(fresh.tokens(), Arrays.copyOfRange(g.tokens(), k, budget), "row " + i + " after injection");
            for (int t = 0; t < fresh.tokens().length; t++) {
                assertEquals(fresh.logprobs()[t], g.logprobs()[k + t], 1e-4, "row " + i + " token " + (k + t));
            }
            // every token's log-prob, the forced ones included, is the model's for that token after its prefix
            Double[] scored = new TokenScorer(model).score(new int[][]{concat(prompts.get(i), g.tokens())})[0];
            int p = prompts.get(i).length;
            for (int t = 0; t < g.tokens().length; t++) {
                assertEquals(scored[p + t], g.logprobs()[t], 1e-4, "row " + i + " token " + t);
            }
        }
    }

    @Test
    void withoutAnInjectorTheFlagChangesNothing() {
        List<int[]> prompts = GeneratorTest.prompts(2, 5);
        List<SequenceRequest> reqs = List.of(new SequenceRequest(0, prompts.get(0), SamplingParams.greedy(8), true),
                new SequenceRequest(1, prompts.get(1), SamplingParams.greedy(8), false));
        Map<Integer, SequenceResult> got = run(reqs, 2, null);
        Map<Integer, SequenceResult> plain = GeneratorTest.generate(model, prompts, 2, true, SamplingParams.greedy(8));
        for (int i = 0; i < 2; i++) assertArrayEquals(plain.get(i).tokens(), got.get(i).tokens());
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

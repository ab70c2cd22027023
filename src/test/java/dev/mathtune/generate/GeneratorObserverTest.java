package dev.mathtune.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mathtune.engine.DType;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.testing.Golden;

/** What the {@link Generator} reports to and takes from its {@link SequenceObserver}, and shared prefills. */
class GeneratorObserverTest {
    static Qwen2Model model;
    static final int[] PROMPT = {5, 17, 99, 3, 250, 41, 7};
    static final int[] OTHER = {12, 88, 64, 2, 300};

    @BeforeAll
    static void load() {
        model = ModelLoader.load(Golden.dir("tiny-tied"), DType.FP32);
    }

    static Map<Integer, SequenceResult> run(List<SequenceRequest> requests, int batch, SequenceObserver observer) {
        Map<Integer, SequenceResult> out = new TreeMap<>();
        new Generator(model, batch, true, new StopCondition(Set.of(), null), null).run(requests, r -> out.put(r.index(), r), observer);
        return out;
    }

    @Test
    void identicalPromptsSharingAPrefillDecodeAsIfAlone() {
        SamplingParams p = new SamplingParams(12, 0.9, 1.0, 0, 0, List.of());
        List<SequenceRequest> shared = new ArrayList<>();
        for (int c = 0; c < 4; c++) shared.add(new SequenceRequest(c, PROMPT, p.withSeed(SplitMix.choiceSeed(5, c))));
        shared.add(new SequenceRequest(4, OTHER, p.withSeed(9)));
        Map<Integer, SequenceResult> together = run(shared, 5, SequenceObserver.NONE);
        for (SequenceRequest r : shared) {
            SequenceResult alone = run(List.of(r), 1, SequenceObserver.NONE).get(r.index());
            assertArrayEquals(alone.tokens(), together.get(r.index()).tokens(), "sequence " + r.index());
            assertArrayEquals(alone.logprobs(), together.get(r.index()).logprobs(), 1e-5);
        }
    }

    @Test
    void theObserverSeesEveryTokenWithItsLogprobAndTheTopOnlyWhereAsked() {
        List<SequenceRequest> rs = List.of(new SequenceRequest(0, PROMPT, SamplingParams.greedy(6)),
                new SequenceRequest(1, OTHER, SamplingParams.greedy(6)));
        Map<Integer, List<Integer>> tokens = new TreeMap<>();
        Map<Integer, List<TopTokens>> tops = new TreeMap<>();
        Map<Integer, SequenceResult> out = run(rs, 2, new SequenceObserver() {
            @Override
            public int topLogprobs(int index) {
                return index == 0 ? 3 : 0;
            }

            @Override
            public void token(int index, int token, double logprob, TopTokens top) {
                tokens.computeIfAbsent(index, k -> new ArrayList<>()).add(token);
                tops.computeIfAbsent(index, k -> new ArrayList<>()).add(top);
                if (top != null) {
                    assertEquals(token, top.ids()[0], "greedy takes the most likely token");
                    assertEquals(logprob, top.logprobs()[0], 0.0);
                    assertTrue(top.logprobs()[1] <= top.logprobs()[0] && top.logprobs()[2] <= top.logprobs()[1]);
                }
            }
        });
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(out.get(i).tokens(), tokens.get(i).stream().mapToInt(Integer::intValue).toArray());
        }
        tops.get(0).forEach(t -> assertEquals(3, t.ids().length));
        tops.get(1).forEach(t -> assertNull(t, "no top-k for a row that did not ask"));
    }

    @Test
    void aCancelledSequenceLeavesAtTheNextStepAndTheOthersGoOn() {
        List<SequenceRequest> rs = List.of(new SequenceRequest(0, PROMPT, SamplingParams.greedy(40)),
                new SequenceRequest(1, OTHER, SamplingParams.greedy(40)),
                new SequenceRequest(2, PROMPT, SamplingParams.greedy(40)));
        int[] seen = new int[3];
        Map<Integer, SequenceResult> out = run(rs, 2, new SequenceObserver() {
            @Override
            public boolean cancelled(int index) {
                return index == 0 && seen[0] >= 5;
            }

            @Override
            public void token(int index, int token, double logprob, TopTokens top) {
                seen[index]++;
            }
        });
        assertEquals(FinishReason.ABORT, out.get(0).finishReason());
        assertEquals(5, out.get(0).tokens().length, "dropped before its 6th step");
        Map<Integer, SequenceResult> plain = run(rs, 2, SequenceObserver.NONE);
        assertArrayEquals(plain.get(1).tokens(), out.get(1).tokens());
        // the freed slot took the queued sequence, which decodes as it would have anyway
        assertArrayEquals(plain.get(2).tokens(), out.get(2).tokens());
        assertEquals(40, out.get(2).tokens().length);
    }
}

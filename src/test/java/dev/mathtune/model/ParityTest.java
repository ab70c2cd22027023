package dev.mathtune.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mathtune.engine.DType;
import dev.mathtune.generate.TokenScorer;
import dev.mathtune.testing.Golden;

/** Log-probs of the Java model against the float64 PyTorch reference (make_goldens.py), in fp32. */
class ParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-tied", "tiny-untied-kv1", "tiny-kv7", "tiny-untied-bf16"})
    void tokenLogprobsMatchReference(String name) {
        Qwen2Model model = ModelLoader.load(Golden.dir(name), DType.FP32);
        JsonNode parity = Golden.json(name, "parity.json");
        for (String c : new String[]{"single", "batch2_leftpad"}) {
            JsonNode in = parity.path("inputs").path(c);
            List<int[]> rows = new ArrayList<>();
            for (int r = 0; r < in.path("input_ids").size(); r++) {
                int[] ids = Golden.ints(in.path("input_ids").get(r));
                int[] mask = Golden.ints(in.path("attention_mask").get(r));
                int pad = 0;
                while (mask[pad] == 0) pad++;
                rows.add(java.util.Arrays.copyOfRange(ids, pad, ids.length));
            }
            Double[][] got = new TokenScorer(model).score(rows.toArray(int[][]::new));
            double maxErr = 0;
            for (int r = 0; r < rows.size(); r++) {
                JsonNode want = parity.path("token_logprobs").path(c).get(r);
                int pad = want.size() - rows.get(r).length;
                assertNull(got[r][0]);
                for (int i = 1; i < rows.get(r).length; i++) {
                    double w = want.get(pad + i).asDouble();
                    maxErr = Math.max(maxErr, Math.abs(got[r][i] - w));
                }
            }
            assertTrue(maxErr <= 1e-4, name + "/" + c + ": max |Δ log p| = " + maxErr);
        }
    }
}

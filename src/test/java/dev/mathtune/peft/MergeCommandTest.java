package dev.mathtune.peft;

import static dev.mathtune.peft.PeftTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mathtune.UserError;
import dev.mathtune.cli.MergeCommand;
import dev.mathtune.engine.DType;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.testing.Golden;
import picocli.CommandLine;

class MergeCommandTest {

    /** A copy of a golden checkpoint with a couple of tokenizer files beside it. */
    static Path baseDir(String name, Path tmp) throws Exception {
        Path dir = tmp.resolve("base");
        Files.createDirectories(dir);
        for (String f : new String[]{"config.json", "model.safetensors"}) Files.copy(Golden.dir(name).resolve(f), dir.resolve(f));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        return dir;
    }

    static int merge(Path model, Path adapter, Path out) throws Exception {
        MergeCommand cmd = new MergeCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        cl.parseArgs("--model", model.toString(), "--adapter", adapter.toString(), "--out", out.toString());
        return cmd.call();
    }

    @Test
    void mergedCheckpointScoresLikeTheAdapter(@TempDir Path tmp) throws Exception {
        Path baseDir = baseDir("tiny-tied", tmp);
        Qwen2Model base = ModelLoader.load(baseDir, DType.FP32);
        LoraAdapter lora = LoraAdapter.create(base, new LoraConfig(4, 8, 0, null, false, 2));
        LoraAdapterTest.randomize(lora, 3);
        Path adapterDir = tmp.resolve("adapter");
        lora.save(adapterDir);
        Path out = tmp.resolve("merged");
        assertEquals(0, merge(baseDir, adapterDir, out));

        assertArrayEquals(Files.readAllBytes(baseDir.resolve("config.json")), Files.readAllBytes(out.resolve("config.json")));
        assertEquals("{\"version\": \"1.0\"}", Files.readString(out.resolve("tokenizer.json")));
        assertTrue(Files.isRegularFile(out.resolve("merges.txt")));
        assertFalse(Files.exists(tmp.resolve("merged.tmp-merge")));
        Map<String, SafetensorsEntry> st = Safetensors.read(out.resolve("model.safetensors"));
        assertFalse(st.containsKey("lm_head.weight"), "tied embeddings are saved once");
        st.values().forEach(e -> assertEquals("F32", e.dtype(), e.name()));

        Qwen2Model merged = ModelLoader.load(out, DType.FP32);
        Double[][] adapted = score(lora.model(), null, 0);
        double d = maxAbsDiff(adapted, score(merged, null, 0));
        assertTrue(d <= 1e-4, "merged checkpoint vs adapter max |Δ logprob| = " + d);
        assertTrue(maxAbsDiff(adapted, score(base, null, 0)) > 1e-2);

        // merging again over an existing directory replaces its files
        assertEquals(0, merge(baseDir, adapterDir, out));
        assertTrue(maxAbsDiff(adapted, score(ModelLoader.load(out, DType.FP32), null, 0)) <= 1e-4);
    }

    @Test
    void savesInTheBaseDtype(@TempDir Path tmp) throws Exception {
        Path baseDir = baseDir("tiny-untied-bf16", tmp);
        Qwen2Model base = ModelLoader.load(baseDir, DType.FP32);
        LoraAdapter lora = LoraAdapter.create(base, new LoraConfig(2, 4, 0, java.util.List.of("q_proj", "down_proj"), false, 1));
        LoraAdapterTest.randomize(lora, 5);
        Path adapterDir = tmp.resolve("adapter");
        lora.save(adapterDir);
        Path out = tmp.resolve("merged");
        assertEquals(0, merge(baseDir, adapterDir, out));
        JsonNode cfg = json(out.resolve("config.json"));
        assertEquals("bfloat16", cfg.get("torch_dtype").asText());
        Map<String, SafetensorsEntry> merged = Safetensors.read(out.resolve("model.safetensors"));
        Map<String, SafetensorsEntry> orig = Safetensors.read(baseDir.resolve("model.safetensors"));
        assertEquals(orig.keySet(), merged.keySet());
        for (SafetensorsEntry e : merged.values()) {
            assertEquals("BF16", e.dtype(), e.name());
            boolean target = e.name().endsWith("q_proj.weight") || e.name().endsWith("down_proj.weight");
            assertEquals(!target, e.data().equals(orig.get(e.name()).data()), e.name());
        }
    }

    @Test
    void refusesPrefixAdapters(@TempDir Path tmp) throws Exception {
        Path baseDir = baseDir("tiny-tied", tmp);
        Path adapterDir = tmp.resolve("adapter");
        PrefixTuning.create(ModelLoader.load(baseDir, DType.FP32), PrefixConfig.of(2)).save(adapterDir);
        Path out = tmp.resolve("merged");
        UserError e = assertThrows(UserError.class, () -> merge(baseDir, adapterDir, out));
        assertTrue(e.getMessage().contains("PREFIX_TUNING") && e.getMessage().contains("only LORA"), e.getMessage());
        assertFalse(Files.exists(out));
    }
}

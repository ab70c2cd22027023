package dev.mathtune.peft;

import static dev.mathtune.peft.PeftTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.UserError;
import dev.mathtune.model.Qwen2Model;

class AdapterLoaderTest {

    @Test
    void loadsLoraAsWrappedModel(@TempDir Path dir) throws Exception {
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, LoraConfig.of(2, 4));
        LoraAdapterTest.randomize(lora, 1);
        lora.save(dir);
        LoadedAdapter a = AdapterLoader.load(base, dir);
        assertNull(a.prefix());
        assertEquals(0, a.prefixLength());
        assertNull(a.scoringPrefix(2));
        assertInstanceOf(LoraAdapter.class, a.adapter());
        assertBitIdentical(score(lora.model(), null, 0), score(a.model(), null, 0));
    }

    @Test
    void loadsPrefixAsPrefixKv(@TempDir Path dir) throws Exception {
        Qwen2Model base = load("tiny-tied");
        PrefixTuning pt = PrefixTuning.create(base, PrefixConfig.of(3));
        pt.save(dir);
        LoadedAdapter a = AdapterLoader.load(base, dir);
        assertSame(base, a.model());
        assertEquals(3, a.prefixLength());
        assertBitIdentical(score(base, pt.trainingPrefix(2), 3), score(a.model(), a.scoringPrefix(2), a.prefixLength()));
    }

    @Test
    void refusesOtherPeftTypesAndMissingFiles(@TempDir Path dir) throws Exception {
        Qwen2Model base = load("tiny-tied");
        UserError e = assertThrows(UserError.class, () -> AdapterLoader.load(base, dir));
        assertTrue(e.getMessage().contains("adapter_config.json") && e.getMessage().contains("missing"), e.getMessage());
        Files.writeString(dir.resolve("adapter_config.json"), "{\"peft_type\": \"IA3\"}");
        e = assertThrows(UserError.class, () -> AdapterLoader.load(base, dir));
        assertTrue(e.getMessage().contains("IA3") && e.getMessage().contains("adapter_config.json"), e.getMessage());
        Files.writeString(dir.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 2, \"target_modules\": [\"q_proj\"]}");
        e = assertThrows(UserError.class, () -> AdapterLoader.load(base, dir));
        assertTrue(e.getMessage().contains("adapter_model.safetensors") && e.getMessage().contains("missing"), e.getMessage());
    }
}

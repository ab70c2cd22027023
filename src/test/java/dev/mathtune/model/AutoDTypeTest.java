package dev.mathtune.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;

/** {@code --dtype auto}: bf16 only where measured faster by the margin, forced dtypes untouched, one measurement per key. */
class AutoDTypeTest {
    @Test
    void bf16IsChosenOnlyWhenItsProductsAreFasterForTrainingByTheMargin() {
        var w = DTypeProbe.Workload.TRAIN_FULL;
        assertEquals(DType.BF16, AutoDType.choice(new DTypeProbe.Timing(2.0, 1.0), w, 512, "x").dtype());
        assertEquals(DType.BF16, AutoDType.choice(new DTypeProbe.Timing(1.05, 1.0), w, 512, "x").dtype(), "5 % faster");
        assertEquals(DType.FP32, AutoDType.choice(new DTypeProbe.Timing(1.04, 1.0), w, 512, "x").dtype(), "4 % is noise");
        assertEquals(DType.FP32, AutoDType.choice(new DTypeProbe.Timing(1.0, 2.0), w, 512, "x").dtype());
        var inference = DTypeProbe.Workload.INFERENCE;
        assertEquals(DType.BF16, AutoDType.choice(new DTypeProbe.Timing(1.01, 1.0), inference, 1, "x").dtype(),
                "inference has no margin: a bf16 model's step does no extra work");
        assertEquals(DType.FP32, AutoDType.choice(new DTypeProbe.Timing(1.0, 1.0), inference, 1, "x").dtype(), "a tie keeps fp32");
        String why = AutoDType.choice(new DTypeProbe.Timing(0.2, 0.1), inference, 16, "src").reason();
        assertTrue(why.startsWith("bf16 weights for inference at 16 rows"), why);
        assertTrue(why.contains("100.0 ms in bf16 against 200.0 ms in fp32 (2.00x)"), why);
    }

    @Test
    void theGeneratorsThreadPolicyPerDtypeAndRows() {
        for (long rows = 1; rows <= Qwen2Model.SMALL_ROWS; rows++) {
            assertTrue(Qwen2Model.productsOnOpenMp(DType.BF16, rows), rows + " bf16 rows: oneDNN's");
            assertFalse(Qwen2Model.productsOnOpenMp(DType.FP32, rows), rows + " fp32 rows: XNNPACK's");
        }
        assertTrue(Qwen2Model.productsOnOpenMp(DType.BF16, 512), "bf16 prefill is oneDNN's");
        assertTrue(Qwen2Model.productsOnOpenMp(DType.FP32, 16), "the fp32 band is oneDNN's");
        assertFalse(Qwen2Model.productsOnOpenMp(DType.FP32, 512), "fp32 prefill is OpenBLAS's");
    }

    @Test
    void forcedDtypesAreTakenAsGivenAndBadNamesAreUserErrors() {
        assertEquals(DType.FP32, AutoDType.resolve("fp32", null, null, 0, null));
        assertEquals(DType.BF16, AutoDType.resolve("bfloat16", null, null, 0, null));
        UserError e = assertThrows(UserError.class, () -> AutoDType.resolve("int8", null, null, 0, null));
        assertTrue(e.getMessage().startsWith("--dtype: unknown dtype 'int8'"), e.getMessage());
        assertTrue(AutoDType.isAuto("AUTO") && AutoDType.isAuto(null) && !AutoDType.isAuto("fp32"));
    }

    @Test
    void theProbeMeasuresOnceAndTheCacheAnswersAfterwards(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dtype.json");
        Qwen2Config tiny = Presets.get("tiny");
        AutoDType.Choice first = AutoDType.choose(tiny, DTypeProbe.Workload.INFERENCE, 4, file, false);
        assertTrue(first.reason().contains("measured now"), first.reason());
        String json = Files.readString(file);
        assertTrue(json.contains("INFERENCE|4 rows"), json);
        AutoDType.Choice again = AutoDType.choose(tiny, DTypeProbe.Workload.INFERENCE, 4, file, false);
        assertTrue(again.reason().contains("cached in " + file), again.reason());
        assertEquals(first.dtype(), again.dtype());
        assertEquals(json, Files.readString(file), "a cached answer writes nothing");
        AutoDType.choose(tiny, DTypeProbe.Workload.TRAIN_FROZEN, 64, file, false);
        assertTrue(Files.readString(file).contains("TRAIN_FROZEN|64 rows"), "another workload is another key");
        AutoDType.Choice fresh = AutoDType.choose(tiny, DTypeProbe.Workload.INFERENCE, 4, file, true);
        assertTrue(fresh.reason().contains("measured now"), "a refresh measures again: " + fresh.reason());
    }

    @Test
    void everyWorkloadTimesPositiveStepsInBothDtypes() {
        for (DTypeProbe.Workload w : DTypeProbe.Workload.values()) {
            for (long rows : new long[]{1, 16, 96}) {
                DTypeProbe.Timing t = DTypeProbe.time(Presets.get("tiny"), w, rows);
                assertTrue(t.fp32Seconds() > 0 && t.bf16Seconds() > 0, w + " " + rows + ": " + t);
            }
        }
    }
}

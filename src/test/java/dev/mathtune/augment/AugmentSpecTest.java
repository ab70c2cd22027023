package dev.mathtune.augment;

import dev.mathtune.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentSpecTest {

    @Test
    void badSettingsAreUserErrorsNamingTheOption() {
        Path in = Path.of("in.jsonl");
        UserError e = assertThrows(UserError.class, () -> AugmentSpec.builder(in, DatasetKind.GSM8K, Path.of("o.jsonl"))
                .paths(2).minAgreement(3).build());
        assertTrue(e.getMessage().startsWith("--min-agreement"), e.getMessage());
        assertThrows(UserError.class, () -> AugmentSpec.builder(in, DatasetKind.GSM8K, Path.of("o.jsonl"))
                .ops(List.of(EvolutionOp.ORIGINAL)).build());
        assertThrows(IllegalArgumentException.class, () -> EvolutionOp.parseList("change-numbers,shuffle"));
    }

    @Test
    void sideFilesLieBesideTheOutput() {
        AugmentSpec spec = AugmentSpec.builder(Path.of("in.jsonl"), DatasetKind.MATH, Path.of("runs/aug/augmath.jsonl")).build();
        assertEquals(Path.of("runs/aug/augmath.jsonl.progress.jsonl"), spec.progressPath());
        assertEquals(Path.of("runs/aug/augmath.summary.json"), spec.summaryPath());
    }

    @Test
    void inputErrorsNameFileLineAndField(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("train.jsonl");
        Files.writeString(in, "{\"question\": \"What is one plus one?\", \"answer\": \"1 + 1 = 2\\n#### 2\"}\n"
                + "{\"question\": \"What is two plus two?\", \"answer\": \"four\"}\n");
        UserError e = assertThrows(UserError.class, () -> SeedReader.read(in, DatasetKind.GSM8K, 0));
        assertTrue(e.getMessage().endsWith("train.jsonl:2: field 'answer': has no '#### N' final answer line"), e.getMessage());
        assertEquals("gsm8k:1", SeedReader.read(in, DatasetKind.GSM8K, 1).get(0).id());
    }

    @Test
    void progressBarShowsRateAndEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "augment round 1", 10, 4);
        bar.advance(6);
        bar.finish();
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("augment round 1 [########################] 10/10 items"), shown);
        assertTrue(shown.contains("it/s") && shown.contains("ETA 00:00"), shown);
    }
}

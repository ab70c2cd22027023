package dev.mathtune.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportPartsTest {
    @TempDir
    Path dir;

    @Test
    void scoresCarryTheWilsonIntervalOfTheirCounts() {
        EvalScore s = EvalScore.of("GSM8K", 452, 1319);
        assertEquals(0.3174, s.wilsonLow(), 5e-4);
        assertEquals(0.3690, s.wilsonHigh(), 5e-4);
        EvalScore zero = EvalScore.of("GSM8K", 0, 10);
        assertEquals(0, zero.wilsonLow(), 1e-12);
        assertEquals(0.2775, zero.wilsonHigh(), 5e-4);
        EvalScore none = EvalScore.of("GSM8K", 0, 0);
        assertEquals(0, none.wilsonLow(), 1e-12);
        assertEquals(1, none.wilsonHigh(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> EvalScore.of("GSM8K", 3, 2));
    }

    @Test
    void humanUnitsReadLikeTheStudy() {
        assertEquals("494.0M", HumanUnits.count(494_032_768L));
        assertEquals("4.4M", HumanUnits.count(4_399_104L));
        assertEquals("1.5B", HumanUnits.count(1_543_714_304L));
        assertEquals("812", HumanUnits.count(812));
        assertEquals("1.5 GiB", HumanUnits.bytes(1_610_612_736L));
        assertEquals("3 min 12 s", HumanUnits.duration(192));
        assertEquals("42.0 s", HumanUnits.duration(42));
        assertEquals("2 h 05 min", HumanUnits.duration(7500));
    }

    @Test
    void studyNumbersAreFoundUnderForgivingNames() {
        StudyNumbers study = StudyNumbers.paper();
        assertEquals(0.5747, study.accuracy("Prefix-Tuning", "GSM8K").orElseThrow(), 1e-9);
        assertEquals(0.0800, study.accuracy("SFT-aug", "math500").orElseThrow(), 1e-9);
        assertEquals(0.5180, study.accuracy("Qwen2.5-Math-1.5B", "MATH-500").orElseThrow(), 1e-9);
        assertEquals(0.2854, study.accuracy("lora", "gsm8k").orElseThrow(), 1e-9);
        assertTrue(study.accuracy("dora", "GSM8K").isEmpty());
        assertTrue(study.accuracy("SFT", "synthetic").isEmpty());
    }

    @Test
    void csvQuotesAwkwardNamesAndReadsBack() {
        List<ResultRow> rows = List.of(new ResultRow("LoRA, r=8", "Qwen \"tiny\"", "", 5, 1.5, 0,
                List.of(EvalScore.of("demo L2", 3, 7))), new ResultRow("Base", "m", "", 0, 0, 0, List.of()));
        Path csv = dir.resolve("r.csv");
        ResultsCsv.write(csv, rows);
        assertEquals(rows, ResultsCsv.read(csv));
    }

    @Test
    void metricsLogAppendsFlushedLinesAndSkipsATornLastLine() throws Exception {
        Path file = dir.resolve("m/metrics.jsonl");
        try (MetricsLog log = MetricsLog.open(file)) {
            log.append(new MetricsRow(1, 2.3, 1e-4, 1.2, 100, 3.2));
            assertEquals(1, Files.readAllLines(file).size(), "flushed per line");
            log.append(new MetricsRow(2, 2.1, 1e-4, Double.NaN, 110, 6.4));
        }
        assertEquals("{\"step\":1,\"loss\":2.3,\"lr\":1.0E-4,\"grad_norm\":1.2,\"tokens_per_s\":100.0,\"elapsed_s\":3.2}",
                Files.readAllLines(file).get(0));
        Files.writeString(file, "{\"step\":3,\"lo", java.nio.file.StandardOpenOption.APPEND);
        List<MetricsRow> rows = MetricsLog.read(file);
        assertEquals(2, rows.size());
        assertEquals(new MetricsRow(1, 2.3, 1e-4, 1.2, 100, 3.2), rows.get(0));
        assertTrue(Double.isNaN(rows.get(1).gradNorm()));
    }

    @Test
    void smoothingFollowsTheLevelAndDampsNoise() {
        List<Double> values = List.of(1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0, 3.0);
        List<Double> smooth = LossCurvePlot.smooth(values, 0.9);
        assertEquals(1.0, smooth.get(0), 1e-12, "bias correction keeps the first value");
        double last = smooth.get(smooth.size() - 1);
        assertTrue(last > 1.5 && last < 2.5, "near the mean: " + last);
    }

    @Test
    void lossPlotOfOneShortRunStillDraws() throws Exception {
        Path png = dir.resolve("loss.png");
        LossCurvePlot.draw(java.util.Map.of("tiny", List.of(new MetricsRow(1, 2, 0, 0, 0, 0),
                new MetricsRow(2, 1.5, 0, 0, 0, 0))), "t", png);
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(LossCurvePlot.HEIGHT, image.getHeight());
    }
}

package dev.mathtune.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {
    @TempDir
    Path dir;

    static List<ResultRow> studyLikeRows() {
        StudyNumbers study = StudyNumbers.paper();
        return List.of(
                row("SFT", 494_032_768L, 3600, 452, 35).withStudyNumbers(study),
                row("LoRA", 4_399_104L, 2400, 376, 38).withStudyNumbers(study),
                row("Prefix-Tuning", 1_000_000L, 2000, 758, 57).withStudyNumbers(study),
                row("Custom", 10_000L, 20, 100, 10).withStudyNumbers(study));
    }

    static ResultRow row(String method, long params, double seconds, int gsm, int math) {
        return new ResultRow(method, "Qwen2.5-0.5B", "GSM8K train", params, seconds, 21L << 30,
                List.of(EvalScore.of("GSM8K", gsm, 1319), EvalScore.of("MATH500", math, 500)));
    }

    static Path metrics(Path file, long seed, int steps) {
        var random = new SplittableRandom(seed);
        try (MetricsLog log = MetricsLog.open(file)) {
            for (int s = 1; s <= steps; s++) {
                log.append(new MetricsRow(s, 2.5 * Math.exp(-s / 60.0) + 0.3 + 0.1 * random.nextDouble(), 1e-4,
                        1.0, 100, s * 0.5));
            }
        }
        return file;
    }

    @Test
    void writesTableCsvAndCharts() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Date", "2025-01-01");
        facts.put("Machine", "2 CPU cores, no GPU");
        Map<String, Path> curves = new LinkedHashMap<>();
        curves.put("SFT", metrics(dir.resolve("sft/metrics.jsonl"), 1, 300));
        curves.put("LoRA", metrics(dir.resolve("lora/metrics.jsonl"), 2, 300));
        List<ResultRow> rows = studyLikeRows();
        ReportFiles files = ReportWriter.write(dir.resolve("out"), "Demo", facts, rows, curves);

        String md = Files.readString(files.markdown());
        assertTrue(md.startsWith("# Demo\n"));
        assertTrue(md.contains("- **Machine**: 2 CPU cores, no GPU"));
        assertTrue(md.contains("| Method | Base model | Training data | Trainable params | Training time | Peak memory"
                + " | GSM8K accuracy | GSM8K study | MATH500 accuracy | MATH500 study |"), md);
        assertTrue(md.contains("| SFT | Qwen2.5-0.5B | GSM8K train | 494.0M | 1 h 00 min | 21.0 GiB | 34.27 ["), md);
        assertTrue(md.contains("n=1319 | 34.27 |"), md);
        assertTrue(md.contains("| LoRA | Qwen2.5-0.5B | GSM8K train | 4.4M |"), md);
        assertTrue(md.contains("| 57.47 |"), "prefix study number: " + md);
        assertTrue(md.contains("| Custom |") && md.contains("n=500 | — |"), "no study number for Custom: " + md);
        assertTrue(md.contains("![Accuracy by method](accuracy.png)") && md.contains("(loss.png)"));

        assertEquals(rows, ResultsCsv.read(files.csv()));

        BufferedImage accuracy = ImageIO.read(files.accuracyChart().toFile());
        assertEquals(AccuracyChart.WIDTH, accuracy.getWidth());
        assertEquals(AccuracyChart.HEIGHT, accuracy.getHeight());
        assertTrue(distinctColours(accuracy) > 50, "anti-aliased text and bars");
        assertTrue(nonWhiteFraction(accuracy) > 0.08, "bars cover part of the plot");
        BufferedImage loss = ImageIO.read(files.lossChart().toFile());
        assertNotNull(loss);
        assertEquals(LossCurvePlot.WIDTH, loss.getWidth());
        assertTrue(distinctColours(loss) > 50);
        try (var left = Files.list(files.markdown().getParent())) {
            assertEquals(Set.of("report.md", "results.csv", "accuracy.png", "loss.png"),
                    new HashSet<>(left.map(p -> p.getFileName().toString()).toList()), "no temporary files");
        }
    }

    @Test
    void withoutLossCurvesThereIsNoLossChart() {
        ReportFiles files = ReportWriter.write(dir, "Demo", Map.of(), studyLikeRows(), Map.of());
        assertEquals(null, files.lossChart());
        assertTrue(Files.exists(files.accuracyChart()));
        assertTrue(!Files.exists(dir.resolve("loss.png")));
    }

    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    static double nonWhiteFraction(BufferedImage image) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    count++;
                }
            }
        }
        return (double) count / (image.getWidth() * image.getHeight());
    }
}

package dev.mathtune.experiment;

import dev.mathtune.io.hub.FakeHub;
import dev.mathtune.testing.ParquetFiles;
import dev.mathtune.testing.TinyModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A fake Hub holding the study's repositories in their real layouts (as the Hub's file pages show them), with a
 * few rows of our copies of the data: {@code openai/gsm8k} (configs {@code main} and {@code socratic}, one Parquet
 * shard per split), {@code EleutherAI/hendrycks_math} (one folder per subject, Parquet, columns problem, level,
 * type, solution), {@code HuggingFaceH4/MATH-500} ({@code test.jsonl}); the study's two models as small stand-ins
 * (listed by a dry run, never fetched), and {@code acme/tiny-qwen2}, a tiny random Qwen2 checkpoint.
 */
final class StudyHub {
    static final Path DATA = Path.of(System.getProperty("mathtune.shared", "../shared"), "data");
    /** Subject folders of EleutherAI/hendrycks_math and the MATH {@code type} each holds. */
    static final Map<String, String> SUBJECTS = subjects();
    static final int GSM_TRAIN = 12;
    static final int GSM_TEST = 6;
    static final int PER_SUBJECT = 2;
    static final int MATH500 = 6;

    private StudyHub() {
    }

    private static Map<String, String> subjects() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("algebra", "Algebra");
        m.put("counting_and_probability", "Counting & Probability");
        m.put("geometry", "Geometry");
        m.put("intermediate_algebra", "Intermediate Algebra");
        m.put("number_theory", "Number Theory");
        m.put("prealgebra", "Prealgebra");
        m.put("precalculus", "Precalculus");
        return m;
    }

    /** Starts a fake Hub with the study's repositories; Parquet files are built in {@code work}. */
    static FakeHub start(Path work) throws IOException {
        FakeHub hub = new FakeHub();
        Files.createDirectories(work);
        Path gsmTrain = DATA.resolve("gsm8k/train.jsonl");
        Path gsmTest = DATA.resolve("gsm8k/test.jsonl");
        Map<String, byte[]> gsm = new LinkedHashMap<>();
        gsm.put(".gitattributes", "*.parquet filter=lfs diff=lfs merge=lfs -text\n".getBytes(StandardCharsets.UTF_8));
        gsm.put("README.md", "---\nconfigs:\n- config_name: main\n- config_name: socratic\n---\n# GSM8K\n".getBytes(StandardCharsets.UTF_8));
        gsm.put("main/train-00000-of-00001.parquet", parquet(work, gsmTrain, "true", 0, GSM_TRAIN, "question", "answer"));
        gsm.put("main/test-00000-of-00001.parquet", parquet(work, gsmTest, "true", 0, GSM_TEST, "question", "answer"));
        gsm.put("socratic/train-00000-of-00001.parquet", parquet(work, gsmTrain, "true", 100, 5, "question", "answer"));
        gsm.put("socratic/test-00000-of-00001.parquet", parquet(work, gsmTest, "true", 100, 5, "question", "answer"));
        hub.addRepo("datasets/openai/gsm8k", gsm);

        Map<String, byte[]> math = new LinkedHashMap<>();
        math.put("README.md", "---\nlicense: mit\n---\n".getBytes(StandardCharsets.UTF_8));
        SUBJECTS.forEach((folder, type) -> {
            String where = "type = '" + type + "'";
            math.put(folder + "/train-00000-of-00001.parquet", parquet(work, DATA.resolve("math/train.jsonl"), where, 0,
                    PER_SUBJECT, "problem", "level", "type", "solution"));
            math.put(folder + "/test-00000-of-00001.parquet", parquet(work, DATA.resolve("math/train.jsonl"), where, 50,
                    1, "problem", "level", "type", "solution"));
        });
        hub.addRepo("datasets/EleutherAI/hendrycks_math", math);

        List<String> lines = Files.readAllLines(DATA.resolve("math500/test.jsonl")).subList(0, MATH500);
        hub.addRepo("datasets/HuggingFaceH4/MATH-500", Map.of("README.md", "# MATH-500\n".getBytes(StandardCharsets.UTF_8),
                "test.jsonl", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));

        hub.addRepo("models/Qwen/Qwen2.5-0.5B", standIn(1));
        hub.addRepo("models/Qwen/Qwen2.5-Math-1.5B", standIn(2));
        hub.addRepo("models/acme/tiny-qwen2", folder(TinyModels.tiny()));
        return hub;
    }

    private static byte[] parquet(Path work, Path jsonl, String where, long offset, long count, String... columns) {
        try {
            Path file = Files.createTempFile(work, "part", ".parquet");
            Files.delete(file);
            ParquetFiles.fromJsonl(jsonl, file, where, offset, count, columns);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model repository's file names with small random contents (a dry run lists them; nothing loads them). */
    private static Map<String, byte[]> standIn(long seed) {
        byte[] weights = new byte[64 * 1024];
        new Random(seed).nextBytes(weights);
        return Map.of("config.json", "{\"model_type\": \"qwen2\"}".getBytes(StandardCharsets.UTF_8),
                "model.safetensors", weights, "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8),
                "README.md", "# stand-in\n".getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, byte[]> folder(Path dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }
}

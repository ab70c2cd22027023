package dev.mathtune.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mathtune.UserError;

/**
 * How far two evaluations of the same items agree (e.g. fp32 against bf16 decoding of one model): over the samples
 * present in both ({@code id}, {@code sample}), how many have the same extracted answer, the same verdict, and the
 * same completion text, beside each run's accuracy on those samples. Extracted answers are compared as the grader
 * extracted them (strings, {@code null} for none): two runs that reach the same answer by different words agree.
 */
public record Agreement(int common, int onlyFirst, int onlySecond, int sameAnswer, int sameVerdict, int sameText,
                        int correctFirst, int correctSecond) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Compares the predictions in {@code first} and {@code second} (eval output folders or predictions.jsonl files). */
    public static Agreement of(Path first, Path second) {
        Map<PredictionRow.Key, PredictionRow> a = read(first), b = read(second);
        int common = 0, answer = 0, verdict = 0, text = 0, correctA = 0, correctB = 0;
        for (Map.Entry<PredictionRow.Key, PredictionRow> e : a.entrySet()) {
            PredictionRow y = b.get(e.getKey());
            if (y == null) continue;
            PredictionRow x = e.getValue();
            common++;
            if (Objects.equals(x.extracted(), y.extracted())) answer++;
            if (x.correct() == y.correct()) verdict++;
            if (Objects.equals(x.completion(), y.completion())) text++;
            if (x.correct()) correctA++;
            if (y.correct()) correctB++;
        }
        return new Agreement(common, a.size() - common, b.size() - common, answer, verdict, text, correctA, correctB);
    }

    /** Share of the common samples with the same extracted answer (0 when none are common). */
    public double answerAgreement() {
        return common == 0 ? 0 : (double) sameAnswer / common;
    }

    /** The figures as a map, for JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("common_samples", common);
        m.put("only_first", onlyFirst);
        m.put("only_second", onlySecond);
        m.put("same_answer", sameAnswer);
        m.put("answer_agreement", answerAgreement());
        m.put("same_verdict", sameVerdict);
        m.put("same_completion", sameText);
        m.put("accuracy_first", common == 0 ? 0 : (double) correctFirst / common);
        m.put("accuracy_second", common == 0 ? 0 : (double) correctSecond / common);
        return m;
    }

    private static Map<PredictionRow.Key, PredictionRow> read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(EvalRunner.PREDICTIONS) : path;
        if (!Files.isRegularFile(file)) throw UserError.inFile(file, "missing (give an eval output folder or its predictions.jsonl)");
        Map<PredictionRow.Key, PredictionRow> rows = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    PredictionRow r = JSON.readValue(line, PredictionRow.class);
                    if (r.id() == null) throw UserError.inFile(file, "line " + n + ": field 'id' is missing");
                    rows.put(r.key(), r);
                } catch (JsonProcessingException e) {
                    throw UserError.inFile(file, "line " + n + ": not a prediction row: " + e.getOriginalMessage());
                }
            }
        } catch (IOException e) {
            throw UserError.inFile(file, "cannot read: " + e.getMessage());
        }
        return rows;
    }
}

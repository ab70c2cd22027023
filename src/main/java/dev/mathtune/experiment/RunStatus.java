package dev.mathtune.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.mathtune.io.AtomicFiles;

/**
 * {@code runs/<name>/status.json}: where a run stands ({@code running}, {@code done} or {@code failed} with the
 * error), how many times it was started, when it last started and finished, and its timings: training seconds
 * (the trainer's own clock, which survives a resume), evaluation wall seconds per set and the run's wall
 * seconds, both summed over every attempt.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStatus(String status, String error, int attempts, String started, String finished,
                        @JsonProperty("train_seconds") double trainSeconds,
                        @JsonProperty("eval_seconds") Map<String, Double> evalSeconds,
                        @JsonProperty("wall_seconds") double wallSeconds) {
    public static final String FILE = "status.json";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunStatus {
        evalSeconds = evalSeconds == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evalSeconds));
    }

    public static RunStatus fresh() {
        return new RunStatus("new", null, 0, null, null, 0, Map.of(), 0);
    }

    public boolean done() {
        return DONE.equals(status);
    }

    /** The status in {@code runDir}, or {@link #fresh()} when it has none (or an unreadable one). */
    public static RunStatus read(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return fresh();
        try {
            return JSON.readValue(file.toFile(), RunStatus.class);
        } catch (IOException e) {
            return fresh();
        }
    }

    public void write(Path runDir) throws IOException {
        AtomicFiles.writeString(runDir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
    }
}

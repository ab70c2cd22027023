package dev.mathtune.augment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of an augmentation run, written as {@code summary.json}. Accounting (every identity is checked
 * under {@code "checks"}):
 * <ul>
 *   <li>inputs: {@code read = contaminated + duplicate + used};</li>
 *   <li>items: round 0 has {@code used} items (if originals are on), round 1 {@code used x ops}, round r+1
 *       {@code (questions kept by round r's evolutions) x ops};</li>
 *   <li>questions: every item has one outcome, {@code items = kept + malformed + too_long + contaminated +
 *       duplicate + low_agreement + no_valid_path}; for evolution items, {@code evolved ok = items - malformed};</li>
 *   <li>paths: K per sampled question (kept, low_agreement, no_valid_path), {@code sampled = kept + too_long +
 *       no_answer + wrong_answer + minority + low_agreement + duplicate}, and {@code rows = paths kept}.</li>
 * </ul>
 * Counts are rebuilt from the journal on resume, so a resumed run's summary equals an uninterrupted run's.
 */
public final class AugmentSummary {
    private final AugmentSpec spec;
    private final String teacher;
    private final InputScreen inputs;
    private final AugmentTally total = new AugmentTally();
    private final Map<Integer, AugmentTally> byRound = new TreeMap<>();
    private final Map<Integer, Long> expectedItems = new TreeMap<>();
    private final Map<String, AugmentTally> byOp = new LinkedHashMap<>();
    private final Map<String, Long> malformedReasons = new TreeMap<>();
    private boolean complete;

    public AugmentSummary(AugmentSpec spec, String teacher, InputScreen inputs) {
        this.spec = spec;
        this.teacher = teacher;
        this.inputs = inputs;
    }

    /** Declares how many items round {@code round} has. */
    void expectRound(int round, long items) {
        expectedItems.put(round, items);
        byRound.computeIfAbsent(round, r -> new AugmentTally());
    }

    /** Counts one finished item; {@code reason} is the parser's rejection for a malformed item. */
    void add(ItemKey key, QuestionOutcome outcome, String reason, Map<PathOutcome, Integer> paths, int rows) {
        total.add(outcome, paths, rows);
        byRound.computeIfAbsent(key.round(), r -> new AugmentTally()).add(outcome, paths, rows);
        byOp.computeIfAbsent(key.op().wireName(), o -> new AugmentTally()).add(outcome, paths, rows);
        if (outcome == QuestionOutcome.MALFORMED) {
            malformedReasons.merge(reason, 1L, Long::sum);
        }
    }

    void markComplete() {
        complete = true;
    }

    public InputScreen inputs() {
        return inputs;
    }

    public AugmentTally total() {
        return total;
    }

    public AugmentTally round(int round) {
        return byRound.getOrDefault(round, new AugmentTally());
    }

    public AugmentTally op(EvolutionOp op) {
        return byOp.getOrDefault(op.wireName(), new AugmentTally());
    }

    public Map<String, Long> malformedReasons() {
        return Map.copyOf(malformedReasons);
    }

    public boolean complete() {
        return complete;
    }

    /** Whether every accounting identity holds. */
    public boolean addsUp() {
        return checks().properties().stream().allMatch(e -> e.getValue().asBoolean());
    }

    private ObjectNode checks() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        int k = spec.paths();
        c.put("inputs", inputs.read() == inputs.contaminated() + inputs.duplicate() + inputs.used().size());
        c.put("total", total.balanced(k));
        c.put("rounds", byRound.values().stream().allMatch(t -> t.balanced(k)));
        c.put("ops", byOp.values().stream().allMatch(t -> t.balanced(k)));
        c.put("round_items", !complete || expectedItems.entrySet().stream()
                .allMatch(e -> round(e.getKey()).items() == e.getValue()));
        c.put("malformed_reasons", malformedReasons.values().stream().mapToLong(Long::longValue).sum()
                == total.questions(QuestionOutcome.MALFORMED));
        return c;
    }

    /** The JSON document. */
    public ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("complete", complete);
        root.put("teacher", teacher);
        root.set("spec", spec.fingerprint());
        root.putObject("inputs").put("read", inputs.read()).put("contaminated", inputs.contaminated())
                .put("duplicate", inputs.duplicate()).put("used", inputs.used().size());
        root.set("total", total.toJson(spec.paths()));
        ObjectNode rounds = root.putObject("rounds");
        byRound.forEach((r, t) -> rounds.set(String.valueOf(r),
                t.toJson(spec.paths()).put("expected_items", expectedItems.getOrDefault(r, 0L))));
        ObjectNode ops = root.putObject("ops");
        byOp.forEach((op, t) -> ops.set(op, t.toJson(spec.paths())));
        ObjectNode reasons = root.putObject("malformed_reasons");
        malformedReasons.forEach(reasons::put);
        root.set("checks", checks());
        return root;
    }

    /** Writes the summary atomically (temp file in the same folder, then rename). */
    public void write(Path file) throws IOException {
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(toJson()).concat("\n").getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

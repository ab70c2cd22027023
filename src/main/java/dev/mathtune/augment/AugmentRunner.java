package dev.mathtune.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;
import dev.mathtune.eval.grade.AnswerGrader;
import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds AugGSM8K / AugMATH: evolves every input question with each op (a teacher prompt per op), samples K
 * reasoning paths per question, keeps paths by rejection sampling (originals, against gold) or majority vote
 * (evolved questions), filters and decontaminates, and appends rows with provenance to {@code spec.out()}.
 *
 * <p>Work is a list of items ({@link ItemKey}: source, op, round) processed in a fixed order in batches: one
 * {@link TextGenerator#generate} call for the batch's evolutions, then one for its paths. After a batch, each
 * item's rows are appended (flushed per line) and then its journal record; a restart skips journaled items,
 * cuts the output back to the last journaled length, and rebuilds the counts and duplicate set from the journal,
 * so every item is written exactly once and the result equals an uninterrupted run's. One runner per run.
 */
public final class AugmentRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AugmentSpec spec;
    private final TextGenerator teacher;
    private final AnswerGrader grader;
    private final PrintStream progressOut;
    private final EvolvedQuestionParser parser = new EvolvedQuestionParser();
    private final Set<String> seen = new HashSet<>();
    private final PromptTemplate solvePrompt;
    private Decontaminator decontaminator;
    private AugmentSummary summary;
    private AugmentJournal journal;
    private JsonlAppender out;
    private ProgressBar progress;

    /** {@code progressOut} (usually {@code System.err}) gets the progress bar; {@code null} for none. */
    public AugmentRunner(AugmentSpec spec, TextGenerator teacher, AnswerGrader grader, PrintStream progressOut) {
        this.spec = spec;
        this.teacher = teacher;
        this.grader = grader;
        this.progressOut = progressOut;
        this.solvePrompt = PromptTemplate.solve(spec.kind());
    }

    /** A work item: augment {@code source} under {@code key}. */
    private record WorkItem(ItemKey key, SeedQuestion source) {
    }

    /** An item after question screening: {@code dropped} is null when its paths are to be sampled. */
    private record Screened(WorkItem item, QuestionOutcome dropped, String reason, String question, String gold,
                            String teacherAnswer, boolean seen) {
    }

    /** Runs (or resumes) the whole augmentation and returns the summary, also written to {@code summaryPath()}. */
    public AugmentSummary run() throws IOException {
        decontaminator = Decontaminator.fromFiles(spec.decontaminate(), spec.ngram());
        InputScreen inputs = InputScreen.of(SeedReader.read(spec.input(), spec.kind(), spec.limit()),
                decontaminator, seen);
        summary = new AugmentSummary(spec, teacher.describe(), inputs);
        if (!Files.exists(spec.progressPath()) && Files.exists(spec.out()) && Files.size(spec.out()) > 0) {
            throw UserError.inFile(spec.out(), "exists but has no progress journal; refusing to overwrite it");
        }
        try (AugmentJournal j = AugmentJournal.open(spec.progressPath(), spec.fingerprint());
             JsonlAppender o = openOut(j)) {
            journal = j;
            out = o;
            runRounds(inputs.used());
        }
        summary.markComplete();
        summary.write(spec.summaryPath());
        return summary;
    }

    private JsonlAppender openOut(AugmentJournal j) throws IOException {
        try {
            return JsonlAppender.open(spec.out(), j.outBytes());
        } catch (IllegalStateException e) {
            throw UserError.inFile(spec.out(), "does not match its progress journal (" + e.getMessage() + ")");
        }
    }

    private void runRounds(List<SeedQuestion> used) throws IOException {
        Map<String, JsonNode> finished = new HashMap<>();
        for (JsonNode record : journal.records()) {
            finished.put(record.path("key").asText(), record);
        }
        if (spec.originals()) {
            runRound(0, used, List.of(EvolutionOp.ORIGINAL), finished);
        }
        List<SeedQuestion> sources = used;
        for (int round = 1; round <= spec.rounds(); round++) {
            sources = runRound(round, sources, spec.ops(), finished);
        }
    }

    /** Runs one round and returns the questions it kept (the next round's sources). */
    private List<SeedQuestion> runRound(int round, List<SeedQuestion> sources, List<EvolutionOp> ops,
                                        Map<String, JsonNode> finished) throws IOException {
        List<WorkItem> items = new ArrayList<>();
        for (SeedQuestion source : sources) {
            for (EvolutionOp op : ops) {
                items.add(new WorkItem(new ItemKey(source.id(), op, round), source));
            }
        }
        summary.expectRound(round, items.size());
        long done = items.stream().filter(i -> finished.containsKey(i.key().text())).count();
        progress = new ProgressBar(progressOut, "augment round " + round, items.size(), done);
        List<SeedQuestion> kept = new ArrayList<>();
        List<WorkItem> batch = new ArrayList<>();
        for (WorkItem item : items) {
            JsonNode record = finished.get(item.key().text());
            if (record != null || batch.size() == spec.batchSize()) {
                processBatch(batch, kept);
            }
            if (record != null) {
                restore(item, record, kept);
            } else {
                batch.add(item);
            }
        }
        processBatch(batch, kept);
        progress.finish();
        summary.write(spec.summaryPath());
        return kept;
    }

    private void processBatch(List<WorkItem> batch, List<SeedQuestion> kept) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Completion> evolutions = generate(evolveRequests(batch));
        List<Screened> screened = new ArrayList<>();
        for (WorkItem item : batch) {
            screened.add(screen(item, evolutions));
        }
        Map<String, Completion> paths = generate(solveRequests(screened));
        for (Screened s : screened) {
            finish(s, paths, kept);
        }
        batch.clear();
    }

    private Map<String, Completion> generate(List<GenerationRequest> requests) {
        Map<String, Completion> results = new ConcurrentHashMap<>();
        if (requests.isEmpty()) {
            return results;
        }
        teacher.generate(requests, c -> results.put(c.id(), c));
        for (GenerationRequest r : requests) {
            if (!results.containsKey(r.id())) {
                throw new IllegalStateException("teacher " + teacher.describe() + " returned no completion for " + r.id());
            }
        }
        return results;
    }

    private List<GenerationRequest> evolveRequests(List<WorkItem> batch) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (WorkItem item : batch) {
            if (item.key().op().evolves()) {
                String prompt = PromptTemplate.evolution(spec.kind(), item.key().op())
                        .render(item.source().question(), item.source().solution());
                requests.add(request(evolveId(item.key()), prompt, spec.maxEvolveTokens(), spec.evolveTemperature()));
            }
        }
        return requests;
    }

    private List<GenerationRequest> solveRequests(List<Screened> screened) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (Screened s : screened) {
            if (s.dropped() == null) {
                String prompt = solvePrompt.render(s.question(), null);
                for (int i = 0; i < spec.paths(); i++) {
                    requests.add(request(solveId(s.item().key(), i), prompt, spec.maxTokens(), spec.temperature()));
                }
            }
        }
        return requests;
    }

    private GenerationRequest request(String id, String prompt, int maxTokens, double temperature) {
        SamplingParams params = new SamplingParams(maxTokens, temperature, 1.0, 0, requestSeed(id), List.of());
        return spec.chat() ? GenerationRequest.chat(id, List.of(ChatMessage.user(prompt)), params)
                : GenerationRequest.text(id, prompt, params);
    }

    /** A request's seed: the spec seed mixed with the request id (SplitMix64 finaliser). */
    private long requestSeed(String id) {
        long z = spec.seed() * 0x9E3779B97F4A7C15L + id.hashCode();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    static String evolveId(ItemKey key) {
        return "evolve|" + key.text();
    }

    static String solveId(ItemKey key, int path) {
        return "solve|" + key.text() + "|" + path;
    }

    /** Parses and filters an evolved question (in item order: the duplicate check depends on it). */
    private Screened screen(WorkItem item, Map<String, Completion> evolutions) {
        if (!item.key().op().evolves()) {
            return new Screened(item, null, null, item.source().question(), item.source().answer(), null, false);
        }
        ParsedEvolution parsed = parser.parse(evolutions.get(evolveId(item.key())).text(), spec.kind());
        if (!parsed.isOk()) {
            return new Screened(item, QuestionOutcome.MALFORMED, parsed.rejection(), null, null, null, false);
        }
        String question = parsed.evolved().question();
        String answer = parsed.evolved().answer();
        if (question.length() > spec.maxQuestionChars()) {
            return new Screened(item, QuestionOutcome.TOO_LONG, null, question, null, answer, false);
        }
        var match = decontaminator.match(question);
        if (match.isPresent()) {
            return new Screened(item, QuestionOutcome.CONTAMINATED, "overlap: " + match.get(), question, null, answer, false);
        }
        if (!seen.add(TextNormalizer.normalize(question))) {
            return new Screened(item, QuestionOutcome.DUPLICATE, null, question, null, answer, false);
        }
        return new Screened(item, null, null, question, null, answer, true);
    }

    /** Selects paths, appends rows, journals the item and counts it. */
    private void finish(Screened s, Map<String, Completion> completions, List<SeedQuestion> kept) throws IOException {
        ItemKey key = s.item().key();
        ObjectNode record = JSON.createObjectNode().put("key", key.text()).put("source_id", key.sourceId())
                .put("op", key.op().wireName()).put("round", key.round());
        QuestionOutcome outcome = s.dropped();
        Map<PathOutcome, Integer> pathCounts = new EnumMap<>(PathOutcome.class);
        int rows = 0;
        if (outcome == null) {
            List<Completion> paths = new ArrayList<>();
            for (int i = 0; i < spec.paths(); i++) {
                paths.add(completions.get(solveId(key, i)));
            }
            PathSelection sel = PathSelection.select(paths, s.gold(), grader,
                    new PathSelection.Limits(spec.maxTokens(), spec.maxPathChars()), spec.minAgreement());
            outcome = sel.outcome();
            pathCounts.putAll(sel.paths());
            for (PathSelection.KeptPath p : sel.kept()) {
                out.append(JSON.writeValueAsString(row(s, sel, p)));
            }
            rows = sel.kept().size();
            record.put("answer", sel.answer()).put("agree", sel.agree()).put("of", sel.of());
            if (!sel.kept().isEmpty()) {
                PathSelection.KeptPath first = sel.kept().get(0);
                record.put("solution", spec.kind().trainingSolution(first.text(), sel.answer()));
            }
        }
        record.put("outcome", outcome.key()).put("reason", s.reason()).put("question", s.question())
                .put("seen", s.seen()).put("rows", rows);
        ObjectNode counts = record.putObject("paths");
        pathCounts.forEach((p, n) -> counts.put(p.key(), n));
        record.put("out_bytes", out.position());
        journal.append(record);
        account(key, record, kept);
        progress.advance(1);
    }

    /** One training row: the dataset's own fields, then provenance. */
    private ObjectNode row(Screened s, PathSelection sel, PathSelection.KeptPath p) {
        ItemKey key = s.item().key();
        ObjectNode row = JSON.createObjectNode();
        row.put(spec.kind().questionField(), s.question());
        row.put(spec.kind().solutionField(), spec.kind().trainingSolution(p.text(), sel.answer()));
        row.put("id", key.childId() + "#" + p.index());
        row.put("source_id", key.sourceId());
        row.put("op", key.op().wireName());
        row.put("round", key.round());
        row.put("teacher", teacher.describe());
        row.put("temperature", spec.temperature());
        row.putObject("votes").put("agree", sel.agree()).put("of", sel.of())
                .put("against", key.op().evolves() ? "majority" : "gold");
        row.put("final_answer", sel.answer());
        row.put("path_index", p.index());
        if (s.teacherAnswer() != null) {
            row.put("teacher_answer", s.teacherAnswer());
        }
        return row;
    }

    /** Re-applies a journaled item's effects: duplicate set, counts, next-round source. */
    private void restore(WorkItem item, JsonNode record, List<SeedQuestion> kept) {
        if (record.path("seen").asBoolean()) {
            seen.add(TextNormalizer.normalize(record.path("question").asText()));
        }
        account(item.key(), record, kept);
    }

    private void account(ItemKey key, JsonNode record, List<SeedQuestion> kept) {
        QuestionOutcome outcome = QuestionOutcome.valueOf(record.path("outcome").asText().toUpperCase(java.util.Locale.ROOT));
        Map<PathOutcome, Integer> paths = new EnumMap<>(PathOutcome.class);
        Iterator<Map.Entry<String, JsonNode>> it = record.path("paths").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            paths.put(PathOutcome.valueOf(e.getKey().toUpperCase(java.util.Locale.ROOT)), e.getValue().asInt());
        }
        summary.add(key, outcome, record.path("reason").asText(null), paths, record.path("rows").asInt());
        if (outcome == QuestionOutcome.KEPT && key.op().evolves()) {
            kept.add(new SeedQuestion(key.childId(), record.path("question").asText(),
                    record.path("solution").asText(), record.path("answer").asText()));
        }
    }
}

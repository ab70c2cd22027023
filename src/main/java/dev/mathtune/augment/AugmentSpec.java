package dev.mathtune.augment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What to augment and how: see {@link AugmentRunner}. Build one with {@link #builder}.
 *
 * @param input             training JSONL to augment (GSM8K or MATH fields, per {@code kind})
 * @param kind              dataset format of input and output rows
 * @param ops               evolution operations applied to every source question in every round
 * @param rounds            evolution rounds (0: none); round r+1 evolves round r's kept questions
 * @param originals         also sample paths for the input questions themselves (round 0, RFT against gold)
 * @param paths             reasoning paths K sampled per question
 * @param temperature       sampling temperature for reasoning paths
 * @param evolveTemperature sampling temperature for question evolution
 * @param maxTokens         token limit of a reasoning path (hitting it drops the path as too long)
 * @param maxEvolveTokens   token limit of an evolution output
 * @param maxQuestionChars  evolved questions longer than this are dropped
 * @param maxPathChars      paths longer than this are dropped
 * @param minAgreement      votes the majority answer of an evolved question needs (1: any majority)
 * @param seed              base seed; each request's seed derives from it and the request id
 * @param limit             use only the first {@code limit} input rows (0: all)
 * @param decontaminate     JSONL files of test questions ({@code question} or {@code problem}) to decontaminate against
 * @param ngram             n-gram size for decontamination (13)
 * @param chat              send chat requests (instruct teachers) rather than raw text prompts
 * @param batchSize         work items per generation batch (items, not requests)
 * @param out               output JSONL; the journal and summary lie beside it
 */
public record AugmentSpec(Path input, DatasetKind kind, List<EvolutionOp> ops, int rounds, boolean originals,
                          int paths, double temperature, double evolveTemperature, int maxTokens,
                          int maxEvolveTokens, int maxQuestionChars, int maxPathChars, int minAgreement,
                          long seed, int limit, List<Path> decontaminate, int ngram, boolean chat, int batchSize,
                          Path out) {

    public AugmentSpec {
        ops = List.copyOf(ops);
        decontaminate = List.copyOf(decontaminate);
        require(ops.stream().allMatch(EvolutionOp::evolves), "ops", "'original' is not an evolution (use originals)");
        require(ops.stream().distinct().count() == ops.size(), "ops", "an op is listed twice");
        require(rounds >= 0, "rounds", "must be >= 0");
        require(rounds == 0 || !ops.isEmpty(), "ops", "rounds > 0 need at least one op");
        require(paths >= 1, "paths", "must be >= 1");
        require(temperature >= 0 && evolveTemperature >= 0, "temperature", "must be >= 0");
        require(maxTokens >= 1 && maxEvolveTokens >= 1, "max-tokens", "must be >= 1");
        require(maxQuestionChars >= 1 && maxPathChars >= 1, "max-chars", "must be >= 1");
        require(minAgreement >= 1 && minAgreement <= paths, "min-agreement", "must be in 1..paths (" + paths + ")");
        require(limit >= 0, "limit", "must be >= 0");
        require(ngram >= 1, "ngram", "must be >= 1");
        require(batchSize >= 1, "batch-size", "must be >= 1");
    }

    private static void require(boolean ok, String option, String problem) {
        if (!ok) {
            throw new UserError("--" + option + ": " + problem);
        }
    }

    /** A builder with the defaults: all five ops, 1 round, K=4, T=0.7, 512 tokens, 13-grams, chat, batches of 16. */
    public static Builder builder(Path input, DatasetKind kind, Path out) {
        return new Builder(input, kind, out);
    }

    /** The journal of finished items: {@code <out>.progress.jsonl}. */
    public Path progressPath() {
        return out.resolveSibling(out.getFileName() + ".progress.jsonl");
    }

    /** The summary: {@code <out without .jsonl>.summary.json}. */
    public Path summaryPath() {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return out.resolveSibling(stem + ".summary.json");
    }

    /**
     * The settings a resumed run must share with the run that wrote the journal (everything that changes what
     * is generated or kept; not {@code out}, {@code batchSize} or {@code limit}, which may grow).
     */
    public ObjectNode fingerprint() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("input", input.toAbsolutePath().normalize().toString());
        node.put("kind", kind.wireName());
        ArrayNode opNames = node.putArray("ops");
        ops.forEach(op -> opNames.add(op.wireName()));
        node.put("rounds", rounds).put("originals", originals).put("paths", paths);
        node.put("temperature", temperature).put("evolve_temperature", evolveTemperature);
        node.put("max_tokens", maxTokens).put("max_evolve_tokens", maxEvolveTokens);
        node.put("max_question_chars", maxQuestionChars).put("max_path_chars", maxPathChars);
        node.put("min_agreement", minAgreement).put("seed", seed).put("ngram", ngram).put("chat", chat);
        ArrayNode files = node.putArray("decontaminate");
        decontaminate.forEach(p -> files.add(p.toAbsolutePath().normalize().toString()));
        return node;
    }

    /** Mutable defaults for an {@link AugmentSpec}. */
    public static final class Builder {
        private final Path input;
        private final DatasetKind kind;
        private final Path out;
        private List<EvolutionOp> ops = EvolutionOp.evolutions();
        private int rounds = 1;
        private boolean originals;
        private int paths = 4;
        private double temperature = 0.7;
        private double evolveTemperature = 0.7;
        private int maxTokens = 512;
        private int maxEvolveTokens = 1024;
        private int maxQuestionChars = 2000;
        private int maxPathChars = 6000;
        private int minAgreement = 1;
        private long seed = 1234;
        private int limit;
        private List<Path> decontaminate = new ArrayList<>();
        private int ngram = Decontaminator.DEFAULT_NGRAM;
        private boolean chat = true;
        private int batchSize = 16;

        private Builder(Path input, DatasetKind kind, Path out) {
            this.input = input;
            this.kind = kind;
            this.out = out;
        }

        public Builder ops(List<EvolutionOp> v) { ops = v; return this; }
        public Builder rounds(int v) { rounds = v; return this; }
        public Builder originals(boolean v) { originals = v; return this; }
        public Builder paths(int v) { paths = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder evolveTemperature(double v) { evolveTemperature = v; return this; }
        public Builder maxTokens(int v) { maxTokens = v; return this; }
        public Builder maxEvolveTokens(int v) { maxEvolveTokens = v; return this; }
        public Builder maxQuestionChars(int v) { maxQuestionChars = v; return this; }
        public Builder maxPathChars(int v) { maxPathChars = v; return this; }
        public Builder minAgreement(int v) { minAgreement = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder limit(int v) { limit = v; return this; }
        public Builder decontaminate(List<Path> v) { decontaminate = v; return this; }
        public Builder ngram(int v) { ngram = v; return this; }
        public Builder chat(boolean v) { chat = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }

        public AugmentSpec build() {
            return new AugmentSpec(input, kind, ops, rounds, originals, paths, temperature, evolveTemperature,
                    maxTokens, maxEvolveTokens, maxQuestionChars, maxPathChars, minAgreement, seed, limit,
                    decontaminate, ngram, chat, batchSize, out);
        }
    }
}

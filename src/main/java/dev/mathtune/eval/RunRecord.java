package dev.mathtune.eval;

import dev.mathtune.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;
import dev.mathtune.generate.SamplingParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code out/run.json}: what an evaluation folder holds predictions for (dataset, kind, prompt, shots, shot seed,
 * training split, samples, sampling, the calculator when on) plus the generator, for the record. Resuming into a folder whose record
 * differs in any field but the generator is refused, so predictions of two different runs never mix.
 * The dataset limit is not recorded: a run may be resumed with a larger limit.
 */
public final class RunRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunRecord() {
    }

    /** Compares with an existing {@code run.json} (a {@link UserError} on a difference), then (re)writes it. */
    public static void check(EvalSpec spec, EvalDataset dataset, SamplingParams sampling, String generator) {
        check(spec, dataset, sampling, generator, null, null);
    }

    /**
     * {@link #check(EvalSpec, EvalDataset, SamplingParams, String)}, recording also the prompt's full definition
     * ({@code prompt_definition}: text pieces, shots, stop set, budget, source), kept like the generator for the
     * record and not compared (the prompt's name, shots and seed are), and the generator's compute dtype
     * ({@code dtype}, null where unknown: a server), which must not change on resume when both are known, so that
     * fp32 and bf16 predictions never mix in one folder.
     */
    public static void check(EvalSpec spec, EvalDataset dataset, SamplingParams sampling, String generator,
                             String dtype, Map<String, Object> promptDefinition) {
        Path file = spec.outDir().resolve(EvalRunner.RUN);
        ObjectNode record = identity(spec, dataset, sampling);
        JsonNode old = Files.exists(file) ? read(file) : null;
        String oldDtype = old == null ? null : old.path("dtype").asText(null);
        if (old != null) {
            boolean oldCalculator = old.path("calculator").asBoolean(false);
            if (oldCalculator != spec.calculator()) { // recorded only when on, so that older folders still resume
                throw UserError.inFile(file, "this folder holds predictions of a different run: calculator was "
                        + oldCalculator + ", now " + spec.calculator() + "; use another output folder or delete this one");
            }
            if (oldDtype != null && dtype != null && !oldDtype.equals(dtype)) {
                throw UserError.inFile(file, "this folder holds predictions computed in " + oldDtype + ", now " + dtype
                        + "; pass --dtype " + oldDtype + " to resume it, or use another output folder");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().toString().equals(String.valueOf(old.get(field.getKey())))) { // as JSON text
                    throw UserError.inFile(file, "this folder holds predictions of a different run: "
                            + field.getKey() + " was " + old.get(field.getKey()) + ", now " + field.getValue()
                            + "; use another output folder or delete this one");
                }
            }
        }
        record.put("generator", generator);
        String recorded = dtype != null ? dtype : oldDtype;
        if (recorded != null) record.put("dtype", recorded);
        if (promptDefinition != null) {
            record.set("prompt_definition", JSON.valueToTree(promptDefinition));
        }
        AtomicFiles.writeStringUnchecked(file, EvalRunner.json(record));
    }

    private static ObjectNode identity(EvalSpec spec, EvalDataset dataset, SamplingParams sampling) {
        ObjectNode node = JSON.createObjectNode();
        node.put("dataset", spec.dataset().path().toAbsolutePath().normalize().toString());
        node.put("kind", dataset.kind().name());
        node.put("prompt", spec.prompt());
        node.put("shots", spec.shots());
        node.put("shot_seed", spec.shotSeed());
        node.put("train_file", spec.trainFile() == null ? null
                : spec.trainFile().toAbsolutePath().normalize().toString());
        node.put("samples", spec.samples());
        node.set("sampling", JSON.valueToTree(sampling));
        if (spec.calculator()) node.put("calculator", true);
        return node;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw UserError.inFile(file, "unreadable run record: " + e.getMessage());
        }
    }
}

package dev.mathtune.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Worked examples a published protocol shows verbatim, kept as data in {@code src/main/resources/protocols/}
 * (each file's provenance, upstream repository, path and commit, is in {@code PublishedProtocols} and in
 * {@code src/test/resources/protocols/README.md}): a list of {@code {question, answer}} in upstream order.
 */
public record Exemplars(String file, List<Exemplar> items) {
    /** One worked example: the question and the answer text exactly as upstream shows it. */
    public record Exemplar(String question, String answer) {
    }

    public Exemplars {
        items = List.copyOf(items);
    }

    /** Reads {@code protocols/NAME.json} from the class path. */
    public static Exemplars load(String name) {
        String path = "protocols/" + name + ".json";
        try (InputStream in = Exemplars.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            List<Exemplar> out = new ArrayList<>();
            for (JsonNode node : new ObjectMapper().readTree(in)) {
                out.add(new Exemplar(node.get("question").asText(), node.get("answer").asText()));
            }
            return new Exemplars(path, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code k} examples (all of them when {@code k} is negative). */
    public List<Exemplar> first(int k, String protocol) {
        if (k > items.size()) {
            throw new UserError("prompt '" + protocol + "' has " + items.size()
                    + " published examples, " + k + " shots requested");
        }
        return k < 0 ? items : items.subList(0, k);
    }
}

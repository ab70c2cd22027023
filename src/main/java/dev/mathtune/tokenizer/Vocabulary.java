package dev.mathtune.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The token-to-id table of a {@code tokenizer.json}: the model's vocabulary plus the added tokens.
 *
 * @param ids        token text (in the model's own alphabet, e.g. {@code "Ġthe"}) to id
 * @param specialIds ids of added tokens marked {@code special}
 * @param size       one more than the largest id (the embedding rows a model needs)
 */
public record Vocabulary(Map<String, Integer> ids, Set<Integer> specialIds, int size) {

    public Vocabulary {
        ids = Map.copyOf(ids);
        specialIds = Set.copyOf(specialIds);
    }

    /** Reads {@code model.vocab} and {@code added_tokens} of a {@code tokenizer.json}. */
    public static Vocabulary read(Path tokenizerJson) {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> ids = new HashMap<>();
        Set<Integer> special = new TreeSet<>();
        try (JsonParser parser = mapper.createParser(tokenizerJson.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw UserError.inFile(tokenizerJson, "expected a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("model")) {
                    readModel(parser, mapper, ids);
                } else if (field.equals("added_tokens")) {
                    readAdded(mapper.readTree(parser), ids, special);
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw UserError.inFile(tokenizerJson, "not a valid tokenizer.json: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (ids.isEmpty()) {
            throw UserError.inFile(tokenizerJson, "no vocabulary (field 'model.vocab')");
        }
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        return new Vocabulary(ids, special, size);
    }

    private static void readModel(JsonParser parser, ObjectMapper mapper, Map<String, Integer> ids) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("vocab") && parser.currentToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String token = parser.currentName();
                    parser.nextToken();
                    ids.put(token, parser.getIntValue());
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void readAdded(JsonNode added, Map<String, Integer> ids, Set<Integer> special) {
        for (JsonNode token : added) {
            int id = token.path("id").asInt();
            ids.put(token.path("content").asText(), id);
            if (token.path("special").asBoolean(false)) {
                special.add(id);
            }
        }
    }

    /** The id of {@code token}, if it is in the vocabulary or an added token. */
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }
}

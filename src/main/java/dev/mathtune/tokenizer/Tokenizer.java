package dev.mathtune.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) run by the Rust {@code tokenizers} library through DJL, together
 * with the model's special ids and chat template. Never adds special tokens on its own, never truncates or pads,
 * and never touches the network (the native library is unpacked from the jar).
 */
public final class Tokenizer implements AutoCloseable {
    static {
        // DJL: no model-zoo downloads, no usage tracking. The native library ships inside the jar.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
    }

    private final HuggingFaceTokenizer rust;
    private final Vocabulary vocabulary;
    private final Set<Integer> eosIds;
    private final int padId;
    private final ChatTemplate chatTemplate;
    private final Map<Integer, byte[]> tokenBytes = new ConcurrentHashMap<>();

    private Tokenizer(HuggingFaceTokenizer tokenizer, Vocabulary vocabulary, Set<Integer> eosIds, int padId,
                      ChatTemplate chatTemplate) {
        this.rust = tokenizer;
        this.vocabulary = vocabulary;
        this.eosIds = Collections.unmodifiableSet(eosIds);
        this.padId = padId;
        this.chatTemplate = chatTemplate;
    }

    /**
     * Loads the tokenizer of a model directory: {@code tokenizer.json} (required), {@code tokenizer_config.json}
     * (chat template, eos and pad tokens) and {@code generation_config.json} / {@code config.json} (eos ids).
     * Without a chat template the built-in ChatML one ({@link ChatTemplate#chatMl()}) is used.
     */
    public static Tokenizer load(Path modelDir) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw UserError.inFile(file, "missing: the model directory has no tokenizer.json");
        }
        Vocabulary vocabulary = Vocabulary.read(file);
        TokenizerConfig config = TokenizerConfig.read(modelDir.resolve("tokenizer_config.json"));
        Set<Integer> eos = eosIds(modelDir, config, vocabulary);
        int pad = padId(modelDir, config, vocabulary, eos);
        return new Tokenizer(open(file), vocabulary, eos, pad, chatTemplate(config));
    }

    /** The chat template of a model directory, read from {@code tokenizer_config.json} alone (no vocabulary). */
    public static ChatTemplate chatTemplate(Path modelDir) {
        return chatTemplate(TokenizerConfig.read(modelDir.resolve("tokenizer_config.json")));
    }

    private static ChatTemplate chatTemplate(TokenizerConfig config) {
        return config.chatTemplate() == null ? ChatTemplate.chatMl()
                : ChatTemplate.of(config.chatTemplate(), config.bosToken(), config.eosToken());
    }

    private static HuggingFaceTokenizer open(Path file) {
        try {
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw UserError.inFile(file, "cannot load tokenizer: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** The token ids of {@code text}, without any special tokens added and without truncation. */
    public int[] encode(String text) {
        long[] ids = rust.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** The text of {@code ids}, special tokens included. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids}; with {@code skipSpecial} the special tokens (e.g. {@code <|im_end|>}) are left out. */
    public String decode(int[] ids, boolean skipSpecial) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return rust.decode(longs, skipSpecial);
    }

    /**
     * The exact bytes of token {@code id}: the UTF-8 of its text when it decodes to whole characters, else (a
     * byte-level token holding part of a character) its vocabulary entry read back through GPT-2's byte-level
     * alphabet. Cached; for log-prob answers ({@code bytes} of OpenAI's chat log-probs).
     */
    public byte[] tokenBytes(int id) {
        return tokenBytes.computeIfAbsent(id, this::findTokenBytes).clone();
    }

    private byte[] findTokenBytes(int id) {
        String text = decode(new int[]{id}, false);
        if (text.indexOf('\uFFFD') < 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        String entry = null;
        for (Map.Entry<String, Integer> e : vocabulary.ids().entrySet()) {
            if (e.getValue() == id) {
                entry = e.getKey();
                break;
            }
        }
        byte[] raw = entry == null ? null : ByteLevelAlphabet.decode(entry);
        return raw != null ? raw : text.getBytes(StandardCharsets.UTF_8);
    }

    /** Number of ids, added tokens included (one more than the largest id). */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The id of a token given in the model's own alphabet (e.g. {@code "<|im_end|>"} or {@code "Ġthe"}). */
    public OptionalInt tokenId(String token) {
        return vocabulary.id(token);
    }

    /** Ids that end generation: from generation_config.json, config.json and the eos token of tokenizer_config.json. */
    public Set<Integer> eosIds() {
        return eosIds;
    }

    /** The padding id: the pad token, else the first eos id. */
    public int padId() {
        return padId;
    }

    /** Ids of the added tokens marked special. */
    public Set<Integer> specialIds() {
        return vocabulary.specialIds();
    }

    /** The model's chat template, or the built-in ChatML one. */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    @Override
    public void close() {
        rust.close();
    }

    private static Set<Integer> eosIds(Path dir, TokenizerConfig config, Vocabulary vocabulary) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String name : new String[]{"generation_config.json", "config.json"}) {
            JsonNode node = readJson(dir.resolve(name)).path("eos_token_id");
            if (node.isInt()) {
                ids.add(node.asInt());
            }
            node.forEach(id -> ids.add(id.asInt()));
        }
        if (config.eosToken() != null) {
            vocabulary.id(config.eosToken()).ifPresent(ids::add);
        }
        return ids;
    }

    private static int padId(Path dir, TokenizerConfig config, Vocabulary vocabulary, Set<Integer> eos) {
        if (config.padToken() != null && vocabulary.id(config.padToken()).isPresent()) {
            return vocabulary.id(config.padToken()).getAsInt();
        }
        for (String name : new String[]{"generation_config.json", "config.json"}) {
            JsonNode node = readJson(dir.resolve(name)).path("pad_token_id");
            if (node.isInt()) {
                return node.asInt();
            }
        }
        return eos.isEmpty() ? 0 : eos.iterator().next();
    }

    /** The JSON object in {@code file}, or an empty node when the file is absent. */
    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return new ObjectMapper().createObjectNode();
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw UserError.inFile(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}

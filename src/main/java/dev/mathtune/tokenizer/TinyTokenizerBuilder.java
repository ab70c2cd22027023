package dev.mathtune.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a small byte-level BPE tokenizer on a text corpus and writes it as Hugging Face {@code tokenizer.json} and
 * {@code tokenizer_config.json}, for tiny random test and demo models. The format is Qwen's: Qwen's split regex
 * (digits one by one), ByteLevel pre-tokenizer and decoder, no byte fallback, the 256 byte tokens as ids 0-255, then
 * the learned merges, then the special tokens {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}.
 * Unlike Qwen there is no NFC normalizer, so every text decodes back to itself exactly.
 */
public final class TinyTokenizerBuilder {
    /** Qwen's pre-tokenizer split pattern (Rust-regex syntax, also valid Java). */
    public static final String SPLIT_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** The special tokens added after the learned vocabulary, in id order. */
    public static final List<String> SPECIAL_TOKENS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

    private final int vocabSize;

    /** A builder for a tokenizer with {@code vocabSize} ids in all (256 bytes + merges + 3 special tokens). */
    public TinyTokenizerBuilder(int vocabSize) {
        if (vocabSize < 256 + SPECIAL_TOKENS.size()) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is below the minimum "
                    + (256 + SPECIAL_TOKENS.size()) + " (256 bytes + special tokens)");
        }
        this.vocabSize = vocabSize;
    }

    /**
     * Learns merges from {@code corpus} and writes {@code tokenizer.json} and {@code tokenizer_config.json} into
     * {@code dir} (created if needed; each file written atomically).
     *
     * @throws IllegalArgumentException when the corpus is too small to learn enough merges for the vocab size
     */
    public void write(List<String> corpus, Path dir) {
        List<String> bytes = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            bytes.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
        int learned = vocabSize - SPECIAL_TOKENS.size();
        BpeTrainer.Result bpe = BpeTrainer.train(wordCounts(corpus), bytes, learned);
        if (bpe.vocabulary().size() < learned) {
            throw new IllegalArgumentException("corpus too small: it allows only " + bpe.vocabulary().size()
                    + " learned tokens, " + learned + " needed for vocab size " + vocabSize);
        }
        ObjectMapper mapper = new ObjectMapper();
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("tokenizer.json"), mapper.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(tokenizerJson(mapper, bpe)));
            writeAtomically(dir.resolve("tokenizer_config.json"), mapper.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(tokenizerConfig(mapper, learned)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer to " + dir, e);
        }
    }

    /** Counts of the corpus's pre-tokenized words, in the byte-level alphabet. */
    static Map<String, Integer> wordCounts(List<String> corpus) {
        Pattern split = Pattern.compile(SPLIT_PATTERN);
        Map<String, Integer> counts = new HashMap<>();
        for (String text : corpus) {
            Matcher m = split.matcher(text);
            while (m.find()) {
                counts.merge(ByteLevelAlphabet.encode(m.group()), 1, Integer::sum);
            }
        }
        return counts;
    }

    private ObjectNode tokenizerJson(ObjectMapper mapper, BpeTrainer.Result bpe) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            added.add(addedToken(mapper, bpe.vocabulary().size() + i, SPECIAL_TOKENS.get(i)));
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode splitStep = steps.addObject();
        splitStep.put("type", "Split");
        splitStep.putObject("pattern").put("Regex", SPLIT_PATTERN);
        splitStep.put("behavior", "Isolated");
        splitStep.put("invert", false);
        steps.add(byteLevel(mapper));
        root.set("post_processor", byteLevel(mapper));
        root.set("decoder", byteLevel(mapper));
        root.set("model", model(mapper, bpe));
        return root;
    }

    private static ObjectNode model(ObjectMapper mapper, BpeTrainer.Result bpe) {
        ObjectNode model = mapper.createObjectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < bpe.vocabulary().size(); id++) {
            vocab.put(bpe.vocabulary().get(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (BpeTrainer.Merge merge : bpe.merges()) {
            merges.addArray().add(merge.left()).add(merge.right());
        }
        return model;
    }

    private static ObjectNode byteLevel(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", false);
        node.put("use_regex", false);
        return node;
    }

    private static ObjectNode addedToken(ObjectMapper mapper, int id, String content) {
        ObjectNode token = mapper.createObjectNode();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
        return token;
    }

    private static ObjectNode tokenizerConfig(ObjectMapper mapper, int firstSpecialId) {
        ObjectNode config = mapper.createObjectNode();
        config.put("add_bos_token", false);
        config.put("add_prefix_space", false);
        ObjectNode decoder = config.putObject("added_tokens_decoder");
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            ObjectNode token = addedToken(mapper, firstSpecialId + i, SPECIAL_TOKENS.get(i));
            token.remove("id");
            decoder.set(String.valueOf(firstSpecialId + i), token);
        }
        config.putArray("additional_special_tokens").add("<|im_start|>").add("<|im_end|>");
        config.putNull("bos_token");
        config.put("chat_template", ChatTemplate.chatMlSource("You are a helpful assistant."));
        config.put("clean_up_tokenization_spaces", false);
        config.put("eos_token", "<|im_end|>");
        config.put("errors", "replace");
        config.put("model_max_length", 32768);
        config.put("pad_token", "<|endoftext|>");
        config.put("split_special_tokens", false);
        config.put("tokenizer_class", "Qwen2Tokenizer");
        config.putNull("unk_token");
        return config;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

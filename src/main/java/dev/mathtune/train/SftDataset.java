package dev.mathtune.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mathtune.UserError;
import dev.mathtune.data.DatasetFiles;
import dev.mathtune.data.DatasetRow;
import dev.mathtune.data.DatasetRows;
import dev.mathtune.generate.ChatMessage;
import dev.mathtune.tokenizer.Tokenizer;

/**
 * Supervised fine-tuning examples read from a dataset (JSON Lines, JSON or Parquet, see {@link DatasetRows}) and
 * tokenized: prompt (optionally through the chat template),
 * response, then the EOS token, which is trained too so that the model learns to stop. Examples longer than
 * {@code maxLength} are cut (counted in {@link #truncated()}).
 */
public final class SftDataset {
    private final List<SftExample> examples;
    private final int truncated;

    private SftDataset(List<SftExample> examples, int truncated) {
        this.examples = List.copyOf(examples);
        this.truncated = truncated;
    }

    public List<SftExample> examples() {
        return examples;
    }

    public int truncated() {
        return truncated;
    }

    /**
     * Reads {@code file} (JSON Lines, JSON or Parquet; one file or a glob, see {@link DatasetRows}), maps each row
     * by {@code format} (detected from the first row when auto), tokenizes, and keeps the first {@code limit}
     * examples ({@code <= 0}: all).
     */
    public static SftDataset load(Path file, DataFormat format, Tokenizer tok, boolean chat, boolean trainOnPrompt,
                                  int maxLength, int limit) {
        if (!DatasetFiles.isGlob(file) && !Files.isRegularFile(file)) {
            throw UserError.inFile(file, "training data file does not exist");
        }
        int eos = tok.eosIds().isEmpty() ? -1 : firstEos(tok);
        List<SftExample> out = new ArrayList<>();
        int cut = 0;
        DataFormat fmt = format;
        for (DatasetRow row : DatasetRows.read(file, 0)) {
            if (limit > 0 && out.size() >= limit) break;
            if (fmt.isAuto()) fmt = detect(row.fields(), row.file(), row.line());
            String[] pr = promptResponse(row.fields(), fmt, row.file(), row.line(), tok, chat);
            SftExample ex = tokenize(tok, pr[0], pr[1], eos, trainOnPrompt);
            if (ex.ids().length > maxLength) {
                cut++;
                ex = new SftExample(java.util.Arrays.copyOf(ex.ids(), maxLength), java.util.Arrays.copyOf(ex.target(), maxLength));
            }
            if (ex.targets() > 0) out.add(ex);
        }
        if (out.isEmpty()) throw UserError.inFile(file, "no training examples");
        return new SftDataset(out, cut);
    }

    /** The EOS appended to responses: the chat end token if the tokenizer has one, else its first EOS id. */
    private static int firstEos(Tokenizer tok) {
        return tok.tokenId("<|im_end|>").isPresent() && tok.eosIds().contains(tok.tokenId("<|im_end|>").getAsInt())
                ? tok.tokenId("<|im_end|>").getAsInt() : tok.eosIds().stream().min(Integer::compare).orElseThrow();
    }

    static DataFormat detect(JsonNode row, Path file, long line) {
        String[][] pairs = {{"prompt", "response"}, {"messages", null}, {"question", "answer"}, {"problem", "solution"}};
        for (String[] p : pairs) {
            if (row.has(p[0]) && (p[1] == null || row.has(p[1]))) return new DataFormat(p[0], p[1]);
        }
        throw UserError.atLine(file, line, null, "no prompt/response, messages, question/answer or problem/solution "
                + "fields (map others with --prompt-field/--response-field)");
    }

    private static String[] promptResponse(JsonNode row, DataFormat f, Path file, long line, Tokenizer tok, boolean chat) {
        if ("messages".equals(f.promptField()) && f.responseField() == null) {
            JsonNode msgs = row.get("messages");
            if (msgs == null || !msgs.isArray() || msgs.isEmpty()) throw UserError.atLine(file, line, "messages", "must be a non-empty array");
            List<ChatMessage> history = new ArrayList<>();
            for (JsonNode m : msgs) history.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
            ChatMessage last = history.remove(history.size() - 1);
            if (!last.role().equals("assistant")) throw UserError.atLine(file, line, "messages", "last message must be the assistant's");
            return new String[]{tok.chatTemplate().render(history, true), last.content()};
        }
        String prompt = text(row, f.promptField(), file, line), response = text(row, f.responseField(), file, line);
        if (chat) prompt = tok.chatTemplate().render(List.of(ChatMessage.user(prompt)), true);
        else prompt = prompt + "\n";
        return new String[]{prompt, response};
    }

    private static String text(JsonNode row, String field, Path file, long line) {
        JsonNode v = row.get(field);
        if (v == null || !v.isTextual()) throw UserError.atLine(file, line, field, v == null ? "missing" : "must be a string");
        return v.asText();
    }

    /** prompt ids ‖ response ids ‖ EOS, targets on response and EOS (and prompt when {@code trainOnPrompt}). */
    static SftExample tokenize(Tokenizer tok, String prompt, String response, int eos, boolean trainOnPrompt) {
        int[] p = tok.encode(prompt), r = tok.encode(response);
        int n = p.length + r.length + (eos >= 0 ? 1 : 0);
        int[] ids = new int[n];
        boolean[] target = new boolean[n];
        System.arraycopy(p, 0, ids, 0, p.length);
        System.arraycopy(r, 0, ids, p.length, r.length);
        if (eos >= 0) ids[n - 1] = eos;
        for (int i = 0; i < n; i++) target[i] = i >= p.length || (trainOnPrompt && i > 0);
        return new SftExample(ids, target);
    }
}

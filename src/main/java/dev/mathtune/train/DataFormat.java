package dev.mathtune.train;

/**
 * Which JSONL fields hold the prompt and the response: explicit names, or {@code auto} — the first of
 * {@code prompt/response}, {@code messages} (chat: all but the last assistant turn is the prompt),
 * {@code question/answer} (GSM8K) and {@code problem/solution} (MATH) present in the first row.
 */
public record DataFormat(String promptField, String responseField) {
    public static DataFormat auto() {
        return new DataFormat(null, null);
    }

    public boolean isAuto() {
        return promptField == null;
    }
}

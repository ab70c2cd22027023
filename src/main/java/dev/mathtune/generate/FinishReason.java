package dev.mathtune.generate;

/** Why a sequence stopped: OpenAI's names ({@code stop} covers EOS ids and stop strings). */
public enum FinishReason {
    /** An EOS token or a stop string. */
    STOP,
    /** {@code maxNewTokens} reached (or the context window filled). */
    LENGTH;

    /** The OpenAI wire name, {@code "stop"} or {@code "length"}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

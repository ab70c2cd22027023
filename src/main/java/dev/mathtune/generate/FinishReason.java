package dev.mathtune.generate;

/** Why a sequence stopped: OpenAI's names ({@code stop} covers EOS ids and stop strings). */
public enum FinishReason {
    /** An EOS token or a stop string. */
    STOP,
    /** {@code maxNewTokens} reached (or the context window filled). */
    LENGTH,
    /** Dropped before its end because its caller cancelled it (a streaming client disconnected); never sent. */
    ABORT;

    /** The OpenAI wire name, {@code "stop"} or {@code "length"} ({@code "abort"}, vLLM's name, is internal). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.mathtune.io.hub;

/** The kind of a Hugging Face Hub repository; it decides the URL layout. */
public enum RepoKind {
    MODEL("models", ""),
    DATASET("datasets", "datasets/");

    private final String apiSegment;
    private final String resolvePrefix;

    RepoKind(String apiSegment, String resolvePrefix) {
        this.apiSegment = apiSegment;
        this.resolvePrefix = resolvePrefix;
    }

    /** The API path segment: {@code models} or {@code datasets} (as in {@code /api/models/{id}}). */
    public String apiSegment() {
        return apiSegment;
    }

    /** Prefix of the repo id in file URLs: empty for models, {@code datasets/} for datasets. */
    public String resolvePrefix() {
        return resolvePrefix;
    }

    /** Lower-case name for messages ({@code model}, {@code dataset}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

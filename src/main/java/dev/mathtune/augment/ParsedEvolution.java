package dev.mathtune.augment;

/** The result of parsing one teacher output: an {@link EvolvedQuestion}, or the reason it was rejected. */
public record ParsedEvolution(EvolvedQuestion evolved, String rejection) {
    public ParsedEvolution {
        if ((evolved == null) == (rejection == null)) {
            throw new IllegalArgumentException("exactly one of evolved and rejection must be set");
        }
    }

    public static ParsedEvolution ok(EvolvedQuestion evolved) {
        return new ParsedEvolution(evolved, null);
    }

    public static ParsedEvolution rejected(String reason) {
        return new ParsedEvolution(null, reason);
    }

    public boolean isOk() {
        return evolved != null;
    }
}

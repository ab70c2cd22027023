package dev.mathtune.experiment.demo;

/** A way of writing one step of a solution; every phrasing keeps the calculator annotation intact. */
public enum Phrasing {
    /** The bare calculation: {@code "4 * 3 = <<4*3=12>>12"}; the most regular form. */
    EQUATION,
    /** The calculation after its label: {@code "Cost of the pens: 4 * 3 = <<4*3=12>>12"}. */
    LABELLED,
    /** A sentence: {@code "The cost of the pens is 4 * 3 = <<4*3=12>>12."}. */
    SENTENCE,
    /** A sentence that starts with the step's purpose: {@code "To find the cost of the pens, we compute 4 * 3 = <<4*3=12>>12."}. */
    PURPOSE;

    /** Writes {@code step} in this phrasing, as one line without a line break. */
    public String write(Step step) {
        String calc = step.calculation();
        return switch (this) {
            case EQUATION -> calc;
            case LABELLED -> capitalized(step.label()) + ": " + calc;
            case SENTENCE -> "The " + step.label() + " is " + calc + ".";
            case PURPOSE -> "To find the " + step.label() + ", we compute " + calc + ".";
        };
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

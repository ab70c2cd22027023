package dev.mathtune.experiment.demo;

import java.util.Objects;

/**
 * One step of a reasoning path: {@code left op right}, with a short noun phrase naming what it computes.
 *
 * @param label     what the step computes, lower case (for example {@code "cost of the pens"})
 * @param left      the left operand
 * @param operation the operation
 * @param right     the right operand
 */
public record Step(String label, long left, Operation operation, long right) {
    public Step {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(operation, "operation");
        operation.apply(left, right);
    }

    /** The exact result of the step. */
    public long result() {
        return operation.apply(left, right);
    }

    /** The step as a GSM8K calculation: {@code "4 * 3 = <<4*3=12>>12"}. */
    public String calculation() {
        long r = result();
        String op = operation.symbol();
        return left + " " + op + " " + right + " = <<" + left + op + right + "=" + r + ">>" + r;
    }
}

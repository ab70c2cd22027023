package dev.mathtune.experiment.demo;

/** An arithmetic operation of one solution step, written the way GSM8K calculator annotations write it. */
public enum Operation {
    PLUS("+"), MINUS("-"), TIMES("*"), DIVIDE("/");

    private final String symbol;

    Operation(String symbol) {
        this.symbol = symbol;
    }

    /** The symbol used in annotations: {@code + - * /}. */
    public String symbol() {
        return symbol;
    }

    /**
     * Applies the operation exactly.
     *
     * @throws ArithmeticException if a division is not exact or a result would be negative
     */
    public long apply(long left, long right) {
        long result = switch (this) {
            case PLUS -> Math.addExact(left, right);
            case MINUS -> Math.subtractExact(left, right);
            case TIMES -> Math.multiplyExact(left, right);
            case DIVIDE -> {
                if (right == 0 || left % right != 0) {
                    throw new ArithmeticException(left + " / " + right + " is not an exact integer");
                }
                yield left / right;
            }
        };
        if (result < 0) {
            throw new ArithmeticException(left + " " + symbol + " " + right + " is negative");
        }
        return result;
    }
}

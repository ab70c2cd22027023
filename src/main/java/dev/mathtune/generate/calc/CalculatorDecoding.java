package dev.mathtune.generate.calc;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The calculator at decoding time: when the completion's text ends in an open {@code <<EXPR=}
 * ({@link OpenAnnotation}) and {@link Calculator} evaluates {@code EXPR}, the tokens of {@code RESULT>>} are forced
 * next. They are the tokenization of {@code RESULT>>} alone: with Qwen's pre-tokenizer (digits split one by one,
 * punctuation runs apart from digits) that is the same as the tokenization of the whole text whenever the result
 * starts with a digit, because {@code =} then ends a pre-token; a negative result's {@code -} is where they may
 * differ ({@code =-} can be one pre-token). The completion is decoded only when its last token's text ends in
 * {@code =}, and then only its last {@value #TAIL_TOKENS} tokens (an expression is at most
 * {@value Calculator#MAX_CHARS} characters).
 */
public final class CalculatorDecoding implements TokenInjector {
    static final int TAIL_TOKENS = Calculator.MAX_CHARS + 8;

    private final Function<int[], String> decoder;
    private final Function<String, int[]> encoder;

    /** {@code decoder}: token ids to raw text; {@code encoder}: text to token ids, no special tokens added. */
    public CalculatorDecoding(Function<int[], String> decoder, Function<String, int[]> encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    @Override
    public Injection afterSampled(int[] tokens, int count) {
        if (count == 0 || !decoder.apply(new int[]{tokens[count - 1]}).endsWith("=")) return null;
        String tail = decoder.apply(Arrays.copyOfRange(tokens, Math.max(0, count - TAIL_TOKENS), count));
        Optional<String> expression = OpenAnnotation.expression(tail);
        if (expression.isEmpty()) return null;
        Optional<String> result = Calculator.evaluate(expression.get());
        if (result.isEmpty()) return null;
        int[] forced = encoder.apply(result.get() + ">>");
        if (forced.length == 0) return null;
        int offset = decoder.apply(Arrays.copyOf(tokens, count)).length();
        return new Injection(forced, new CalculatorCall(expression.get(), result.get(), count, offset));
    }
}

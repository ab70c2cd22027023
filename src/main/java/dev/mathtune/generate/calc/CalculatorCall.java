package dev.mathtune.generate.calc;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One call of the calculator during decoding: the annotation's {@code expression}, the {@code result} that was
 * appended (followed by {@code >>}), {@code token}: the index in the completion's token ids of the first forced
 * token, and {@code offset}: where the result starts in the completion's decoded text (UTF-16 characters, before
 * any stop string is cut off).
 */
public record CalculatorCall(String expression, String result, @JsonProperty("token") int token,
                             @JsonProperty("offset") int offset) {
}

package dev.mathtune.generate;

import java.util.List;

/**
 * One token with its log-probability under the model's unscaled distribution (the log-probs {@code mathtune score}
 * gives), and the most likely tokens at that step ({@code top}, empty unless asked for; their own {@code top} is
 * empty). {@code text} is the token decoded alone (U+FFFD where it holds part of a UTF-8 character), {@code bytes}
 * its exact bytes.
 */
public record TokenLogprob(int id, String text, byte[] bytes, double logprob, List<TokenLogprob> top) {
    public TokenLogprob {
        top = List.copyOf(top);
    }
}

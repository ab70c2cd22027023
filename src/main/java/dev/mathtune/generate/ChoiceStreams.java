package dev.mathtune.generate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.mathtune.tokenizer.Tokenizer;

/**
 * Relays the {@link Generator}'s sequences to the {@link CompletionListener}s of the requests they belong to: one
 * sequence per choice, each with its own {@link TextDeltas} when its request streams, and the log-prob entries of
 * the tokens not yet handed out. Requests without a listener cost a lookup per token.
 */
final class ChoiceStreams implements SequenceObserver {
    /** Sequence state: its request's position in the batch, its choice number and what is not yet handed out. */
    private record Sequence(int request, int choice, Choices choices, TextDeltas deltas, List<TokenLogprob> pending) {
    }

    private final Tokenizer tokenizer;
    private final Function<int[], String> decoder;
    private final List<Sequence> sequences = new ArrayList<>();

    /** @param decoder the decoder stop strings are matched on (the {@link StopCondition}'s) */
    ChoiceStreams(Tokenizer tokenizer, Function<int[], String> decoder) {
        this.tokenizer = tokenizer;
        this.decoder = decoder;
    }

    /** Registers the next sequence (index = the number registered before) as choice {@code choice} of a request. */
    int add(int request, int choice, Choices choices, List<String> stops) {
        TextDeltas deltas = choices.stream() ? new TextDeltas(decoder, stops) : null;
        sequences.add(new Sequence(request, choice, choices, deltas, new ArrayList<>()));
        return sequences.size() - 1;
    }

    int request(int index) {
        return sequences.get(index).request();
    }

    int choice(int index) {
        return sequences.get(index).choice();
    }

    @Override
    public int topLogprobs(int index) {
        return Math.max(0, sequences.get(index).choices().logprobs());
    }

    @Override
    public boolean cancelled(int index) {
        CompletionListener l = sequences.get(index).choices().listener();
        return l != null && l.cancelled();
    }

    @Override
    public void token(int index, int token, double logprob, TopTokens top) {
        Sequence s = sequences.get(index);
        CompletionListener l = s.choices().listener();
        if (l == null) return;
        if (s.choices().wantsLogprobs()) s.pending().add(entry(token, logprob, top));
        if (s.deltas() == null) return;
        String text = s.deltas().add(token);
        if (!text.isEmpty()) {
            l.delta(s.choice(), text, List.copyOf(s.pending()));
            s.pending().clear();
        }
    }

    /** Hands out the rest of a finished sequence's text and tokens, then its end. */
    void finish(SequenceResult result) {
        Sequence s = sequences.get(result.index());
        CompletionListener l = s.choices().listener();
        if (l == null) return;
        String rest = s.deltas() == null ? result.text() : s.deltas().finish(result.text());
        if (!rest.isEmpty() || !s.pending().isEmpty()) l.delta(s.choice(), rest, List.copyOf(s.pending()));
        s.pending().clear();
        l.finished(s.choice(), result.finishReason(), result.tokens());
    }

    private TokenLogprob entry(int token, double logprob, TopTokens top) {
        List<TokenLogprob> alternatives = new ArrayList<>();
        if (top != null) {
            for (int i = 0; i < top.ids().length; i++) {
                alternatives.add(entry(top.ids()[i], top.logprobs()[i], null));
            }
        }
        byte[] bytes = tokenizer.tokenBytes(token);
        return new TokenLogprob(token, new String(bytes, StandardCharsets.UTF_8), bytes, logprob, alternatives);
    }
}

package dev.mathtune.generate.openai;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.CompletionListener;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.TokenLogprob;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The listener {@link OpenAiServer} gives one request: it queues what the backend reports (text deltas, each
 * choice's end, then the request's {@link Completion} or failure) for the handler thread, which writes them as
 * stream chunks or folds them into one answer ({@link #collect}). A handler whose client went away
 * {@link #cancel}s, and the engine drops the request's sequences at its next step. For a backend that reports no
 * choices ({@code TextGenerator.reportsChoices()} false) the completion itself becomes choice 0.
 */
final class ChoiceEvents implements CompletionListener {
    sealed interface Event permits Delta, Finished, Done, Failed {
    }

    record Delta(int choice, String text, List<TokenLogprob> tokens) implements Event {
    }

    record Finished(int choice, FinishReason reason, int[] tokenIds) implements Event {
    }

    record Done(Completion completion) implements Event {
    }

    record Failed(Throwable error) implements Event {
    }

    /** One choice of a non-streamed answer. */
    record Choice(int index, String text, List<TokenLogprob> tokens, FinishReason reason, int[] tokenIds) {
    }

    /** A non-streamed answer: its choices, and the completion (for usage). */
    record Answer(List<Choice> choices, Completion completion) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile boolean cancelled;
    private volatile boolean reported;

    @Override
    public void delta(int choice, String text, List<TokenLogprob> tokens) {
        reported = true;
        events.add(new Delta(choice, text, tokens));
    }

    @Override
    public void finished(int choice, FinishReason reason, int[] tokenIds) {
        reported = true;
        events.add(new Finished(choice, reason, tokenIds));
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    /** The client is gone: the engine drops this request's sequences at its next step. */
    void cancel() {
        cancelled = true;
    }

    /** The backend's completion of the request (after every choice's events), or its failure. */
    void complete(Completion completion, Throwable error) {
        if (error != null) {
            events.add(new Failed(error));
            return;
        }
        if (!reported) {
            int[] ids = completion.tokenIds().stream().mapToInt(Integer::intValue).toArray();
            events.add(new Delta(0, completion.text(), List.of()));
            events.add(new Finished(0, completion.finishReason(), ids));
        }
        events.add(new Done(completion));
    }

    /** The next event, waiting for it. */
    Event next() throws InterruptedException {
        return events.take();
    }

    /** Waits for the end and folds the events into {@code n} choices; a backend failure is thrown. */
    Answer collect(int n) throws InterruptedException, ExecutionException {
        List<StringBuilder> texts = new ArrayList<>();
        List<List<TokenLogprob>> tokens = new ArrayList<>();
        Finished[] finished = new Finished[n];
        for (int i = 0; i < n; i++) {
            texts.add(new StringBuilder());
            tokens.add(new ArrayList<>());
        }
        while (true) {
            Event e = next();
            if (e instanceof Delta d) {
                texts.get(d.choice()).append(d.text());
                tokens.get(d.choice()).addAll(d.tokens());
            } else if (e instanceof Finished f) {
                finished[f.choice()] = f;
            } else if (e instanceof Failed f) {
                throw new ExecutionException(f.error());
            } else if (e instanceof Done done) {
                List<Choice> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Finished f = finished[i];
                    out.add(new Choice(i, texts.get(i).toString(), tokens.get(i),
                            f == null ? FinishReason.ABORT : f.reason(), f == null ? new int[0] : f.tokenIds()));
                }
                return new Answer(out, done.completion());
            }
        }
    }
}

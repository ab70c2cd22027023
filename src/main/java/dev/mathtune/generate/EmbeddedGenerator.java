package dev.mathtune.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mathtune.generate.calc.CalculatorDecoding;
import dev.mathtune.generate.calc.TokenInjector;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.tokenizer.Tokenizer;

/**
 * The embedded backend: tokenizes (applying the chat template to chat requests), runs the continuous-batching
 * {@link Generator} in this process, and decodes. Completions arrive in the order sequences finish. Requests with
 * {@code calculator} set decode with the calculator ({@link CalculatorDecoding}).
 */
public final class EmbeddedGenerator implements TextGenerator {
    private final Qwen2Model model;
    private final Tokenizer tokenizer;
    private final int batchSize;
    private final PrefixKv prefix;
    private final String description;

    public EmbeddedGenerator(Qwen2Model model, Tokenizer tokenizer, int batchSize, PrefixKv prefix, String description) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.prefix = prefix;
        this.description = description;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The prompt text a request is tokenized from (chat template applied for chat requests). */
    @Override
    public Optional<String> promptText(GenerationRequest r) {
        return Optional.of(r.isChat() ? tokenizer.chatTemplate().render(r.messages(), true) : r.prompt());
    }

    /**
     * Runs every choice of every request as one sequence ({@link Choices}: choice {@code i} sampled with seed
     * {@link SplitMix#choiceSeed}, identical prompts prefilled once), reports them to each request's listener, and
     * passes one {@link Completion} per request to {@code sink} when its last choice ends: choice 0's text, ids and
     * finish reason, with {@code completionTokens} summed over the choices (OpenAI's usage; the prompt counts once).
     */
    @Override
    public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
        // stop strings are matched on the raw text, special tokens included, so "<|im_end|>" can stop a model
        // whose EOS is only <|endoftext|> (a Qwen2.5 base checkpoint writing on into a new ChatML turn)
        Function<int[], String> decoder = ids -> tokenizer.decode(ids, false);
        StopCondition stop = new StopCondition(tokenizer.eosIds(), decoder);
        ChoiceStreams streams = new ChoiceStreams(tokenizer, decoder);
        List<SequenceRequest> seqs = new ArrayList<>();
        int[] promptTokens = new int[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest r = requests.get(i);
            int[] ids = tokenizer.encode(promptText(r).orElseThrow());
            promptTokens[i] = ids.length;
            for (int c = 0; c < r.choices().n(); c++) {
                int index = streams.add(i, c, r.choices(), r.params().stop());
                seqs.add(new SequenceRequest(index, ids, r.params().withSeed(SplitMix.choiceSeed(r.params().seed(), c)),
                        r.calculator()));
            }
        }
        long t0 = System.nanoTime();
        int[] left = requests.stream().mapToInt(r -> r.choices().n()).toArray();
        int[] generated = new int[requests.size()];
        SequenceResult[] first = new SequenceResult[requests.size()];
        TokenInjector calculator = new CalculatorDecoding(decoder, tokenizer::encode);
        new Generator(model, batchSize, true, stop, prefix, calculator).run(seqs, res -> {
            streams.finish(res);
            int i = streams.request(res.index());
            generated[i] += res.tokens().length;
            if (streams.choice(res.index()) == 0) first[i] = res;
            if (--left[i] > 0) return;
            List<Integer> ids = new ArrayList<>(first[i].tokens().length);
            for (int t : first[i].tokens()) ids.add(t);
            sink.accept(new Completion(requests.get(i).id(), first[i].text(), ids, first[i].finishReason(),
                    promptTokens[i], generated[i], (System.nanoTime() - t0) / 1e9, first[i].calculatorCalls()));
        }, streams);
    }

    @Override
    public boolean reportsChoices() {
        return true;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public java.util.Optional<String> computeDtype() {
        return java.util.Optional.of(model.dtype().name().toLowerCase(java.util.Locale.ROOT));
    }
}

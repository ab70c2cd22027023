package dev.mathtune.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

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

    @Override
    public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
        List<SequenceRequest> seqs = new ArrayList<>();
        Map<Integer, Long> started = new ConcurrentHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest r = requests.get(i);
            seqs.add(new SequenceRequest(i, tokenizer.encode(promptText(r).orElseThrow()), r.params(), r.calculator()));
        }
        long t0 = System.nanoTime();
        // stop strings are matched on the raw text, special tokens included, so "<|im_end|>" can stop a model
        // whose EOS is only <|endoftext|> (a Qwen2.5 base checkpoint writing on into a new ChatML turn)
        StopCondition stop = new StopCondition(tokenizer.eosIds(), ids -> tokenizer.decode(ids, false));
        TokenInjector calculator = new CalculatorDecoding(ids -> tokenizer.decode(ids, false), tokenizer::encode);
        new Generator(model, batchSize, true, stop, prefix, calculator).run(seqs, res -> {
            GenerationRequest r = requests.get(res.index());
            List<Integer> ids = new ArrayList<>(res.tokens().length);
            for (int t : res.tokens()) ids.add(t);
            sink.accept(new Completion(r.id(), res.text(), ids, res.finishReason(),
                    seqs.get(res.index()).promptIds().length, res.tokens().length,
                    (System.nanoTime() - started.getOrDefault(res.index(), t0)) / 1e9, res.calculatorCalls()));
        });
    }

    @Override
    public String describe() {
        return description;
    }
}

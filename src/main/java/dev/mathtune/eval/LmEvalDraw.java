package dev.mathtune.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mathtune.data.DatasetRow;
import dev.mathtune.data.DatasetRows;

/**
 * lm-evaluation-harness's default few-shot sampler for a train split: one {@code random.Random(seed)} for the
 * whole task, and for each test doc, in doc order, {@code rnd.sample(train_docs, k)} (ContextSampler.sample in
 * {@code lm_eval/api/samplers.py}; the seed is reset by {@code set_fewshot_seed} before the requests are built).
 * Item {@code i}'s shots are therefore the {@code (i+1)}-th draw; draws are replayed once and kept.
 * Each shot reads {@code "Question: q\nAnswer: " + answer + "\n\n"} (gsm8k.yaml, target_delimiter, fewshot_delimiter).
 */
final class LmEvalDraw implements PromptTemplate.ItemShots {
    private final List<DatasetRow> train;
    private final int k;
    private final PythonRandom random;
    private final List<String> prefixes = new ArrayList<>();

    LmEvalDraw(Path trainFile, int k, long seed) {
        if (trainFile == null) {
            throw new dev.mathtune.UserError("prompt 'lm-eval-gsm8k' draws its examples from gsm8k/train.jsonl; "
                    + "pass the training split (--train-file)");
        }
        this.train = DatasetRows.read(trainFile, 0);
        this.k = k;
        this.random = new PythonRandom(seed);
        if (train.size() < k) {
            throw dev.mathtune.UserError.inFile(trainFile, "only " + train.size() + " rows, " + k + " shots requested");
        }
    }

    @Override
    public synchronized String prefix(int index) {
        while (prefixes.size() <= index) {
            StringBuilder text = new StringBuilder();
            for (int j : random.sample(train.size(), k)) {
                DatasetRow row = train.get(j);
                text.append(PublishedProtocols.lmEvalShot("Question: " + row.text("question") + "\nAnswer:",
                        row.text("answer")));
            }
            prefixes.add(text.toString());
        }
        return prefixes.get(index);
    }
}

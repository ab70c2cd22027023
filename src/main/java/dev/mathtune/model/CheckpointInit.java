package dev.mathtune.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.experiment.demo.Problem;
import dev.mathtune.experiment.demo.SyntheticProblems;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.tokenizer.TinyTokenizerBuilder;
import dev.mathtune.tokenizer.Tokenizer;

/**
 * Writes a checkpoint directory with random weights for a preset shape (HF layout). For {@code tiny} it also
 * trains a byte-level BPE tokenizer of the preset's vocabulary size on synthetic word problems, and points the
 * config's EOS at the tokenizer's {@code <|im_end|>}.
 */
public final class CheckpointInit {
    private CheckpointInit() {
    }

    public static Qwen2Config write(Qwen2Config shape, Path dir, DType dtype, long seed, boolean withTinyTokenizer)
            throws IOException {
        Engine.init();
        Files.createDirectories(dir);
        Qwen2Config config = shape;
        if (withTinyTokenizer) {
            new TinyTokenizerBuilder(shape.vocabSize()).write(tokenizerCorpus(), dir);
            try (Tokenizer tok = Tokenizer.load(dir)) {
                int eos = tok.tokenId("<|im_end|>").orElseThrow();
                int bos = tok.tokenId("<|endoftext|>").orElseThrow();
                config = new Qwen2Config(shape.vocabSize(), shape.hiddenSize(), shape.intermediateSize(),
                        shape.numLayers(), shape.numHeads(), shape.numKvHeads(), shape.headDim(), shape.rmsNormEps(),
                        shape.ropeTheta(), shape.tieWordEmbeddings(), shape.maxPositionEmbeddings(), bos,
                        List.of(eos), shape.torchDtype());
            }
        }
        Qwen2Weights.random(config, dtype, 0.02, seed).save(dir, dtype);
        String eos = config.eosTokenIds().toString();
        AtomicFiles.writeString(dir.resolve("generation_config.json"),
                "{\n  \"eos_token_id\": " + eos + ",\n  \"do_sample\": false\n}\n");
        return Qwen2Config.load(dir);
    }

    /** Text the tiny tokenizer learns its merges from: synthetic grade-school problems and solutions. */
    static List<String> tokenizerCorpus() {
        List<String> corpus = new ArrayList<>();
        SyntheticProblems problems = new SyntheticProblems();
        for (int level = 1; level <= 3; level++) {
            for (Problem p : problems.generate(level, 400, 1000 + level)) {
                corpus.add(p.question());
                corpus.add(p.answer());
            }
        }
        corpus.add("Question: Answer: Let's think step by step. The answer is \\boxed{} Solution: #### ");
        return corpus;
    }
}

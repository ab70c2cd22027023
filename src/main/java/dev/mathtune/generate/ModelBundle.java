package dev.mathtune.generate;

import java.nio.file.Path;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.tokenizer.Tokenizer;

/** A loaded model directory: weights and tokenizer, checked against each other. */
public record ModelBundle(Path dir, Qwen2Model model, Tokenizer tokenizer) {

    public static ModelBundle load(Path dir, DType dtype) {
        Qwen2Model model = ModelLoader.load(dir, dtype);
        Tokenizer tok = Tokenizer.load(dir);
        if (tok.vocabSize() > model.config().vocabSize()) {
            throw UserError.inFile(dir.resolve("tokenizer.json"), "vocabulary has " + tok.vocabSize()
                    + " tokens but config.json's vocab_size is " + model.config().vocabSize());
        }
        return new ModelBundle(dir, model, tok);
    }

    public EmbeddedGenerator generator(int batchSize, PrefixKv prefix) {
        return new EmbeddedGenerator(model, tokenizer, batchSize, prefix,
                "embedded:" + dir + " (" + model.dtype().name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
}

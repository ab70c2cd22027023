package dev.mathtune.model;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;

/** Loads a Hugging Face Qwen2 checkpoint directory ({@code config.json} + safetensors) into a {@link Qwen2Model}. */
public final class ModelLoader {
    private ModelLoader() {
    }

    public static Qwen2Model load(Path dir, DType dtype) {
        if (!Files.isDirectory(dir)) throw UserError.inFile(dir, "model directory does not exist");
        Engine.init();
        Qwen2Config config = Qwen2Config.load(dir);
        return new Qwen2Model(Qwen2Weights.load(dir, config, dtype), dtype);
    }
}

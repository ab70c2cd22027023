package dev.mathtune.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.mathtune.engine.DType;
import dev.mathtune.model.Qwen2Model;

/** Full fine-tuning: every weight of the model trains; the result is a complete HF checkpoint directory. */
public final class FullFineTune implements Trainable {
    /** Tokenizer and generation files copied from the base checkpoint into the result. */
    public static final String[] SIDE_FILES = {"tokenizer.json", "tokenizer_config.json", "generation_config.json",
            "special_tokens_map.json", "vocab.json", "merges.txt", "added_tokens.json"};

    private final Qwen2Model model;
    private final Path baseDir;
    private final DType saveDtype;
    private final Map<String, Tensor> params;

    public FullFineTune(Qwen2Model model, Path baseDir, DType saveDtype) {
        this.model = model;
        this.baseDir = baseDir;
        this.saveDtype = saveDtype;
        this.params = new LinkedHashMap<>(model.weights().named());
        params.values().forEach(t -> t.set_requires_grad(true));
    }

    @Override
    public Qwen2Model model() {
        return model;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return params;
    }

    @Override
    public Set<String> noDecay() {
        Set<String> s = new HashSet<>();
        params.forEach((n, t) -> {
            if (t.dim() < 2) s.add(n);
        });
        return s;
    }

    @Override
    public void save(Path dir) throws IOException {
        model.weights().save(dir, saveDtype);
        copySideFiles(baseDir, dir);
    }

    /** Copies tokenizer and generation config files that exist in {@code from}. */
    public static void copySideFiles(Path from, Path to) throws IOException {
        for (String f : SIDE_FILES) {
            Path src = from.resolve(f);
            if (Files.isRegularFile(src)) {
                Path tmp = to.resolve(f + ".tmp");
                Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, to.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }
}

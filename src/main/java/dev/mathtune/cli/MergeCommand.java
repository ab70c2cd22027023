package dev.mathtune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.mathtune.train.FullFineTune;
import dev.mathtune.io.FileTrees;
import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.model.Qwen2Weights;
import dev.mathtune.peft.LoraAdapter;
import dev.mathtune.peft.PeftFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mathtune merge --model DIR --adapter DIR --out DIR}: folds a LoRA adapter into its base model
 * ({@code W' = W + s·B·A}, in fp32) and writes a plain HF checkpoint in the base's {@code torch_dtype}, with the
 * base's config.json and tokenizer files. The checkpoint is written into a temporary sibling directory first and
 * moved into place, so {@code --out} never holds a half-written model.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge a LoRA adapter into its base model and save a standalone checkpoint.")
public final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Base model directory (HF layout).")
    Path model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "PEFT LoRA adapter directory.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the merged checkpoint.")
    Path out;

    @picocli.CommandLine.Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws IOException {
        String type = PeftFiles.peftType(adapter);
        if (!type.equals(PeftFiles.LORA)) {
            throw UserError.inFile(adapter.resolve(PeftFiles.CONFIG), "field 'peft_type': \"" + type
                    + "\" cannot be merged into the weights (only LORA adapters can; use --adapter at score/generate/eval time)");
        }
        Engine.init();
        device.apply();
        Qwen2Model base = ModelLoader.load(model, DType.FP32);
        DType saveAs = saveDtype(base.config().torchDtype());
        LoraAdapter lora = LoraAdapter.load(base, adapter);
        Qwen2Weights merged = lora.merge(base.weights());
        Path target = out.toAbsolutePath().normalize();
        if (Files.isRegularFile(target)) throw UserError.inFile(target, "--out must be a directory, not a file");
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-merge");
        FileTrees.delete(tmp);
        merged.save(tmp, saveAs);
        Files.copy(model.resolve("config.json"), tmp.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        for (String f : FullFineTune.SIDE_FILES) {
            Path src = model.resolve(f);
            if (Files.isRegularFile(src)) Files.copy(src, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        publish(tmp, target);
        spec.commandLine().getOut().printf("merged %s (r=%d, alpha=%s, %d projections) into %s -> %s (%s)%n",
                adapter, lora.config().r(), lora.config().alpha(), lora.layers().size(), model, target,
                Qwen2Weights.torchDtypeName(saveAs));
        return ExitCode.OK;
    }

    /** The dtype to save in: config.json's {@code torch_dtype}, fp32 when absent or "auto". */
    static DType saveDtype(String torchDtype) {
        if (torchDtype == null || torchDtype.equals("auto")) return DType.FP32;
        try {
            return DType.parse(torchDtype);
        } catch (IllegalArgumentException e) {
            throw new UserError("config.json: field 'torch_dtype': '" + torchDtype + "' is not supported");
        }
    }

    /** Moves the finished temporary directory into place: a rename when {@code target} is absent, else file by file. */
    private static void publish(Path tmp, Path target) throws IOException {
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path f : files.toList()) {
                Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.delete(tmp);
    }
}

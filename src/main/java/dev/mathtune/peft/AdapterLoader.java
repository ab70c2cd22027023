package dev.mathtune.peft;

import java.nio.file.Path;

import dev.mathtune.UserError;
import dev.mathtune.model.Qwen2Model;

/** Loads a PEFT adapter directory of either supported kind ({@code LORA}, {@code PREFIX_TUNING}) onto a base model. */
public final class AdapterLoader {
    private AdapterLoader() {
    }

    /**
     * Reads {@code adapterDir/adapter_config.json} and applies the adapter to {@code base} (dropout off). Other PEFT
     * types are refused with an error naming the file.
     */
    public static LoadedAdapter load(Qwen2Model base, Path adapterDir) {
        String type = PeftFiles.peftType(adapterDir);
        return switch (type) {
            case PeftFiles.LORA -> {
                LoraAdapter lora = LoraAdapter.load(base, adapterDir);
                yield new LoadedAdapter(lora.model(), null, lora);
            }
            case PeftFiles.PREFIX_TUNING -> {
                PrefixTuning prefix = PrefixTuning.load(base, adapterDir);
                yield new LoadedAdapter(base, prefix, prefix);
            }
            default -> throw UserError.inFile(adapterDir.resolve(PeftFiles.CONFIG), "field 'peft_type': \"" + type
                    + "\" is not supported (only LORA and PREFIX_TUNING)");
        };
    }
}

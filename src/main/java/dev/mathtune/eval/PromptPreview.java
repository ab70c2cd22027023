package dev.mathtune.eval;

import dev.mathtune.UserError;
import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The exact prompts an evaluation would send, without a model: {@code mathtune eval --print-prompts N}. Text
 * prompts need nothing else; a chat prompt is rendered by {@code chatTemplate} (the model's own template, read
 * from its tokenizer files), and without one it is an error naming {@code --model}.
 */
public final class PromptPreview {
    /** One item's prompt: {@code index} is the item's row number in the file, from 0. */
    public record Item(int index, String prompt) {
    }

    private PromptPreview() {
    }

    /** The prompts of the first {@code count} items of {@code spec}'s dataset. */
    public static List<Item> first(EvalSpec spec, int count, Function<List<ChatMessage>, String> chatTemplate) {
        EvalDataset dataset = DatasetLoader.load(spec.dataset());
        PromptTemplate template = EvalRunner.template(spec, dataset);
        SamplingParams params = spec.resolvedSampling(dataset.kind(), template.maxNewTokens());
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, dataset.items().size()); i++) {
            EvalItem item = dataset.items().get(i);
            GenerationRequest request = template.request(i, item.id(), item.question(), params);
            if (request.isChat() && chatTemplate == null) {
                throw new UserError("prompt '" + template.name() + "' is rendered by the model's chat template; pass "
                        + "--model DIR (only its tokenizer files are read)");
            }
            out.add(new Item(i, request.isChat() ? chatTemplate.apply(request.messages()) : request.prompt()));
        }
        return out;
    }
}

package dev.mathtune.generate.openai;

import dev.mathtune.generate.TextGenerator;

/**
 * One model name an {@link OpenAiServer} answers for, and the backend that completes its requests. An adapter
 * served beside its base names the base in {@code parent} and its directory in {@code root}, as vLLM's model cards
 * for LoRA modules do ({@code GET /v1/models}); a base model has {@code root} = its own name and no parent.
 *
 * @param name    the {@code model} clients send
 * @param backend what generates for that name
 * @param root    what the name stands for (the adapter's directory, or the name itself)
 * @param parent  the served base's name for an adapter; null for a base model
 */
public record ServedModel(String name, TextGenerator backend, String root, String parent) {

    public ServedModel {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("served model name is empty");
        if (backend == null) throw new IllegalArgumentException("served model '" + name + "' has no backend");
        if (root == null) root = name;
    }

    /** A base model served as {@code name}. */
    public static ServedModel base(String name, TextGenerator backend) {
        return new ServedModel(name, backend, name, null);
    }

    /** An adapter served as {@code name}, loaded from {@code root} onto the model served as {@code parent}. */
    public static ServedModel adapter(String name, TextGenerator backend, String root, String parent) {
        return new ServedModel(name, backend, root, parent);
    }
}

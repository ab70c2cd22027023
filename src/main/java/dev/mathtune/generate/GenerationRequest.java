package dev.mathtune.generate;

import java.util.List;

/**
 * One prompt to complete. Exactly one of {@code prompt} (raw text, an OpenAI {@code /v1/completions} call)
 * and {@code messages} (a chat, rendered with the model's chat template, or {@code /v1/chat/completions}) is set.
 * {@code id} is the caller's key, echoed back in the {@link Completion}. {@code choices} asks for several sampled
 * choices, log-probs or streamed text ({@link Choices#ONE}: none of them). {@code calculator} asks for
 * calculator-assisted decoding (GSM8K annotations, see {@link dev.mathtune.generate.calc.CalculatorDecoding}),
 * which only the embedded engine does.
 */
public record GenerationRequest(String id, String prompt, List<ChatMessage> messages, SamplingParams params,
                                Choices choices, boolean calculator) {
    public GenerationRequest {
        if ((prompt == null) == (messages == null)) {
            throw new IllegalArgumentException("exactly one of prompt and messages must be set (request " + id + ")");
        }
        messages = messages == null ? null : List.copyOf(messages);
        choices = choices == null ? Choices.ONE : choices;
    }

    public GenerationRequest(String id, String prompt, List<ChatMessage> messages, SamplingParams params) {
        this(id, prompt, messages, params, Choices.ONE, false);
    }

    public GenerationRequest(String id, String prompt, List<ChatMessage> messages, SamplingParams params,
                             Choices choices) {
        this(id, prompt, messages, params, choices, false);
    }

    public GenerationRequest(String id, String prompt, List<ChatMessage> messages, SamplingParams params,
                             boolean calculator) {
        this(id, prompt, messages, params, Choices.ONE, calculator);
    }

    public static GenerationRequest text(String id, String prompt, SamplingParams params) {
        return new GenerationRequest(id, prompt, null, params);
    }

    public static GenerationRequest chat(String id, List<ChatMessage> messages, SamplingParams params) {
        return new GenerationRequest(id, null, messages, params);
    }

    public GenerationRequest withChoices(Choices newChoices) {
        return new GenerationRequest(id, prompt, messages, params, newChoices, calculator);
    }

    /** This request with calculator-assisted decoding on or off. */
    public GenerationRequest withCalculator(boolean on) {
        return new GenerationRequest(id, prompt, messages, params, choices, on);
    }

    public boolean isChat() {
        return messages != null;
    }
}

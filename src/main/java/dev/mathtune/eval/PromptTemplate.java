package dev.mathtune.eval;

import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How a question becomes a generation request. With a {@code system} message it is a chat
 * (system + user question); without, it is raw text: {@code prefix} (e.g. k-shot examples) followed by
 * {@code questionFormat} with {@code {question}} replaced. {@code stop} strings end the completion
 * (e.g. {@code "\n\nQuestion:"} so a k-shot model does not invent the next question).
 */
public record PromptTemplate(String name, String system, String prefix, String questionFormat, List<String> stop) {
    public static final String QUESTION = "{question}";

    public PromptTemplate {
        if (!questionFormat.contains(QUESTION)) {
            throw new IllegalArgumentException("questionFormat must contain " + QUESTION + ": " + questionFormat);
        }
        prefix = prefix == null ? "" : prefix;
        stop = List.copyOf(stop);
    }

    public boolean isChat() {
        return system != null;
    }

    /** The user message (chat) or the whole text prompt (text) for {@code question}. */
    public String userText(String question) {
        return prefix + questionFormat.replace(QUESTION, question);
    }

    /** A request for {@code question}: the template's stop strings are added to those of {@code params}. */
    public GenerationRequest request(String id, String question, SamplingParams params) {
        LinkedHashSet<String> stops = new LinkedHashSet<>(params.stop());
        stops.addAll(stop);
        SamplingParams withStops = params.withStop(new ArrayList<>(stops));
        if (isChat()) {
            return GenerationRequest.chat(id,
                    List.of(ChatMessage.system(system), ChatMessage.user(userText(question))), withStops);
        }
        return GenerationRequest.text(id, userText(question), withStops);
    }

    /** The prompt as logged in predictions: the text, or for a chat {@code "system: ...\nuser: ..."}. */
    public String render(String question) {
        return isChat() ? "system: " + system + "\nuser: " + userText(question) : userText(question);
    }
}

package dev.mathtune.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * How a question becomes a generation request. With a {@code system} message it is a chat
 * (system + user question); without, it is raw text: {@code prefix} (e.g. k-shot examples) followed by
 * {@code questionFormat} with {@code {question}} replaced. {@code stop} strings end the completion
 * (e.g. {@code "\n\nQuestion:"} so a k-shot model does not invent the next question); they may name special
 * tokens such as {@code <|im_end|>}, matched on the decoded text with special tokens included.
 * {@code protocol} holds what a published protocol adds (see {@link Protocol}); {@code null} for mathtune's own.
 */
public record PromptTemplate(String name, String system, String prefix, String questionFormat, List<String> stop,
                             Protocol protocol) {
    public static final String QUESTION = "{question}";

    /**
     * What a published protocol fixes beyond the text: the shots used, the token budget ({@code 0} = the dataset's
     * default), the upstream files it follows, whether the question is stripped of surrounding whitespace first
     * (Qwen's {@code parse_question} does, lm-eval does not), and examples that differ per item ({@code null}
     * when the prefix is the same for every item).
     */
    public record Protocol(int shots, int maxNewTokens, String source, boolean stripQuestion, ItemShots itemShots) {
    }

    /** Examples drawn per item (lm-eval's seeded draw): the text before the question of item {@code index}. */
    @FunctionalInterface
    public interface ItemShots {
        String prefix(int index);
    }

    public PromptTemplate {
        if (!questionFormat.contains(QUESTION)) {
            throw new IllegalArgumentException("questionFormat must contain " + QUESTION + ": " + questionFormat);
        }
        prefix = prefix == null ? "" : prefix;
        stop = List.copyOf(stop);
    }

    public PromptTemplate(String name, String system, String prefix, String questionFormat, List<String> stop) {
        this(name, system, prefix, questionFormat, stop, null);
    }

    public boolean isChat() {
        return system != null;
    }

    /** The generation budget the prompt's protocol uses; {@code 0} = the dataset's default. */
    public int maxNewTokens() {
        return protocol == null ? 0 : protocol.maxNewTokens();
    }

    /** The user message (chat) or the whole text prompt (text) for {@code question}, as for the first item. */
    public String userText(String question) {
        return userText(0, question);
    }

    /** The user message (chat) or the whole text prompt (text) for item {@code index} asking {@code question}. */
    public String userText(int index, String question) {
        String q = protocol != null && protocol.stripQuestion() ? question.strip() : question;
        String before = protocol != null && protocol.itemShots() != null ? protocol.itemShots().prefix(index) : prefix;
        return before + questionFormat.replace(QUESTION, q);
    }

    /** A request for {@code question}: the template's stop strings are added to those of {@code params}. */
    public GenerationRequest request(String id, String question, SamplingParams params) {
        return request(0, id, question, params);
    }

    /** A request for item {@code index}: the template's stop strings are added to those of {@code params}. */
    public GenerationRequest request(int index, String id, String question, SamplingParams params) {
        LinkedHashSet<String> stops = new LinkedHashSet<>(params.stop());
        stops.addAll(stop);
        SamplingParams withStops = params.withStop(new ArrayList<>(stops));
        if (isChat()) {
            return GenerationRequest.chat(id, messages(index, question), withStops);
        }
        return GenerationRequest.text(id, userText(index, question), withStops);
    }

    private List<ChatMessage> messages(int index, String question) {
        return List.of(ChatMessage.system(system), ChatMessage.user(userText(index, question)));
    }

    /**
     * The prompt as sent: the text, or for a chat the messages as JSON ({@code [{"role", "content"}, ...]}),
     * which is what an OpenAI-compatible server receives; the embedded engine logs the rendered chat template
     * instead (see {@code TextGenerator.promptText}).
     */
    public String render(String question) {
        return render(0, question);
    }

    /** {@link #render(String)} for item {@code index}. */
    public String render(int index, String question) {
        if (!isChat()) {
            return userText(index, question);
        }
        List<Map<String, String>> wire = new ArrayList<>();
        for (ChatMessage m : messages(index, question)) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("role", m.role());
            entry.put("content", m.content());
            wire.add(entry);
        }
        try {
            return new ObjectMapper().writeValueAsString(wire);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The full definition, for {@code run.json}: text pieces, shots, stop set, budget and source. */
    public Map<String, Object> definition() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        if (protocol != null) {
            d.put("source", protocol.source());
            d.put("shots", protocol.shots());
            d.put("max_new_tokens", protocol.maxNewTokens());
            d.put("strip_question", protocol.stripQuestion());
        }
        d.put("system", system);
        d.put("prefix", protocol != null && protocol.itemShots() != null ? null : prefix);
        d.put("prefix_per_item", protocol != null && protocol.itemShots() != null);
        d.put("question_format", questionFormat);
        d.put("stop", stop);
        return d;
    }
}

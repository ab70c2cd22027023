package dev.mathtune.generate.openai;

import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A deterministic fake backend: the text is {@code "echo<seed>:" + input} cut at the first stop string (STOP) or
 * at {@code maxNewTokens} characters (LENGTH); token ids are the characters. Records every batch it is given.
 */
final class EchoGenerator implements TextGenerator {
    private final long delayMillis;
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    EchoGenerator(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    @Override
    public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
        batchSizes.add(requests.size());
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        requests.forEach(r -> sink.accept(complete(r)));
    }

    static Completion complete(GenerationRequest r) {
        String input = r.isChat()
                ? r.messages().stream().map(m -> m.role() + "=" + m.content()).collect(Collectors.joining("|"))
                : r.prompt();
        String text = "echo" + r.params().seed() + ":" + input;
        FinishReason finish = FinishReason.STOP;
        for (String stop : r.params().stop()) {
            int at = text.indexOf(stop);
            if (at >= 0) {
                text = text.substring(0, at);
            }
        }
        if (text.length() > r.params().maxNewTokens()) {
            text = text.substring(0, r.params().maxNewTokens());
            finish = FinishReason.LENGTH;
        }
        List<Integer> ids = text.chars().boxed().toList();
        return new Completion(r.id(), text, ids, finish, input.length(), ids.size(), 0.0);
    }

    @Override
    public String describe() {
        return "echo";
    }

    static List<ChatMessage> chat(String question) {
        return List.of(ChatMessage.system("be brief"), ChatMessage.user(question));
    }
}

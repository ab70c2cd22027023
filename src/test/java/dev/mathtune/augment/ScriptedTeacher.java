package dev.mathtune.augment;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fake GSM8K teacher whose output depends only on the prompt (and, for paths, the path index in the id).
 * Evolutions: canned outputs for particular (original question, op) pairs, else a well-formed rewrite in one of
 * several formats; a second-round rewrite lists both ops sorted, so (a then b) and (b then a) collide as
 * duplicates. Paths for a question with answer A: two agreeing distinct paths, a duplicate of the first,
 * and one off by one (evolved pencil questions: no answer in the last path); "hard variant" questions get four different answers, "long variant" ones hit the token
 * limit. Completions are delivered in reverse order from a second thread; {@code failAfter} requests, it throws.
 */
final class ScriptedTeacher implements TextGenerator {
    static final String TOM = "Tom has 3 apples and buys 4 more at the market. How many apples does Tom have now?";
    static final String SARA = "Sara buys 3 packs of pencils with 4 pencils in each pack. How many pencils does Sara buy?";

    private final String janet;
    private final Map<String, String> canned;
    private final int failAfter;
    private final AtomicInteger served = new AtomicInteger();

    ScriptedTeacher(String janet, int failAfter) {
        this.janet = janet;
        this.failAfter = failAfter;
        this.canned = Map.of(
                TOM + "|add-condition", "New question: " + TOM,
                TOM + "|increase-complexity", "New question: <the rewritten question>",
                SARA + "|fractions-percentages", "Sure! Here is a harder version of the problem about percentages.",
                SARA + "|combine-concepts", "**New Question:** " + janet,
                SARA + "|change-numbers", "New question: Sara buys 5 packs of pencils, a hard variant. How many?",
                SARA + "|add-condition", "New question: Sara buys 3 packs and loses one, a long variant. How many?");
    }

    int served() {
        return served.get();
    }

    @Override
    public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
        List<GenerationRequest> reversed = new ArrayList<>(requests);
        Collections.reverse(reversed);
        Thread worker = new Thread(() -> {
            for (GenerationRequest r : reversed) {
                if (served.incrementAndGet() > failAfter) {
                    return;
                }
                sink.accept(complete(r));
            }
        });
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (served.get() > failAfter) {
            throw new IllegalStateException("teacher died after " + failAfter + " requests");
        }
    }

    private Completion complete(GenerationRequest r) {
        String prompt = r.messages().get(0).content();
        if (prompt.startsWith("Solve the following")) {
            String question = between(prompt, "Question: ", "\n\nAnswer:");
            int index = Integer.parseInt(r.id().substring(r.id().lastIndexOf('|') + 1));
            if (question.contains("long variant")) {
                return new Completion(r.id(), "3 * 4 = 12 and then", List.of(), FinishReason.LENGTH, 50, 512, 0.01);
            }
            return new Completion(r.id(), path(question, index), List.of(), FinishReason.STOP, 50, 30, 0.01);
        }
        String original = between(prompt, "Original question:\n", "\n\nOriginal solution:");
        String op = opOf(prompt);
        String text = canned.getOrDefault(original + "|" + op, rewrite(original, op));
        return new Completion(r.id(), text, List.of(), FinishReason.STOP, 200, 40, 0.01);
    }

    private static String rewrite(String original, String op) {
        String q = original.substring(0, original.length() - 1) + " with the " + op + " twist?";
        int with = original.indexOf(" with the ");
        if (with >= 0 && original.endsWith(" twist?")) {
            String previous = original.substring(with + " with the ".length(), original.length() - " twist?".length());
            List<String> both = new ArrayList<>(List.of(previous, op));
            Collections.sort(both);
            q = original.substring(0, with) + " with the " + String.join(" and ", both) + " twists?";
        }
        return switch (op) {
            case "change-numbers" -> "New question: " + q;
            case "fractions-percentages" -> "Sure, here it is:\n\n**New Question:** " + q + "\n\nThis adds a percentage.";
            case "combine-concepts" -> "### New question:\n" + q;
            default -> "New Question: \"" + q + "\"";
        };
    }

    private static String path(String question, int index) {
        if (question.contains("hard variant")) {
            return (100 + index) + " + 1 = " + (101 + index) + "\n#### " + (101 + index);
        }
        if (index == 3 && question.contains("pencils") && question.contains("twist")) {
            return "I cannot tell without more information.";
        }
        int a = question.equals(TOM) ? 7 : question.equals(SARA) ? 12 : 10 + question.length() % 50;
        return switch (index) {
            case 0, 1 -> "First, " + (a - 1) + " + 1 = " + a + ".\n#### " + a;
            case 2 -> "First, " + a + " + 1 = " + (a + 1) + ".\n#### " + (a + 1);
            default -> "Adding, 1 + " + (a - 1) + " = " + a + ".\nThe answer is " + a;
        };
    }

    private static String opOf(String prompt) {
        for (Map.Entry<String, String> e : Map.of("change the numbers", "change-numbers",
                "introduce fractions", "fractions-percentages", "combine concepts", "combine-concepts",
                "add a condition", "add-condition", "increase complexity", "increase-complexity").entrySet()) {
            if (prompt.contains("Operation: " + e.getKey())) {
                return e.getValue();
            }
        }
        throw new IllegalArgumentException("unknown evolution prompt: " + prompt);
    }

    private static String between(String s, String start, String end) {
        int a = s.indexOf(start) + start.length();
        return s.substring(a, s.indexOf(end, a));
    }

    @Override
    public String describe() {
        return "scripted-teacher";
    }
}

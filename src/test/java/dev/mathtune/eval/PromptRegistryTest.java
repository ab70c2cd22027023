package dev.mathtune.eval;

import dev.mathtune.UserError;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptRegistryTest {
    static final Path DATA = DatasetLoaderTest.DATA;
    static final Path GSM_TRAIN = DATA.resolve("gsm8k/train.jsonl");
    static final Path MATH_TRAIN = DATA.resolve("math/train.jsonl");

    @Test
    void listsThePromptsWithStops() {
        assertEquals(List.of("qwen25-math-cot", "qwen-cot", "lm-eval-gsm8k", "lm-eval-gsm8k-cot", "lm-eval-minerva-math",
                        "qwen-math-cot", "zero-shot-cot", "gsm8k-kshot", "math-kshot", "sft"),
                PromptRegistry.list().stream().map(PromptInfo::name).toList());
        assertEquals(List.of("\n\nQuestion:"), PromptRegistry.info("gsm8k-kshot").stop());
        assertEquals(GSM_TRAIN, PromptRegistry.defaultTrainFile("gsm8k-kshot", DATA));
        assertTrue(PromptRegistry.describe().contains("math-kshot"));
        assertEquals(10, PromptRegistry.describe().lines().count());
        // the format mathtune train uses without --chat: the question and a newline
        assertEquals("What is 1+1?\n", PromptRegistry.create("sft", PromptOptions.defaults()).render("What is 1+1?"));
        UserError e = assertThrows(UserError.class, () -> PromptRegistry.info("nope"));
        assertTrue(e.getMessage().contains("qwen-math-cot"));
    }

    @Test
    void qwenMathCotIsASystemAndUserChat() {
        PromptTemplate t = PromptRegistry.create("qwen-math-cot", PromptOptions.defaults());
        GenerationRequest r = t.request("x#0", "What is 1+1?", SamplingParams.greedy(512).withStop(List.of("END")));
        assertTrue(r.isChat());
        assertEquals("system", r.messages().get(0).role());
        assertEquals("Please reason step by step, and put your final answer within \\boxed{}.", r.messages().get(0).content());
        assertEquals("What is 1+1?", r.messages().get(1).content());
        assertEquals(List.of("END", "<|im_end|>", "<|endoftext|>"), r.params().stop());
        // what an endpoint receives, logged when no chat template is at hand
        assertEquals("[{\"role\":\"system\",\"content\":\"Please reason step by step, and put your final answer within "
                + "\\\\boxed{}.\"},{\"role\":\"user\",\"content\":\"What is 1+1?\"}]", t.render("What is 1+1?"));
    }

    @Test
    void zeroShotCotIsPlainTextWithAQuestionStop() {
        PromptTemplate t = PromptRegistry.create("zero-shot-cot", PromptOptions.defaults());
        GenerationRequest r = t.request("x#0", "What is 1+1?", SamplingParams.greedy(512));
        assertFalse(r.isChat());
        assertEquals("Question: What is 1+1?\nAnswer: Let's think step by step.", r.prompt());
        assertEquals(List.of("\n\nQuestion:"), r.params().stop());
    }

    @Test
    void gsm8kKShotIsDeterministicAndAvoidsTestQuestions() {
        Set<String> test = DatasetLoader.load(DatasetSpec.of(DATA.resolve("gsm8k/test.jsonl"))).items().stream()
                .map(i -> i.question().strip()).collect(Collectors.toSet());
        PromptTemplate a = PromptRegistry.create("gsm8k-kshot", new PromptOptions(8, 7, GSM_TRAIN, test));
        PromptTemplate b = PromptRegistry.create("gsm8k-kshot", new PromptOptions(8, 7, GSM_TRAIN, test));
        PromptTemplate c = PromptRegistry.create("gsm8k-kshot", new PromptOptions(8, 8, GSM_TRAIN, test));
        String prompt = a.userText("How many?");
        assertEquals(prompt, b.userText("How many?"));
        assertNotEquals(prompt, c.userText("How many?"));
        assertEquals(9, prompt.split("Question: ", -1).length - 1, "8 shots + the question");
        assertEquals(8, prompt.split("The answer is ", -1).length - 1);
        assertFalse(prompt.contains("<<") || prompt.contains("####"));
        assertTrue(prompt.endsWith("\n\nQuestion: How many?\nAnswer:"));
        assertTrue(test.stream().noneMatch(prompt::contains));
    }

    @Test
    void excludedQuestionsNeverBecomeShots() {
        PromptTemplate free = PromptRegistry.create("gsm8k-kshot", new PromptOptions(2, 3, GSM_TRAIN, Set.of()));
        String firstShot = free.prefix().substring("Question: ".length(), free.prefix().indexOf("\nAnswer:"));
        PromptTemplate avoiding = PromptRegistry.create("gsm8k-kshot", new PromptOptions(2, 3, GSM_TRAIN, Set.of(firstShot)));
        assertFalse(avoiding.prefix().contains(firstShot));
    }

    @Test
    void mathKShotUsesMinervaFinalAnswerLines() {
        PromptTemplate t = PromptRegistry.create("math-kshot", new PromptOptions(-1, 1, MATH_TRAIN, Set.of()));
        String prompt = t.userText("Find $x$.");
        assertEquals(4, prompt.split("I hope it is correct.", -1).length - 1);
        assertTrue(prompt.contains("Final Answer: The final answer is $"));
        assertTrue(prompt.endsWith("Problem:\nFind $x$.\n\nSolution:"));
        assertEquals(prompt, PromptRegistry.create("math-kshot", new PromptOptions(4, 1, MATH_TRAIN, Set.of())).userText("Find $x$."));
        assertEquals(List.of("\n\nProblem:"), t.stop());
    }

    @Test
    void kShotWithoutTrainingSplitIsAUserError() {
        assertThrows(UserError.class, () -> PromptRegistry.create("gsm8k-kshot", PromptOptions.defaults()));
    }
}

package dev.mathtune.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvolvedQuestionParserTest {
    private final EvolvedQuestionParser parser = new EvolvedQuestionParser();

    @Test
    void recordedTeacherOutputsParseOrAreRejectedWithTheirReason() throws IOException {
        List<JsonNode> cases = fixtures();
        assertTrue(cases.size() >= 15, "fixture cases");
        for (JsonNode c : cases) {
            String name = c.get("case").asText();
            ParsedEvolution p = parser.parse(c.get("output").asText(), DatasetKind.parse(c.get("kind").asText()));
            if (c.has("reason")) {
                assertFalse(p.isOk(), name + " should be rejected, got " + p.evolved());
                assertEquals(c.get("reason").asText(), p.rejection(), name);
            } else {
                assertTrue(p.isOk(), name + " rejected: " + p.rejection());
                assertEquals(c.get("question").asText(), p.evolved().question(), name);
                if (c.has("answer")) {
                    assertEquals(c.get("answer").asText(), p.evolved().answer(), name);
                }
            }
        }
    }

    @Test
    void promptEchoFollowedByAnAnswerYieldsTheAnswerNotThePlaceholderOrOriginal() {
        String prompt = PromptTemplate.evolution(DatasetKind.GSM8K, EvolutionOp.ADD_CONDITION)
                .render("Ann has 4 pens and buys 2 more. How many pens does she have?", "4 + 2 = 6\n#### 6");
        String output = prompt + "\nNew question: Ann has 4 pens, buys 2 more and loses 1. How many pens does she have?";
        ParsedEvolution p = parser.parse(output, DatasetKind.GSM8K);
        assertTrue(p.isOk(), p.rejection());
        assertEquals("Ann has 4 pens, buys 2 more and loses 1. How many pens does she have?", p.evolved().question());
    }

    @Test
    void promptEchoAloneIsRejectedAsPlaceholder() {
        for (DatasetKind kind : DatasetKind.values()) {
            String prompt = PromptTemplate.evolution(kind, EvolutionOp.CHANGE_NUMBERS)
                    .render("What is $2+3$ plus four more apples?", "It is $\\boxed{9}$.");
            ParsedEvolution p = parser.parse(prompt, kind);
            assertEquals(EvolvedQuestionParser.PLACEHOLDER, p.rejection(), kind.toString());
        }
    }

    @Test
    void mathSolutionIsCutAfterTheBoxedLine() {
        ParsedEvolution p = parser.parse("New problem: What is $3 \\cdot 4$ plus one more?\nSolution: It is $12+1$, so "
                + "$\\boxed{13}$.\nThanks for asking, hope it helps!", DatasetKind.MATH);
        assertTrue(p.isOk(), p.rejection());
        assertEquals("It is $12+1$, so $\\boxed{13}$.", p.evolved().solution());
    }

    static List<JsonNode> fixtures() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> cases = new ArrayList<>();
        try (InputStream in = EvolvedQuestionParserTest.class.getResourceAsStream("/augment/teacher-outputs.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    cases.add(json.readTree(line));
                }
            }
        }
        return cases;
    }
}

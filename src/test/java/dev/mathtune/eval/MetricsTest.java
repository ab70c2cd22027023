package dev.mathtune.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricsTest {

    @Test
    void wilsonIntervalMatchesKnownValues() {
        WilsonInterval half = WilsonInterval.of95(50, 100);
        assertEquals(0.4038, half.lower(), 1e-4);
        assertEquals(0.5962, half.upper(), 1e-4);
        WilsonInterval none = WilsonInterval.of95(0, 10);
        assertEquals(0.0, none.lower(), 1e-12);
        assertEquals(0.2775, none.upper(), 1e-4);
        WilsonInterval all = WilsonInterval.of95(10, 10);
        assertEquals(0.7225, all.lower(), 1e-4);
        assertEquals(1.0, all.upper(), 1e-12);
        // Newcombe (1998), Stat. Med. 17:857, Table I, method 3 (Wilson score without continuity correction)
        assertInterval(0.2553, 0.3662, WilsonInterval.of95(81, 263));
        assertInterval(0.0624, 0.1605, WilsonInterval.of95(15, 148));
        assertInterval(0.0, 0.1611, WilsonInterval.of95(0, 20));
        assertInterval(0.0061, 0.1718, WilsonInterval.of95(1, 29));
        assertEquals(new WilsonInterval(0, 1), WilsonInterval.of95(0, 0));
        assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of95(3, 2));
    }

    @Test
    void passAtKFollowsChenEtAl() {
        assertEquals(0.3, PassAtK.estimate(10, 3, 1), 1e-12);
        assertEquals(1 - 21.0 / 45.0, PassAtK.estimate(10, 3, 2), 1e-12); // 1 - C(7,2)/C(10,2)
        assertEquals(1.0, PassAtK.estimate(10, 3, 8), 1e-12);             // n - c < k
        assertEquals(0.0, PassAtK.estimate(5, 0, 5), 1e-12);
        assertEquals(1.0, PassAtK.estimate(5, 1, 5), 1e-12);              // pass@n = any correct
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(4, 1, 5));
    }

    @Test
    void majorityVoteCountsAndBreaksTiesByFirstAppearance() {
        assertEquals(1, MajorityVote.winner(Arrays.asList("3", "5", " 5", null, "3 ", "5")));
        assertEquals(0, MajorityVote.winner(Arrays.asList("3", "5", "5", "3")));
        assertEquals(1, MajorityVote.winner(Arrays.asList(null, "7", "8")));
        assertEquals(-1, MajorityVote.winner(Arrays.asList(null, null, "  ")));
    }

    @Test
    void metricsAggregateSamplesSubjectsAndLevels() {
        EvalDataset ds = new EvalDataset("toy", DatasetKind.MATH, List.of(
                new EvalItem("a", "qa", "1", "Algebra", 1),
                new EvalItem("b", "qb", "2", "Algebra", 2),
                new EvalItem("c", "qc", "3", "Geometry", 2)));
        List<PredictionRow> rows = new ArrayList<>();
        // a: samples answer 1, 9, 9 -> majority 9 (wrong), 1 of 3 correct
        rows.add(row("a", 2, "9", false, false));
        rows.add(row("a", 0, "1", true, true));
        rows.add(row("a", 1, "9", false, false));
        // b: 2, 2, x -> majority 2 (right), 2 of 3; lenient/strict differ on sample 1
        rows.add(row("b", 0, "2", true, true));
        rows.add(row("b", 1, "2.0", true, false));
        rows.add(row("b", 2, null, false, false));
        // c: 4, 5, 3 -> tie broken by first (4, wrong), 1 of 3
        rows.add(row("c", 0, "4", false, false));
        rows.add(row("c", 1, "5", false, false));
        rows.add(row("c", 2, "3", true, true));
        rows.add(row("zzz", 0, "3", true, true)); // not in the dataset: ignored
        EvalMetrics m = EvalMetrics.compute(ds, "p", 3, rows, 90, 3.0);
        assertEquals(9, m.rows());
        assertEquals(0, m.missingRows());
        assertEquals(4, m.accuracy().correct());
        assertEquals(3, m.strict().correct());
        assertEquals(List.of("b#1"), m.lenientStrictDiffer());
        assertEquals(1, m.majAtN().correct());
        assertEquals(3, m.majAtN().total());
        assertEquals(4.0 / 9.0, m.passAtK().get("pass@1"), 1e-12);
        assertEquals((PassAtK.estimate(3, 1, 2) * 2 + PassAtK.estimate(3, 2, 2)) / 3, m.passAtK().get("pass@2"), 1e-12);
        assertEquals(1.0, m.passAtK().get("pass@3"), 1e-12);
        assertEquals(3, m.bySubject().get("Algebra").correct());
        assertEquals(6, m.bySubject().get("Algebra").total());
        assertEquals(1, m.byLevel().get("1").correct());
        assertEquals(3, m.byLevel().get("2").correct());
        assertEquals(9 * 10, m.completionTokens());
        assertEquals(30.0, m.tokensPerSecond(), 1e-9);
    }

    @Test
    void singleSampleGsmMetricsOmitVotesAndSubjects() {
        EvalDataset ds = new EvalDataset("g", DatasetKind.GSM8K, List.of(
                new EvalItem("a", "qa", "1", null, 0), new EvalItem("b", "qb", "2", null, 0)));
        EvalMetrics m = EvalMetrics.compute(ds, "p", 1, List.of(row("a", 0, "1", true, true)), 10, 0);
        assertEquals(1, m.missingRows());
        assertNull(m.majAtN());
        assertNull(m.passAtK());
        assertNull(m.bySubject());
        assertEquals(1.0, m.accuracy().accuracy());
    }

    private static void assertInterval(double lower, double upper, WilsonInterval ci) {
        assertEquals(lower, ci.lower(), 1e-4);
        assertEquals(upper, ci.upper(), 1e-4);
    }

    private static PredictionRow row(String id, int sample, String extracted, boolean correct, boolean strict) {
        return new PredictionRow(id, sample, "prompt", "text", extracted, "rule", "ref", correct,
                correct ? "numeric" : "incorrect", strict, 10, 0.5, "stop");
    }
}

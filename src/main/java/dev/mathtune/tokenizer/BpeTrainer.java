package dev.mathtune.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns byte-pair-encoding merges from word counts: starting from single symbols, repeatedly merges the most
 * frequent adjacent pair (ties broken by the pair's text, so training is deterministic) until the vocabulary
 * reaches the wanted size or no pair is left.
 */
final class BpeTrainer {

    /** One learned merge: {@code left + right} becomes one token. */
    record Merge(String left, String right) {
        String joined() {
            return left + right;
        }
    }

    /** What training produced: the merges in rank order and the vocabulary (base symbols first) in id order. */
    record Result(List<Merge> merges, List<String> vocabulary) {
    }

    private BpeTrainer() {
    }

    /**
     * Trains on {@code wordCounts} (words already in the byte-level alphabet) starting from {@code baseSymbols}
     * until the vocabulary has {@code targetSize} entries or nothing more can be merged.
     */
    static Result train(Map<String, Integer> wordCounts, List<String> baseSymbols, int targetSize) {
        Set<String> vocabulary = new LinkedHashSet<>(baseSymbols);
        List<String[]> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        wordCounts.forEach((word, count) -> {
            words.add(word.codePoints().mapToObj(Character::toString).toArray(String[]::new));
            counts.add(count);
        });
        List<Merge> merges = new ArrayList<>();
        while (vocabulary.size() < targetSize) {
            Merge best = mostFrequentPair(words, counts);
            if (best == null) {
                break;
            }
            merges.add(best);
            vocabulary.add(best.joined());
            words.replaceAll(symbols -> apply(symbols, best));
        }
        return new Result(List.copyOf(merges), List.copyOf(vocabulary));
    }

    private static Merge mostFrequentPair(List<String[]> words, List<Integer> counts) {
        Map<Merge, Long> pairCounts = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            String[] symbols = words.get(w);
            for (int i = 0; i + 1 < symbols.length; i++) {
                pairCounts.merge(new Merge(symbols[i], symbols[i + 1]), (long) counts.get(w), Long::sum);
            }
        }
        Merge best = null;
        long bestCount = 0;
        for (Map.Entry<Merge, Long> e : pairCounts.entrySet()) {
            long c = e.getValue();
            if (c > bestCount || (c == bestCount && best != null && compare(e.getKey(), best) < 0)) {
                best = e.getKey();
                bestCount = c;
            }
        }
        return best;
    }

    private static int compare(Merge a, Merge b) {
        int c = a.left().compareTo(b.left());
        return c != 0 ? c : a.right().compareTo(b.right());
    }

    /** {@code symbols} with every occurrence of the pair, left to right, replaced by the joined token. */
    private static String[] apply(String[] symbols, Merge merge) {
        List<String> out = new ArrayList<>(symbols.length);
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i].equals(merge.left()) && symbols[i + 1].equals(merge.right())) {
                out.add(merge.joined());
                i++;
            } else {
                out.add(symbols[i]);
            }
        }
        return out.size() == symbols.length ? symbols : out.toArray(String[]::new);
    }
}

package dev.mathtune.eval.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Number words to a number, as the {@code word2number} package's {@code w2n.word_to_num} (v1.1) that Qwen2.5-Math's
 * {@code strip_string} applies to every answer: hyphens become spaces, the text is lower-cased, a string of digits is
 * returned as it is; otherwise only the words that name numbers are kept ({@code "two apples"} gives 2, a lone
 * {@code "point"} gives 0), {@code thousand}/{@code million}/{@code billion} split the groups and {@code point}
 * starts decimal digits. Where {@code w2n} raises (no number word, a repeated scale word, a malformed order),
 * {@link #parse} is empty and the caller keeps its text.
 */
final class WordNumber {

    private static final Map<String, Long> VALUES = Map.ofEntries(
            Map.entry("zero", 0L), Map.entry("one", 1L), Map.entry("two", 2L), Map.entry("three", 3L),
            Map.entry("four", 4L), Map.entry("five", 5L), Map.entry("six", 6L), Map.entry("seven", 7L),
            Map.entry("eight", 8L), Map.entry("nine", 9L), Map.entry("ten", 10L), Map.entry("eleven", 11L),
            Map.entry("twelve", 12L), Map.entry("thirteen", 13L), Map.entry("fourteen", 14L),
            Map.entry("fifteen", 15L), Map.entry("sixteen", 16L), Map.entry("seventeen", 17L),
            Map.entry("eighteen", 18L), Map.entry("nineteen", 19L), Map.entry("twenty", 20L), Map.entry("thirty", 30L),
            Map.entry("forty", 40L), Map.entry("fifty", 50L), Map.entry("sixty", 60L), Map.entry("seventy", 70L),
            Map.entry("eighty", 80L), Map.entry("ninety", 90L), Map.entry("hundred", 100L),
            Map.entry("thousand", 1000L), Map.entry("million", 1_000_000L), Map.entry("billion", 1_000_000_000L));
    private static final List<String> DIGIT_WORDS = List.of("zero", "one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine");

    private WordNumber() {
    }

    /** {@code text} converted as {@code str(w2n.word_to_num(text))}, or {@code text} itself where w2n raises. */
    static String convert(String text) {
        return parse(text).orElse(text);
    }

    /** The number {@code text} names, printed as Python prints it ({@code 5}, {@code 1.5}), or empty. */
    static Optional<String> parse(String text) {
        String sentence = text.replace('-', ' ').toLowerCase(Locale.ROOT);
        if (!sentence.isEmpty() && sentence.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(new java.math.BigInteger(sentence).toString());
        }
        List<String> words = new ArrayList<>();
        for (String w : sentence.strip().split("\\s+")) {
            if (VALUES.containsKey(w) || w.equals("point")) {
                words.add(w);
            }
        }
        if (words.isEmpty() || count(words, "thousand") > 1 || count(words, "million") > 1
                || count(words, "billion") > 1 || count(words, "point") > 1) {
            return Optional.empty();
        }
        List<String> decimals = List.of();
        int point = words.indexOf("point");
        if (point >= 0) {
            decimals = words.subList(point + 1, words.size());
            words = words.subList(0, point);
        }
        try {
            long whole = whole(words);
            if (decimals.isEmpty()) {
                return Optional.of(Long.toString(whole));
            }
            Double fraction = decimalSum(decimals);
            return Optional.of(fraction == null ? Long.toString(whole) : pythonFloat(whole + fraction));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long whole(List<String> words) {
        int b = words.indexOf("billion");
        int m = words.indexOf("million");
        int t = words.indexOf("thousand");
        if ((t > -1 && (t < m || t < b)) || (m > -1 && m < b)) {
            throw new IllegalArgumentException("malformed number");
        }
        if (words.isEmpty()) {
            return 0;
        }
        if (words.size() == 1) {
            return VALUES.get(words.get(0));
        }
        long total = 0;
        if (b > -1) {
            total += group(words.subList(0, b)) * 1_000_000_000L;
        }
        if (m > -1) {
            total += group(words.subList(b > -1 ? b + 1 : 0, m)) * 1_000_000L;
        }
        if (t > -1) {
            int from = m > -1 ? m + 1 : b > -1 ? b + 1 : 0;
            total += group(words.subList(from, t)) * 1000L;
        }
        int last = words.size() - 1;
        if (t > -1 && t != last) {
            total += group(words.subList(t + 1, words.size()));
        } else if (m > -1 && m != last) {
            total += group(words.subList(m + 1, words.size()));
        } else if (b > -1 && b != last) {
            total += group(words.subList(b + 1, words.size()));
        } else if (t == -1 && m == -1 && b == -1) {
            total += group(words);
        }
        return total;
    }

    /** w2n's {@code number_formation}: a group of up to four words (more: the first alone). */
    private static long group(List<String> words) {
        long[] n = words.stream().mapToLong(VALUES::get).toArray();
        return switch (n.length) {
            case 4 -> n[0] * n[1] + n[2] + n[3];
            case 3 -> n[0] * n[1] + n[2];
            case 2 -> (n[0] == 100 || n[1] == 100) ? n[0] * n[1] : n[0] + n[1];
            default -> n[0];
        };
    }

    /** w2n's {@code get_decimal_sum}: {@code 0.d1d2…}, or {@code null} (w2n's integer 0) on a non-digit word. */
    private static Double decimalSum(List<String> words) {
        StringBuilder digits = new StringBuilder("0.");
        for (String w : words) {
            int d = DIGIT_WORDS.indexOf(w);
            if (d < 0) {
                return null;
            }
            digits.append(d);
        }
        return Double.parseDouble(digits.toString());
    }

    /** Python's {@code str(float)} for the values w2n makes. */
    static String pythonFloat(double v) {
        String s = Double.toString(v);
        if (s.contains("E")) {
            String plain = new java.math.BigDecimal(s).stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        return s;
    }

    private static long count(List<String> words, String w) {
        return words.stream().filter(w::equals).count();
    }
}

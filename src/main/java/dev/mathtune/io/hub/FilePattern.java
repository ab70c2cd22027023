package dev.mathtune.io.hub;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Include patterns for repository files, with Python {@code fnmatch} semantics as in {@code huggingface_hub}'s
 * {@code allow_patterns}: {@code *} matches any run of characters (slashes too), {@code ?} one character,
 * {@code [abc]} one of a set. A pattern without a slash also matches a file's base name, so {@code *.json} selects
 * {@code config.json} and {@code sub/x.json}.
 */
public final class FilePattern {
    private final List<Pattern> patterns;

    private FilePattern(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** Patterns from globs; no globs means every file is included. */
    public static FilePattern of(List<String> globs) {
        return new FilePattern(globs == null ? List.of() : globs.stream().map(FilePattern::compile).toList());
    }

    /** Whether {@code path} is included. */
    public boolean includes(String path) {
        if (patterns.isEmpty()) {
            return true;
        }
        String base = path.substring(path.lastIndexOf('/') + 1);
        return patterns.stream().anyMatch(p -> p.matcher(path).matches() || p.matcher(base).matches());
    }

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            int close = c == '[' ? glob.indexOf(']', i + 2) : -1;
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (close > 0) {
                String set = glob.substring(i + 1, close);
                regex.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set.replace("\\", "\\\\")).append(']');
                i = close;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}

package dev.mathtune.data;

import dev.mathtune.UserError;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files a dataset path names: one file, or a glob ({@code *}, {@code ?}, {@code [abc]}, {@code {a,b}},
 * {@code **} across folders; Java's {@link java.nio.file.FileSystem#getPathMatcher glob} syntax) whose matches are
 * read one after another in the order of their paths (string order), so that a list of files is
 * {@code dir/{algebra,geometry}/train.jsonl} and shards {@code main/train-*.parquet} are read in shard order.
 */
public final class DatasetFiles {
    private static final String GLOB_CHARS = "*?[{";

    private DatasetFiles() {
    }

    /** Whether {@code path} is a glob rather than one file's name. */
    public static boolean isGlob(Path path) {
        String s = path.toString();
        return s.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
    }

    /** The files {@code path} names, in reading order; a {@link UserError} when there are none. */
    public static List<Path> expand(Path path) {
        if (!isGlob(path)) {
            if (!Files.isRegularFile(path)) throw UserError.inFile(path, "no such file");
            return List.of(path);
        }
        Path absolute = path.toAbsolutePath().normalize();
        Path root = literalPrefix(absolute);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root, depth(absolute, root))) {
                walk.filter(Files::isRegularFile).filter(matcher::matches).sorted(
                        (a, b) -> a.toString().compareTo(b.toString())).forEach(files::add);
            } catch (IOException e) {
                throw UserError.inFile(root, "cannot list: " + e.getMessage());
            }
        }
        if (files.isEmpty()) throw UserError.inFile(path, "no file matches this pattern");
        return files;
    }

    /** Lower-case extension of a data file's name: {@code parquet}, {@code json}, {@code jsonl}, ... */
    public static String extension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    /** The longest leading run of path segments without glob characters. */
    private static Path literalPrefix(Path absolute) {
        Path root = absolute.getRoot();
        for (Path segment : absolute) {
            if (isGlob(segment)) break;
            root = root.resolve(segment);
        }
        return root;
    }

    /** How deep to walk below {@code root}: the pattern's remaining segments; without bound for {@code **} and groups. */
    private static int depth(Path absolute, Path root) {
        Path rest = root.relativize(absolute);
        String r = rest.toString();
        return r.contains("**") || r.contains("{") ? Integer.MAX_VALUE : rest.getNameCount();
    }
}

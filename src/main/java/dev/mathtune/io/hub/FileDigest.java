package dev.mathtune.io.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Checksums of a file as the Hub publishes them: SHA-256 (LFS files) and the git blob id (other files). */
public final class FileDigest {
    private FileDigest() {
    }

    /** Hex SHA-256 of the file's content. */
    public static String sha256(Path file) throws IOException {
        return digest(file, "SHA-256", null);
    }

    /** Hex git blob id: SHA-1 of {@code "blob <size>\0"} followed by the content. */
    public static String gitBlobId(Path file) throws IOException {
        return digest(file, "SHA-1", ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(Path file, String algorithm, byte[] header) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (header != null) {
            md.update(header);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

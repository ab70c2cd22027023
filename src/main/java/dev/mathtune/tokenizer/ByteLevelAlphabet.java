package dev.mathtune.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet (used by Qwen): each of the 256 byte values is shown as one printable character, the
 * printable Latin-1 bytes as themselves and the rest as {@code U+0100} onwards in byte order (space is {@code Ġ}).
 */
final class ByteLevelAlphabet {
    private static final char[] CHARS = new char[256];
    private static final int[] BYTES = new int[512]; // char -> byte value + 1 (0: not in the alphabet)

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHARS[b] = (char) (printable ? b : next++);
            BYTES[CHARS[b]] = b + 1;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The character standing for byte value {@code b} (0-255). */
    static char charOf(int b) {
        return CHARS[b & 0xFF];
    }

    /** The UTF-8 bytes of {@code text}, each written as its byte-level character. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            out.append(charOf(b));
        }
        return out.toString();
    }

    /** The bytes a token written in this alphabet stands for, or null if some character is not in it. */
    static byte[] decode(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < out.length; i++) {
            char c = token.charAt(i);
            if (c >= BYTES.length || BYTES[c] == 0) {
                return null;
            }
            out[i] = (byte) (BYTES[c] - 1);
        }
        return out;
    }
}

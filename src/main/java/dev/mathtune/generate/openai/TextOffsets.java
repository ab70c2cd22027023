package dev.mathtune.generate.openai;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Where each token of one choice starts in its text, for the {@code text_offset} of completions log-probs: the
 * number of UTF-16 characters that the bytes of the tokens before it decode to, counting only whole characters
 * (a token that finishes a character begun by the one before starts after it). Fed token by token, in order.
 */
final class TextOffsets {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] partial = new byte[0]; // the start of a character, waiting for the rest of its bytes
    private int chars;

    /** The offset of a token with these bytes; then counts its bytes in. */
    int next(byte[] bytes) {
        int at = chars;
        ByteBuffer in = ByteBuffer.allocate(partial.length + bytes.length).put(partial).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() * 2 + 2);
        decoder.decode(in, out, false);
        chars += out.position();
        partial = new byte[in.remaining()];
        in.get(partial);
        return at;
    }
}

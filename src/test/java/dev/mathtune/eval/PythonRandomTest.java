package dev.mathtune.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Values printed by CPython 3.11.7 (commands in each comment). */
class PythonRandomTest {
    @Test
    void matchesCpythonGetrandbits() {
        // r = random.Random(1234); [r.getrandbits(32) for _ in range(3)]
        PythonRandom r = new PythonRandom(1234);
        assertEquals(4150886329L, r.nextUint32());
        assertEquals(3342196574L, r.nextUint32());
        assertEquals(1892932127L, r.nextUint32());
    }

    @Test
    void matchesCpythonSample() {
        // r = random.Random(1234); [r.sample(range(7473), 5) for _ in range(3)]
        PythonRandom r = new PythonRandom(1234);
        assertArrayEquals(new int[]{6374, 3610, 957, 61, 742}, r.sample(7473, 5));
        assertArrayEquals(new int[]{7462, 6610, 4769, 286, 5501}, r.sample(7473, 5));
        assertArrayEquals(new int[]{5677, 687, 806, 6279, 2905}, r.sample(7473, 5));
        // r = random.Random(2**40 + 7); r.sample(range(10), 4), r.sample(range(100), 7): the pool branch, a 2-word seed
        PythonRandom big = new PythonRandom((1L << 40) + 7);
        assertArrayEquals(new int[]{9, 7, 4, 8}, big.sample(10, 4));
        assertArrayEquals(new int[]{16, 66, 48, 92, 46, 50, 56}, big.sample(100, 7));
    }
}

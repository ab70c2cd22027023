package dev.mathtune.engine;

import static org.junit.jupiter.api.Assertions.*;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class EngineSpikeTest {
    @Test
    void matmulRoundTrip() {
        Engine.init(2);
        try (Scope s = Scope.open()) {
            Tensor a = Tensors.floats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor b = Tensors.floats(new float[]{1, 0, 0, 1, 1, 1}, 3, 2);
            Tensor c = a.matmul(b);
            assertArrayEquals(new float[]{4, 5, 10, 11}, Tensors.toFloats(c));
            assertArrayEquals(new long[]{2, 2}, Tensors.shape(c));
            Tensor bf = c.to(DType.BF16.scalarType());
            assertEquals(DType.BF16, Tensors.dtype(bf));
            Tensor lin = torch.linear(a, b.t());
            assertArrayEquals(new float[]{4, 5, 10, 11}, Tensors.toFloats(lin));
        }
    }

    @Test
    void aTemporaryIntraOpThreadCountIsRestored() {
        Engine.init();
        int n = Engine.threads();
        try (Engine.ThreadCount t = Engine.intraOpThreads(1)) {
            assertEquals(1, torch.get_num_threads());
        }
        assertEquals(n, torch.get_num_threads());
        try (Engine.ThreadCount t = Engine.intraOpThreads(0)) {
            assertEquals(n, torch.get_num_threads(), "0: the engine's count");
        }
        assertEquals(n, Engine.threads());
    }
}

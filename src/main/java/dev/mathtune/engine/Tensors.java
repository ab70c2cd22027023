package dev.mathtune.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Moving data between Java arrays / buffers and tensors; the only place that touches raw tensor memory. */
public final class Tensors {
    private Tensors() {
    }

    static TensorOptions options(ScalarType type) {
        return new TensorOptions(type);
    }

    /** A new fp32 tensor holding a copy of {@code data}, with the given shape. */
    public static Tensor floats(float[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, options(ScalarType.Float), null);
        new FloatPointer(t.data_ptr()).put(data);
        return t;
    }

    /** A new int64 tensor holding a copy of {@code data}, with the given shape. */
    public static Tensor longs(long[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, options(ScalarType.Long), null);
        new LongPointer(t.data_ptr()).put(data);
        return t;
    }

    /** A new int64 tensor from ints. */
    public static Tensor longs(int[] data, long... shape) {
        long[] l = new long[data.length];
        for (int i = 0; i < data.length; i++) l[i] = data[i];
        return longs(l, shape);
    }

    /**
     * A new tensor of {@code stored} dtype from little-endian raw bytes (e.g. a memory-mapped safetensors
     * region), converted to {@code target}. The bytes are copied: the result owns its memory.
     */
    public static Tensor fromBytes(ByteBuffer raw, DType stored, long[] shape, DType target) {
        long count = 1;
        for (long d : shape) count *= d;
        if (raw.remaining() != count * stored.bytes()) {
            throw new IllegalArgumentException("need " + count * stored.bytes() + " bytes, have " + raw.remaining());
        }
        Tensor t = torch.empty(shape, options(stored.scalarType()), null);
        BytePointer dst = new BytePointer(t.data_ptr());
        dst.capacity(raw.remaining());
        dst.asBuffer().put(raw.duplicate());
        return stored == target ? t : t.to(target.scalarType());
    }

    /** The raw little-endian bytes of a (CPU) tensor in its own dtype, for writing safetensors. */
    public static ByteBuffer toBytes(Tensor t) {
        Tensor c = t.device().is_cpu() ? t.contiguous() : t.to(new org.bytedeco.pytorch.Device("cpu"), t.scalar_type()).contiguous();
        long n = c.numel() * c.element_size();
        BytePointer src = new BytePointer(c.data_ptr());
        src.capacity(n);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(n)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(src.asBuffer());
        out.flip();
        return out;
    }

    /** A copy of the tensor's values as fp32, flattened. */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.to(ScalarType.Float).contiguous();
        float[] out = new float[Math.toIntExact(c.numel())];
        new FloatPointer(c.data_ptr()).get(out);
        return out;
    }

    /** A copy of the tensor's values as fp64, flattened. */
    public static double[] toDoubles(Tensor t) {
        Tensor c = t.to(ScalarType.Double).contiguous();
        double[] out = new double[Math.toIntExact(c.numel())];
        new org.bytedeco.javacpp.DoublePointer(c.data_ptr()).get(out);
        return out;
    }

    /** A copy of the tensor's values as int64, flattened. */
    public static long[] toLongs(Tensor t) {
        Tensor c = t.to(ScalarType.Long).contiguous();
        long[] out = new long[Math.toIntExact(c.numel())];
        new LongPointer(c.data_ptr()).get(out);
        return out;
    }

    /** The shape of a tensor. */
    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    public static DType dtype(Tensor t) {
        return DType.of(t);
    }

    /**
     * One view spanning {@code parts} when they are contiguous, of one dtype and row width, and lie back to back
     * in one buffer (each part's rows right after the previous part's); otherwise null. The view aliases the parts:
     * a product with it computes all of theirs in one call.
     */
    public static Tensor adjacentRows(Tensor... parts) {
        Tensor first = parts[0];
        long rows = 0, next = first.data_ptr().address();
        for (Tensor p : parts) {
            if (p == null || !p.is_contiguous() || p.dim() != first.dim() || !p.is_alias_of(first)
                    || p.scalar_type().value != first.scalar_type().value || p.data_ptr().address() != next
                    || (p.dim() == 2 && p.size(1) != first.size(1)) || p.dim() > 2) return null;
            rows += p.size(0);
            next += p.nbytes();
        }
        return first.dim() == 1 ? first.as_strided(new long[]{rows}, new long[]{1}, new LongOptional(first.storage_offset()))
                : first.as_strided(new long[]{rows, first.size(1)}, new long[]{first.size(1), 1},
                        new LongOptional(first.storage_offset()));
    }

    /** Releases a tensor kept with {@link Scope#keep}. */
    public static void release(Tensor t) {
        if (t != null) t.releaseReference();
    }

    public static Scalar scalar(double v) {
        return new Scalar(v);
    }

    private static void checkCount(long n, long[] shape) {
        long count = 1;
        for (long d : shape) count *= d;
        if (count != n) throw new IllegalArgumentException("shape needs " + count + " values, got " + n);
    }
}

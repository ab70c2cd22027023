package dev.mathtune.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Making tensors and moving data between Java arrays / buffers and tensors: the only place that touches raw tensor
 * memory, and the one place where host and device meet. Factories put their result on the engine's device
 * ({@link Engine#useDevice}); data from Java is written into host memory and moved once; reads copy to the host
 * before touching memory (a device pointer dereferenced from Java would crash the JVM, not raise an error).
 */
public final class Tensors {
    private static final Device CPU = kept(new Device("cpu"));

    private Tensors() {
    }

    private static Device kept(Device d) {
        d.retainReference();
        return d;
    }

    /** Options for {@code type} on the engine's device. */
    static TensorOptions options(ScalarType type) {
        return new TensorOptions(type).device(new DeviceOptional(Engine.device()));
    }

    private static TensorOptions hostOptions(ScalarType type) {
        return new TensorOptions(type);
    }

    /** {@code t} on the engine's device (itself when it is there already). */
    public static Tensor toDevice(Tensor t) {
        Device d = Engine.device();
        return t.device().equals(d) ? t : t.to(d, t.scalar_type());
    }

    /** {@code t} in host memory (itself when it is there already). */
    private static Tensor toHost(Tensor t) {
        return t.device().is_cpu() ? t : t.to(CPU, t.scalar_type());
    }

    /** Whether {@code t} lives in host memory: the CPU-only fast paths (oneDNN, XNNPACK, OpenMP threads) ask this. */
    public static boolean onCpu(Tensor t) {
        return t.device().is_cpu();
    }

    /** Whether {@code t} lives on a CUDA device (the CUDA-side kernel choices ask this). */
    public static boolean onCuda(Tensor t) {
        return t.is_cuda();
    }

    /** A new fp32 tensor holding a copy of {@code data}, with the given shape. */
    public static Tensor floats(float[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, hostOptions(ScalarType.Float), null);
        new FloatPointer(t.data_ptr()).put(data);
        return toDevice(t);
    }

    /** A new int64 tensor holding a copy of {@code data}, with the given shape. */
    public static Tensor longs(long[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, hostOptions(ScalarType.Long), null);
        new LongPointer(t.data_ptr()).put(data);
        return toDevice(t);
    }

    /** A new fp64 tensor in host memory holding a copy of {@code data}: for collectives over host memory (Gloo). */
    public static Tensor hostDoubles(double... data) {
        Tensor t = torch.empty(new long[]{data.length}, hostOptions(ScalarType.Double), null);
        new org.bytedeco.javacpp.DoublePointer(t.data_ptr()).put(data);
        return t;
    }

    /** An uninitialised tensor of {@code dtype} on the engine's device. */
    public static Tensor empty(DType dtype, long... shape) {
        return torch.empty(shape, options(dtype.scalarType()), null);
    }

    /** Zeros of {@code dtype} on the engine's device. */
    public static Tensor zeros(DType dtype, long... shape) {
        return torch.zeros(shape, options(dtype.scalarType()));
    }

    /** {@code value} everywhere, in {@code dtype}, on the engine's device. */
    public static Tensor full(double value, DType dtype, long... shape) {
        return torch.full(shape, new Scalar(value), options(dtype.scalarType()));
    }

    /** int64 ones (a mask of valid keys) on the engine's device. */
    public static Tensor onesLong(long... shape) {
        return torch.ones(shape, options(ScalarType.Long));
    }

    /** {@code start, start+1, …, end-1} as int64 on the engine's device. */
    public static Tensor arange(long start, long end) {
        return torch.arange(new Scalar(start), new Scalar(end), options(ScalarType.Long));
    }

    /**
     * Standard-normal fp32 values from torch's CPU generator (seed it first: {@link Engine#seed}), moved to the
     * engine's device: a seed gives the same values whatever the device.
     */
    public static Tensor randn(long... shape) {
        return toDevice(torch.randn(shape, hostOptions(ScalarType.Float)));
    }

    /**
     * Uniform [0, 1) fp32 values in host memory; for the CPU benchmarks, which measure this machine whatever the
     * engine's device.
     */
    public static Tensor hostRand(long... shape) {
        return torch.rand(shape, hostOptions(ScalarType.Float));
    }

    /** fp32 ones in host memory; for the CPU benchmarks. */
    public static Tensor hostOnes(long... shape) {
        return torch.ones(shape, hostOptions(ScalarType.Float));
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
        Tensor t = torch.empty(shape, hostOptions(stored.scalarType()), null);
        BytePointer dst = new BytePointer(t.data_ptr());
        dst.capacity(raw.remaining());
        dst.asBuffer().put(raw.duplicate());
        return toDevice(stored == target ? t : t.to(target.scalarType()));
    }

    /** The raw little-endian bytes of a (CPU) tensor in its own dtype, for writing safetensors. */
    public static ByteBuffer toBytes(Tensor t) {
        Tensor c = toHost(t).contiguous();
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
        Tensor c = toHost(t).to(ScalarType.Float).contiguous();
        float[] out = new float[Math.toIntExact(c.numel())];
        new FloatPointer(c.data_ptr()).get(out);
        return out;
    }

    /** A copy of the tensor's values as fp64, flattened. */
    public static double[] toDoubles(Tensor t) {
        Tensor c = toHost(t).to(ScalarType.Double).contiguous();
        double[] out = new double[Math.toIntExact(c.numel())];
        new org.bytedeco.javacpp.DoublePointer(c.data_ptr()).get(out);
        return out;
    }

    /** A copy of the tensor's values as int64, flattened. */
    public static long[] toLongs(Tensor t) {
        Tensor c = toHost(t).to(ScalarType.Long).contiguous();
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
        // positions within the shared storage, in elements: the same test on every device (a meta tensor has no
        // data pointer to compare)
        long rows = 0, next = first.storage_offset();
        for (Tensor p : parts) {
            if (p == null || !p.is_contiguous() || p.dim() != first.dim() || !p.is_alias_of(first)
                    || p.scalar_type().value != first.scalar_type().value || p.storage_offset() != next
                    || (p.dim() == 2 && p.size(1) != first.size(1)) || p.dim() > 2) return null;
            rows += p.size(0);
            next += p.numel();
        }
        return first.dim() == 1 ? first.as_strided(new long[]{rows}, new long[]{1}, new LongOptional(first.storage_offset()))
                : first.as_strided(new long[]{rows, first.size(1)}, new long[]{first.size(1), 1},
                        new LongOptional(first.storage_offset()));
    }

    /**
     * Rows {@code ids} of {@code table}: {@code torch.embedding}, or on the meta device (placement checks) the same
     * lookup as a {@code gather}, since libtorch registers no meta kernel for embedding's {@code index_select}.
     *
     * @param table {@code (V, H)}
     * @param ids   {@code (…)} int64
     * @return {@code (…, H)}
     */
    public static Tensor embedding(Tensor table, Tensor ids) {
        if (!ids.is_meta()) return torch.embedding(table, ids);
        long h = table.size(1);
        int dims = (int) ids.dim();
        long[] shape = java.util.Arrays.copyOf(shape(ids), dims + 1);
        shape[dims] = h;
        return table.gather(0, ids.reshape(-1, 1).expand(ids.numel(), h)).view(shape);
    }

    /**
     * {@code x} rolled by {@code shift} along its last dimension: {@code torch.roll}, or on the meta device the same
     * as two slices joined (libtorch registers no meta kernel for roll).
     */
    public static Tensor rollLast(Tensor x, long shift) {
        if (!x.is_meta()) return x.roll(new long[]{shift}, -1);
        long n = x.size(-1), k = Math.floorMod(shift, n);
        return torch.cat(new org.bytedeco.pytorch.TensorVector(x.narrow(-1, n - k, k), x.narrow(-1, 0, n - k)), -1);
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

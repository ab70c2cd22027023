package dev.mathtune.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorType;
import org.bytedeco.pytorch.Type;

/**
 * libtorch operators the presets bind no Java method for (e.g. {@code aten::_fused_adamw_},
 * {@code mkldnn::_reorder_linear_weight}), called through the dispatcher with a boxed argument stack. Handles are
 * looked up once and kept: a handle created inside a {@link Scope} would otherwise be freed when it closes.
 */
public final class Operators {
    private static final Map<String, OperatorHandle> HANDLES = new ConcurrentHashMap<>();

    private Operators() {
    }

    /**
     * Calls {@code name} (overload "") with {@code args}; returns the stack, which then holds the outputs.
     * An output tensor read with {@code toTensor()} points into the stack: copy it ({@code new Tensor(...)}) to
     * keep it past the stack's scope. Throws if this libtorch build lacks the operator.
     */
    public static IValueVector call(String name, IValue... args) {
        IValueVector stack = new IValueVector(args);
        handle(name).callBoxed(stack);
        return stack;
    }

    /** {@code name}'s handle (overload ""), looked up once. */
    private static OperatorHandle handle(String name) {
        return HANDLES.computeIfAbsent(name, n -> {
            OperatorHandle h = Dispatcher.singleton().findSchemaOrThrow(n, "");
            h.retainReference();
            return h;
        });
    }

    /**
     * An empty list typed as argument {@code index} of {@code name}'s schema wants it (e.g. {@code Scalar?[]}, whose
     * element type the presets offer no other way to name): the dispatcher checks a list's element type exactly.
     */
    public static IValue emptyList(String name, int index) {
        OperatorHandle op = handle(name);
        Type.TypePtr element = op.schema().arguments().position(index).type().get().containedType(0);
        return new IValue(new GenericList(element));
    }

    /** A {@code Tensor[]} argument. */
    public static IValue tensorList(List<Tensor> tensors) {
        // a TensorType singleton: the pointer wraps it without taking ownership
        GenericList l = new GenericList(new Type.TypePtr(TensorType.get()));
        for (Tensor t : tensors) l.push_back(new IValue(t));
        return new IValue(l);
    }
}

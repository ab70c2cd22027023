package dev.mathtune.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A native-memory scope: every tensor created inside is freed when it closes, unless {@link #keep kept}.
 * Wrap each training or decode step in one (ENGINE.md, "memory pattern"): without it RSS grows by tens of MB
 * per step. Scopes are per thread and nest.
 */
public final class Scope implements AutoCloseable {
    private final PointerScope scope;

    private Scope() {
        this.scope = new PointerScope();
    }

    public static Scope open() {
        return new Scope();
    }

    /**
     * Keeps {@code t} alive past this scope (trap 4: detaching frees it; retaining a reference does not).
     * The caller owns it and must {@link Tensors#release release} it.
     */
    public static Tensor keep(Tensor t) {
        t.retainReference();
        return t;
    }

    @Override
    public void close() {
        scope.close();
    }
}

package dev.mathtune.experiment;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

/**
 * A generator opened on its first request, so that resuming a run whose evaluations are already complete
 * does not load the model.
 */
final class LazyGenerator implements TextGenerator {
    private final String description;
    private final Supplier<TextGenerator> opener;
    private final String dtype;
    private TextGenerator open;

    /** {@code dtype}: the one the opened backend will compute in, null where unknown (a server). */
    LazyGenerator(String description, String dtype, Supplier<TextGenerator> opener) {
        this.description = description;
        this.dtype = dtype;
        this.opener = opener;
    }

    @Override
    public synchronized void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
        if (open == null) open = opener.get();
        open.generate(requests, sink);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public java.util.Optional<String> computeDtype() {
        return java.util.Optional.ofNullable(dtype);
    }

    @Override
    public synchronized void close() {
        if (open != null) {
            try {
                open.close();
            } catch (Exception e) {
                // closing frees native memory; nothing to report to the user
            }
            open = null;
        }
    }
}

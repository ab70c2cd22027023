package dev.mathtune.cli;

import java.nio.file.Path;

import dev.mathtune.UserError;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.PrefixKv;

/** Applies {@code --adapter DIR} to a loaded model. */
final class AdapterWiring {
    private AdapterWiring() {
    }

    static ModelBundle apply(ModelBundle base, Path adapter) {
        if (adapter == null) return base;
        throw new UserError("--adapter: adapters are not available in this build");
    }

    static PrefixKv prefix(ModelBundle b, Path adapter) {
        return null;
    }

    static dev.mathtune.generate.TokenScorer scorer(ModelBundle b, Path adapter) {
        return new dev.mathtune.generate.TokenScorer(b.model());
    }
}

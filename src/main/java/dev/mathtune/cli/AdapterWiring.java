package dev.mathtune.cli;

import java.nio.file.Path;

import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.PrefixKv;
import dev.mathtune.generate.TokenScorer;
import dev.mathtune.model.KvSource;
import dev.mathtune.peft.AdapterLoader;
import dev.mathtune.peft.LoadedAdapter;

/** A model with its optional {@code --adapter} (LoRA wraps the model; prefix-tuning adds key/values). */
record AdapterWiring(ModelBundle bundle, LoadedAdapter adapter) {

    static AdapterWiring load(ModelBundle base, Path adapterDir) {
        return new AdapterWiring(base, adapterDir == null ? null : AdapterLoader.load(base.model(), adapterDir));
    }

    /** The model to run (LoRA-wrapped when the adapter is LoRA). */
    ModelBundle model() {
        return adapter == null ? bundle : new ModelBundle(bundle.dir(), adapter.model(), bundle.tokenizer());
    }

    PrefixKv prefix() {
        return adapter == null ? null : adapter.prefix();
    }

    /** Per-token log-probs of one row, with the prefix (if any) in front. */
    Double[] score(int[] ids) {
        TokenScorer scorer = new TokenScorer(model().model());
        if (adapter == null || adapter.prefix() == null) return scorer.score(new int[][]{ids})[0];
        KvSource past = adapter.scoringPrefix(1);
        return scorer.score(new int[][]{ids}, past, adapter.prefixLength())[0];
    }
}

package dev.mathtune.eval;

import java.util.List;

/** A loaded evaluation set: a short {@code name} (e.g. {@code gsm8k-test}), the resolved kind, and its items. */
public record EvalDataset(String name, DatasetKind kind, List<EvalItem> items) {
    public EvalDataset {
        items = List.copyOf(items);
    }
}

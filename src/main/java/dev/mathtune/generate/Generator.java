package dev.mathtune.generate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.generate.calc.CalculatorCall;
import dev.mathtune.generate.calc.TokenInjector;
import dev.mathtune.model.AttentionMask;
import dev.mathtune.model.Batch;
import dev.mathtune.model.KvCache;
import dev.mathtune.model.Qwen2Model;

/**
 * Batched decoding with a KV cache and continuous batching: up to {@code maxBatch} sequences decode together;
 * when one finishes, its slot is refilled from the queue (its prompt is prefilled on the side, then its cache row
 * is copied into the shared timeline, right-aligned). With {@code continuous = false} a new group starts only
 * when the whole batch has finished (static batching). Each row sees only its own keys, so a sequence's tokens
 * do not depend on what it is batched with. Identical prompts admitted together (the {@code n} choices of one
 * request) are prefilled once, their cache row copied to each slot. A {@link SequenceObserver} sees each token as
 * it is sampled (with the top alternatives where it asks for them) and may cancel a sequence, whose slot is then
 * freed before the next step (finish reason {@link FinishReason#ABORT}).
 * A {@link TokenInjector} (the calculator) may append tokens to a sequence
 * that asked for it: they are fed one per decoding step into the same KV cache, in the same batched steps as the
 * other rows, in place of sampling; each forced token's log-probability is the model's at the step that feeds it,
 * and it counts toward {@code maxNewTokens} and is checked for stop strings like a sampled one.
 */
public final class Generator {
    private final Qwen2Model model;
    private final int maxBatch;
    private final boolean continuous;
    private final StopCondition stop;
    private final PrefixKv prefix;
    private SequenceObserver observer = SequenceObserver.NONE;
    private final TokenInjector injector;

    /** One occupied batch slot. */
    private static final class Slot {
        final SequenceRequest request;
        final Sampler sampler;
        final int[] tokens;
        final double[] logprobs;
        final int topLogprobs; // alternatives reported with each token (0: none)
        int count;
        int pending;     // sampled, not yet fed
        int[] forced = new int[0];  // injected tokens still to take in place of samples, from forcedNext on
        int forcedNext;
        final List<CalculatorCall> calls = new ArrayList<>();
        long position;   // RoPE position of the pending token
        long[] valid;    // key validity per timeline column

        Slot(SequenceRequest r, int topLogprobs) {
            this.request = r;
            this.topLogprobs = topLogprobs;
            this.sampler = new Sampler(r.params());
            this.tokens = new int[r.params().maxNewTokens()];
            this.logprobs = new double[r.params().maxNewTokens()];
        }
    }

    public Generator(Qwen2Model model, int maxBatch, boolean continuous, StopCondition stop, PrefixKv prefix) {
        this(model, maxBatch, continuous, stop, prefix, null);
    }

    /** As above, with {@code injector} (may be null) for the requests that ask for it ({@link SequenceRequest#calculator()}). */
    public Generator(Qwen2Model model, int maxBatch, boolean continuous, StopCondition stop, PrefixKv prefix,
                     TokenInjector injector) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.continuous = continuous;
        this.stop = stop;
        this.prefix = prefix;
        this.injector = injector;
    }

    /** Generates every request; {@code sink} gets each result as soon as its sequence finishes. */
    public void run(List<SequenceRequest> requests, Consumer<SequenceResult> sink) {
        run(requests, sink, SequenceObserver.NONE);
    }

    /** As {@link #run(List, Consumer)}, reporting tokens to {@code observer} and dropping what it cancels. */
    public void run(List<SequenceRequest> requests, Consumer<SequenceResult> sink, SequenceObserver observer) {
        this.observer = observer;
        Deque<SequenceRequest> queue = new ArrayDeque<>();
        for (SequenceRequest r : requests) {
            if (r.params().maxNewTokens() == 0) sink.accept(result(slot(r), FinishReason.LENGTH));
            else queue.add(r);
        }
        int rows = Math.min(maxBatch, Math.max(1, queue.size()));
        // runs of at most SMALL_ROWS sequences decode on XNNPACK: batch-1 decoding streams the weights at about 1.5×
        // OpenBLAS's sgemv rate, for a packed copy of them. The first such run turns it on and it stays on: a server
        // that alternates single requests with bursts would otherwise pack again each time
        if (rows <= Qwen2Model.SMALL_ROWS && !model.packsSmallRows()) model.packSmallRows(true);
        Slot[] slots = new Slot[rows];
        try (NoGradGuard ng = new NoGradGuard(); KvCache cache = new KvCache(model.config(), rows, 256, model.dtype())) {
            while (true) {
                boolean idle = Arrays.stream(slots).allMatch(s -> s == null);
                if (!queue.isEmpty() && (continuous || idle)) admit(queue, slots, cache, sink);
                retireCancelled(slots, sink);
                if (Arrays.stream(slots).allMatch(s -> s == null)) {
                    if (queue.isEmpty()) break;
                    continue;
                }
                decodeStep(slots, cache, sink);
                trim(slots, cache);
            }
        }
    }

    private Slot slot(SequenceRequest r) {
        return new Slot(r, observer.topLogprobs(r.index()));
    }

    /** Frees the slots of sequences the observer cancelled; their results (so far) go out as {@code ABORT}. */
    private void retireCancelled(Slot[] slots, Consumer<SequenceResult> sink) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null && observer.cancelled(slots[i].request.index())) {
                sink.accept(result(slots[i], FinishReason.ABORT));
                slots[i] = null;
            }
        }
    }

    /** Prefills queued prompts into the free slots and samples their first tokens. */
    private void admit(Deque<SequenceRequest> queue, Slot[] slots, KvCache cache, Consumer<SequenceResult> sink) {
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) if (slots[i] == null) free.add(i);
        List<Slot> fresh = new ArrayList<>();
        while (fresh.size() < free.size() && !queue.isEmpty()) {
            Slot s = slot(queue.poll());
            if (observer.cancelled(s.request.index())) sink.accept(result(s, FinishReason.ABORT));
            else fresh.add(s);
        }
        if (fresh.isEmpty()) return;
        // identical prompts (a request's n choices) share one prefill row: sideRow[j] is fresh slot j's row
        List<int[]> unique = new ArrayList<>();
        int[] sideRow = new int[fresh.size()];
        for (int j = 0; j < fresh.size(); j++) sideRow[j] = rowOf(unique, fresh.get(j).request.promptIds());
        int[][] prompts = unique.toArray(int[][]::new);
        long p = prefix == null ? 0 : prefix.length();
        try (Scope scope = Scope.open(); Engine.ThreadCount t = threadsFor((long) prompts.length * longest(prompts));
             KvCache side = new KvCache(model.config(), prompts.length, p + longest(prompts), model.dtype())) {
            if (prefix != null) prefix.fill(side);
            Batch batch = Batch.leftPadded(prompts, 0, p);
            Tensor keyValid = prefix == null ? batch.valid() : torch.cat(new org.bytedeco.pytorch.TensorVector(
                    Tensors.onesLong(prompts.length, p), batch.valid()), 1);
            Tensor bias = AttentionMask.causal(keyValid, p, batch.length(), model.dtype());
            Tensor hidden = model.forward(batch.ids(), batch.positions(), bias, side);
            side.advance(batch.length());
            Tensor logits = model.logits(hidden.select(1, batch.length() - 1));          // (unique, V)
            long need = side.length();
            if (cache.length() < need) {
                long pad = need - cache.length();
                cache.padLeft(pad);
                for (Slot s : slots) if (s != null) s.valid = shiftRight(s.valid, pad);
            }
            long[] validFlat = Tensors.toLongs(keyValid);
            for (int j = 0; j < fresh.size(); j++) {
                Slot s = fresh.get(j);
                int row = free.get(j);
                cache.copyRow(side, sideRow[j], row);
                s.valid = new long[(int) cache.length()];
                System.arraycopy(validFlat, (int) (sideRow[j] * need), s.valid, (int) (cache.length() - need), (int) need);
                s.position = p + prompts[sideRow[j]].length;
                slots[row] = s;
            }
            List<Integer> logitRows = new ArrayList<>();
            for (int j = 0; j < fresh.size(); j++) logitRows.add(sideRow[j]);
            sampleAll(slots, fresh, free, logits, logitRows, sink);
        }
    }

    /** Feeds every slot's pending token, one column for the whole batch, then samples the next tokens. */
    private void decodeStep(Slot[] slots, KvCache cache, Consumer<SequenceResult> sink) {
        int b = slots.length;
        long column = cache.length();
        long[] ids = new long[b], pos = new long[b], valid = new long[(int) (b * (column + 1))];
        for (int i = 0; i < b; i++) {
            Slot s = slots[i];
            if (s == null) continue;
            ids[i] = s.pending;
            pos[i] = s.position;
            s.valid = Arrays.copyOf(s.valid, (int) column + 1);
            s.valid[(int) column] = 1;
            System.arraycopy(s.valid, 0, valid, (int) (i * (column + 1)), (int) column + 1);
        }
        try (Scope scope = Scope.open(); Engine.ThreadCount t = threadsFor(b)) {
            Tensor bias = AttentionMask.causal(Tensors.longs(valid, b, column + 1), column, 1, model.dtype());
            Tensor hidden = model.forward(Tensors.longs(ids, b, 1), Tensors.longs(pos, b, 1), bias, cache);
            cache.advance(1);
            Tensor logits = model.logits(hidden.select(1, 0));                           // (B, V)
            List<Slot> active = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                if (slots[i] != null) {
                    slots[i].position++;
                    active.add(slots[i]);
                    rows.add(i);
                }
            }
            sampleAll(slots, active, rows, logits, rows, sink);
        }
    }

    /**
     * libtorch's OpenMP pool for a forward over {@code rows} token rows: all its threads when the projections run on
     * it (oneDNN), one when they run on OpenBLAS's own threads (one row's matrix-vector products, prefill), so that
     * the two libraries' workers never spin against each other for the cores (docs/DESIGN.md, "Threads"). XNNPACK's
     * rows (1–4) take one thread too: libtorch sizes XNNPACK's pthreadpool with the same count, so XNNPACK then runs
     * on the calling thread alone, which streams the weights at about the rate two threads do (46–51 ms for one
     * token's products either way), while all threads let the OpenMP workers' spinning take the cores from it
     * (4.2–4.3 tok/s against 12–17.8 at batch 1; docs/BENCHMARKS.md, eighth session).
     */
    private Engine.ThreadCount threadsFor(long rows) {
        return Engine.intraOpThreads(model.productsOnOpenMp(rows) ? 0 : 1);
    }

    /**
     * Samples one token for each of {@code which} (held in {@code slotIndex}) from logits row {@code logitRows},
     * records it and retires finished slots.
     */
    private void sampleAll(Slot[] slots, List<Slot> which, List<Integer> slotIndex, Tensor logits,
                           List<Integer> logitRows, Consumer<SequenceResult> sink) {
        int n = which.size();
        long vocab = logits.size(1);
        Tensor logp = torch.log_softmax(logits.to(torch.ScalarType.Float), -1);
        long[] argmax = Tensors.toLongs(logits.argmax(new org.bytedeco.pytorch.LongOptional(-1), false));
        for (int j = 0; j < n; j++) {
            Slot s = which.get(j);
            int row = logitRows.get(j);
            int token;
            boolean forced = s.forcedNext < s.forced.length;
            if (forced) {
                token = s.forced[s.forcedNext++];
            } else if (s.sampler.greedy()) {
                token = (int) argmax[row];
            } else {
                token = s.sampler.sample(Tensors.toFloats(logits.select(0, row)));
            }
            double lp = logp.select(0, row).select(0, token).item_double();
            FinishReason reason = record(s, token, lp, vocab);
            if (!stop.isEos(token)) {
                observer.token(s.request.index(), token, lp, s.topLogprobs == 0 ? null : top(logp.select(0, row), s.topLogprobs));
            }
            if (reason == null && !forced) inject(s);
            if (reason != null) {
                slots[slotIndex.get(j)] = null;
                sink.accept(result(s, reason));
            }
        }
    }

    /** The {@code k} largest entries of a log-probability row, largest first. */
    private static TopTokens top(Tensor logpRow, int k) {
        var best = logpRow.topk(Math.min(k, logpRow.size(0)));
        long[] ids = Tensors.toLongs(best.get1());
        float[] values = Tensors.toFloats(best.get0());
        int[] outIds = new int[ids.length];
        double[] outLp = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            outIds[i] = (int) ids[i];
            outLp[i] = values[i];
        }
        return new TopTokens(outIds, outLp);
    }

    /** Appends a sampled token; returns why the sequence ended, or null if it goes on. */
    private FinishReason record(Slot s, int token, double logprob, long vocab) {
        if (stop.isEos(token)) return FinishReason.STOP;
        s.tokens[s.count] = token;
        s.logprobs[s.count] = logprob;
        s.count++;
        s.pending = token;
        if (stop.hitsStop(s.tokens, s.count, s.request.params().stop())) return FinishReason.STOP;
        if (s.count >= s.tokens.length) return FinishReason.LENGTH;
        if (s.position + 1 >= model.config().maxPositionEmbeddings()) return FinishReason.LENGTH;
        return null;
    }

    /** Asks the injector (for a sequence that wants it) whether to force tokens after the one just sampled. */
    private void inject(Slot s) {
        if (injector == null || !s.request.calculator()) return;
        TokenInjector.Injection injection = injector.afterSampled(s.tokens, s.count);
        if (injection == null) return;
        s.forced = injection.tokens();
        s.forcedNext = 0;
        s.calls.add(injection.call());
    }

    private SequenceResult result(Slot s, FinishReason reason) {
        int[] t = Arrays.copyOf(s.tokens, s.count);
        return new SequenceResult(s.request.index(), t, Arrays.copyOf(s.logprobs, s.count), reason,
                stop.text(t, s.request.params().stop()), s.calls);
    }

    /** Drops timeline columns no active row uses any more. */
    private static void trim(Slot[] slots, KvCache cache) {
        long first = cache.length();
        for (Slot s : slots) {
            if (s == null) continue;
            int i = 0;
            while (i < s.valid.length && s.valid[i] == 0) i++;
            first = Math.min(first, i);
        }
        if (first < 64 || first * 4 < cache.length()) return;
        cache.trimLeft(first);
        for (Slot s : slots) if (s != null) s.valid = Arrays.copyOfRange(s.valid, (int) first, s.valid.length);
    }

    private static long[] shiftRight(long[] valid, long by) {
        long[] out = new long[(int) (valid.length + by)];
        System.arraycopy(valid, 0, out, (int) by, valid.length);
        return out;
    }

    /** The index of {@code prompt} in {@code unique}, added at the end if no equal prompt is there yet. */
    private static int rowOf(List<int[]> unique, int[] prompt) {
        for (int i = 0; i < unique.size(); i++) if (Arrays.equals(unique.get(i), prompt)) return i;
        unique.add(prompt);
        return unique.size() - 1;
    }

    private static int longest(int[][] rows) {
        int m = 0;
        for (int[] r : rows) m = Math.max(m, r.length);
        return m;
    }
}

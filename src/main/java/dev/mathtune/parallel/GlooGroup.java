package dev.mathtune.parallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.gloo.Device;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * The workers of one data-parallel run, on libtorch's own distributed layer (c10d): rendezvous through a
 * {@code TCPStore} hosted by rank 0 on {@code MASTER_ADDR:MASTER_PORT}, collectives on {@code ProcessGroupGloo}
 * (CPU tensors over TCP). Sums are {@code allreduce_coalesced} calls over buckets of at most {@link #BUCKET_BYTES}
 * (torch DDP's default {@code bucket_cap_mb=25}), all issued before the first is waited for, so Gloo's threads
 * reduce one bucket while the next is on the wire.
 *
 * <p>Every worker checks in under {@code mathtune/joined/RANK} before the group forms, so a worker that never
 * arrives is named after the timeout. When a collective fails (a peer's socket closed, or the timeout), the
 * survivors check in again under {@code mathtune/alive/RANK}; the ranks that do not within {@link #CHECK_IN} are
 * the ones named in the {@link WorkerLostException} (rank 0 when the store itself is gone, as rank 0 hosts it).
 */
public final class GlooGroup implements Collectives {
    /** Largest all-reduce bucket: 25 MiB, as torch DDP's {@code bucket_cap_mb} default. */
    public static final long BUCKET_BYTES = 25L << 20;
    /** How long survivors of a failed collective wait for each other to check in. */
    static final Duration CHECK_IN = Duration.ofSeconds(5);

    private final WorldEnv env;
    private final Duration timeout;
    private final TCPStore store;
    private final ProcessGroupGloo group;

    private GlooGroup(WorldEnv env, Duration timeout, TCPStore store, ProcessGroupGloo group) {
        this.env = env;
        this.timeout = timeout;
        this.store = store;
        this.group = group;
    }

    /**
     * Joins the run described by {@code env}: connects to (rank 0: hosts) the store, waits up to {@code timeout}
     * for every rank, then forms the Gloo group. Collectives time out after {@code timeout} too.
     */
    public static GlooGroup join(WorldEnv env, Duration timeout) {
        Milliseconds ms = new Milliseconds(timeout.toMillis());
        TCPStoreOptions options = new TCPStoreOptions();
        options.port((short) env.masterPort());
        options.isServer(env.rank() == 0);
        options.numWorkers(new SizeTPointer(1).put(env.worldSize()));
        options.waitWorkers(false);
        options.timeout(ms);
        TCPStore store;
        try {
            store = new TCPStore(env.masterAddr(), options);
        } catch (RuntimeException e) {
            throw new WorkerLostException(String.format(Locale.ROOT, "rank %d could not reach the rendezvous store "
                    + "at %s:%d within %d s (is rank 0 running, with the same MASTER_ADDR and MASTER_PORT?): %s",
                    env.rank(), env.masterAddr(), env.masterPort(), timeout.toSeconds(), firstLine(e)), e);
        }
        store.retainReference();
        store.set("mathtune/joined/" + env.rank(), new ByteVector(new byte[]{1}));
        List<Integer> absent = absent(store, "mathtune/joined/", env.worldSize(), timeout);
        if (!absent.isEmpty()) {
            throw new WorkerLostException(String.format(Locale.ROOT, "rank%s %s never joined the rendezvous at "
                    + "%s:%d within %d s", absent.size() > 1 ? "s" : "", names(absent), env.masterAddr(),
                    env.masterPort(), timeout.toSeconds()), null);
        }
        ProcessGroupGloo.Options o = new ProcessGroupGloo.Options(ms);
        o.devices().push_back(device(env));
        ProcessGroupGloo group = new ProcessGroupGloo(store, env.rank(), env.worldSize(), o);
        group.retainReference();
        return new GlooGroup(env, timeout, store, group);
    }

    /**
     * Gloo's transport device: {@code GLOO_SOCKET_IFNAME}'s interface when set (as PyTorch), loopback when the
     * master address is, otherwise the address this machine's hostname resolves to.
     */
    private static Device device(WorldEnv env) {
        String iface = System.getenv("GLOO_SOCKET_IFNAME");
        if (iface != null && !iface.isBlank()) return ProcessGroupGloo.createDeviceForInterface(iface.trim());
        boolean loopback = env.masterAddr().startsWith("127.") || env.masterAddr().equals("localhost");
        return loopback ? ProcessGroupGloo.createDeviceForHostname("127.0.0.1") : ProcessGroupGloo.createDefaultDevice();
    }

    @Override
    public int rank() {
        return env.rank();
    }

    @Override
    public int worldSize() {
        return env.worldSize();
    }

    @Override
    public void sumInPlace(Collection<Tensor> tensors) {
        try (Scope s = Scope.open()) {
            List<Work> pending = new ArrayList<>();
            List<Tensor> bucket = new ArrayList<>();
            long bytes = 0;
            for (Tensor t : tensors) {
                bucket.add(t);
                bytes += t.numel() * t.element_size();
                if (bytes >= BUCKET_BYTES) {
                    pending.add(issue(bucket));
                    bucket.clear();
                    bytes = 0;
                }
            }
            if (!bucket.isEmpty()) pending.add(issue(bucket));
            for (Work w : pending) await(w, "gradient all-reduce");
        }
    }

    private Work issue(List<Tensor> bucket) {
        try {
            return group.allreduce_coalesced(new TensorVector(bucket.toArray(Tensor[]::new)));
        } catch (RuntimeException e) {
            throw lost("gradient all-reduce", e);
        }
    }

    @Override
    public double[] sum(double... values) {
        try (Scope s = Scope.open()) {
            Tensor t = Tensors.hostDoubles(values);                // Gloo reduces host memory
            Work w;
            try {
                w = group.allreduce(new TensorVector(t));
            } catch (RuntimeException e) {
                throw lost("all-reduce of the step's totals", e);
            }
            await(w, "all-reduce of the step's totals");
            return Tensors.toDoubles(t);
        }
    }

    @Override
    public void broadcastFromRankZero(Collection<Tensor> tensors) {
        try (Scope s = Scope.open()) {
            List<Work> pending = new ArrayList<>();
            try {
                for (Tensor t : tensors) pending.add(group.broadcast(new TensorVector(t)));
            } catch (RuntimeException e) {
                throw lost("broadcast of rank 0's weights", e);
            }
            for (Work w : pending) await(w, "broadcast of rank 0's weights");
        }
    }

    @Override
    public void barrier() {
        try (Scope s = Scope.open()) {
            Work w;
            try {
                w = group.barrier();
            } catch (RuntimeException e) {
                throw lost("barrier", e);
            }
            await(w, "barrier");
        }
    }

    private void await(Work w, String what) {
        try {
            w._wait();
        } catch (RuntimeException e) {
            throw lost(what, e);
        }
    }

    /** After a failed collective: which ranks do not check in, as a one-line error naming them. */
    private WorkerLostException lost(String what, RuntimeException cause) {
        List<Integer> absent;
        try {
            store.set("mathtune/alive/" + env.rank(), new ByteVector(new byte[]{1}));
            absent = absent(store, "mathtune/alive/", env.worldSize(), CHECK_IN);
        } catch (RuntimeException storeGone) {
            absent = List.of(0);
        }
        String who = absent.isEmpty() ? "every rank is still up"
                : "rank" + (absent.size() > 1 ? "s " : " ") + names(absent) + " stopped answering (died or hung"
                + (absent.contains(0) ? "; rank 0 hosts the rendezvous store" : "") + ")";
        return new WorkerLostException(String.format(Locale.ROOT, "%s during the %s; rank %d stops too (timeout %d s): %s",
                who, what, env.rank(), timeout.toSeconds(), firstLine(cause)), cause);
    }

    /** The ranks whose key {@code prefix + rank} is still missing after waiting up to {@code wait}. */
    private static List<Integer> absent(TCPStore store, String prefix, int world, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Integer> missing = new ArrayList<>();
        while (true) {
            missing.clear();
            for (int r = 0; r < world; r++) {
                if (!store.check(new StringVector(prefix + r))) missing.add(r);
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) return missing;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return missing;
            }
        }
    }

    private static String names(List<Integer> ranks) {
        return String.join(", ", ranks.stream().map(String::valueOf).toList());
    }

    private static String firstLine(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        String line = m.lines().findFirst().orElse(m);
        return line.replaceFirst("^\\[[^\\]]*/(gloo|c10d)/", "[$1/");
    }
}

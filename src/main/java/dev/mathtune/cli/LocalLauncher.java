package dev.mathtune.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.ProcessGroupGloo;

/**
 * {@code --nproc-per-node N}: starts N workers of the same command on this machine, as {@code torchrun} does,
 * each a fresh JVM with {@code RANK}, {@code LOCAL_RANK}, {@code WORLD_SIZE}, {@code LOCAL_WORLD_SIZE},
 * {@code MASTER_ADDR} (the launcher's, else 127.0.0.1) and {@code MASTER_PORT} (the launcher's, else a free port).
 * The workers' output is the launcher's. When one worker fails, the launcher names it, gives the others the
 * collective timeout (they stop on their own, naming it too) and then ends any that are left; its exit code is
 * the first failure's (1 for a worker killed by a signal).
 */
final class LocalLauncher {
    private static final Map<Process, Thread> FORWARDERS = new java.util.concurrent.ConcurrentHashMap<>();

    private LocalLauncher() {
    }

    static int run(int workers, List<String> args, Duration timeout, PrintStream err) throws IOException, InterruptedException {
        return await(start(workers, args, System.out, err), timeout.plusSeconds(30), err);
    }

    /**
     * Starts the workers. Their standard output goes to {@code rankZeroOut} (rank 0) and the launcher's (the
     * others), but for Gloo's "[Gloo] Rank r is connected to ..." line, which libgloo writes on standard output
     * when the group forms, and which goes to {@code err} here so that stdout stays the command's result.
     */
    static List<Process> start(int workers, List<String> args, OutputStream rankZeroOut, PrintStream err) throws IOException {
        // extract libtorch's native libraries into JavaCPP's cache here, once: workers that each extract them
        // at the same moment on a fresh machine can map a file another is still writing (SIGBUS)
        Loader.load(ProcessGroupGloo.class);
        Map<String, String> own = System.getenv();
        String addr = own.getOrDefault("MASTER_ADDR", "127.0.0.1");
        String port = own.containsKey("MASTER_PORT") ? own.get("MASTER_PORT") : String.valueOf(freePort());
        List<Process> running = new ArrayList<>();
        for (int rank = 0; rank < workers; rank++) {
            ProcessBuilder pb = new ProcessBuilder(ChildProcess.command(args)).inheritIO()
                    .redirectOutput(ProcessBuilder.Redirect.PIPE);
            Map<String, String> env = pb.environment();
            ChildProcess.prepare(env);
            env.put("RANK", String.valueOf(rank));
            env.put("LOCAL_RANK", String.valueOf(rank));
            env.put("WORLD_SIZE", String.valueOf(workers));
            env.put("LOCAL_WORLD_SIZE", String.valueOf(workers));
            env.put("MASTER_ADDR", addr);
            env.put("MASTER_PORT", port);
            Process p = pb.start();
            running.add(p);
            forward(p, rank == 0 ? rankZeroOut : System.out, err);
            err.printf("mathtune: rank %d of %d started (pid %d), rendezvous %s:%s%n", rank, workers, p.pid(), addr, port);
        }
        return running;
    }

    /** Waits for every worker; after the first failure, at most {@code grace} more before ending the rest. */
    static int await(List<Process> workers, Duration grace, PrintStream err) throws InterruptedException {
        int failedRank = -1, failedCode = 0;
        long deadline = Long.MAX_VALUE;
        while (workers.stream().anyMatch(Process::isAlive)) {
            if (System.nanoTime() > deadline) {
                for (int r = 0; r < workers.size(); r++) {
                    if (workers.get(r).isAlive()) {
                        err.printf("mathtune: rank %d still running %d s after rank %d failed; ending it%n", r,
                                grace.toSeconds(), failedRank);
                        workers.get(r).destroyForcibly().waitFor();
                    }
                }
                break;
            }
            for (int r = 0; r < workers.size() && failedRank < 0; r++) {
                Process p = workers.get(r);
                if (!p.isAlive() && p.exitValue() != 0) {
                    failedRank = r;
                    failedCode = p.exitValue();
                    err.println("mathtune: rank " + r + " " + describe(failedCode) + "; the other ranks stop within the timeout");
                    deadline = System.nanoTime() + grace.toNanos();
                }
            }
            Thread.sleep(100);
        }
        for (Process p : workers) {
            Thread t = FORWARDERS.remove(p);
            if (t != null) t.join(10_000); // the rest of its output
        }
        if (failedRank < 0) {
            for (int r = 0; r < workers.size(); r++) {
                int code = workers.get(r).exitValue();
                if (code != 0) return failedExit(code);
            }
            return ExitCode.OK;
        }
        return failedExit(failedCode);
    }

    /** Copies a worker's standard output line by line to {@code out}, Gloo's lines to {@code err}. */
    private static void forward(Process p, OutputStream out, PrintStream err) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("[Gloo] ")) {
                        err.println(line);
                    } else {
                        synchronized (out) {
                            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                }
            } catch (IOException e) {
                err.println("mathtune: lost a worker's output: " + e.getMessage());
            }
        }, "worker-" + p.pid() + "-stdout");
        t.setDaemon(true);
        t.start();
        FORWARDERS.put(p, t);
    }

    private static String describe(int code) {
        return code > 128 ? String.format(Locale.ROOT, "was killed by signal %d", code - 128) : "exited with code " + code;
    }

    private static int failedExit(int code) {
        return code > 0 && code < 128 ? code : ExitCode.FAILED;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}

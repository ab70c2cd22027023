package dev.mathtune.eval.grade;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hipparchus.complex.Complex;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.form.tex.TeXParser;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IASTAppendable;
import org.matheclipse.core.interfaces.IExpr;

/**
 * Symbolic equality of two LaTeX expressions with Symja, under a hard time limit.
 *
 * <p>Rule: parse both with Symja's {@link TeXParser}; without free variables they are equal when their numeric values
 * agree within a relative 1e-9 (exact up to floating point: {@code 8.485} is not {@code 6\sqrt{2}}); with variables, when {@code Simplify[a - b]} is {@code 0}, or
 * else when {@code a - b} vanishes (|a − b| ≤ 1e-6 · max(1, |a| + |b|)) at three fixed sample points.
 *
 * <p>Time limit: every check runs on one daemon worker thread and the caller waits at most its timeout
 * ({@code Future.get}). On a timeout the Symja engine is asked to stop ({@link EvalEngine#stopRequest()}), the task is
 * interrupted, and the worker is replaced by a fresh one, so a stuck evaluation never blocks later checks. Integers are
 * capped at {@value #MAX_BITS} bits ({@link Config#MAX_BIT_LENGTH}), so exponent towers fail fast instead of running
 * {@code BigInteger.pow} uninterruptibly.
 *
 * <p>Warm-up: Symja's first use initialises thousands of classes (about 2 s). {@link #warmUp()} does that once, lazily,
 * <em>outside</em> any timeout; every check calls it first, so only the first check of a JVM pays for it.
 */
public final class SymbolicEquivalence {

    /** Default time limit of one grading's symbolic checks. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Part of a grading's budget kept back from the symbolic wait, for stopping a timed-out worker and for scheduling
     * delays on a busy machine, so that a whole grading ends within its budget.
     */
    public static final Duration STOP_MARGIN = Duration.ofMillis(250);
    static final int MAX_BITS = 100_000;
    /** Relative tolerance for constant expressions: tight, so a rounded decimal never equals an irrational answer. */
    static final double CONSTANT_TOLERANCE = 1e-9;
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(120);
    private static final double[][] SAMPLES = {{0.5371, 1.3183, 2.0719, 0.7713}, {1.7297, 0.4129, 1.2377, 2.3911},
        {2.9113, 2.2361, 0.6601, 1.4142}};

    /** How a check ended. */
    public enum Outcome { EQUAL, DIFFERENT, UNPARSEABLE, TIMEOUT }

    private static final SymbolicEquivalence SHARED = new SymbolicEquivalence();
    private ExecutorService worker = newWorker();
    private volatile EvalEngine running;
    private boolean warm;

    private SymbolicEquivalence() {
    }

    /** The JVM-wide instance (Symja's engine state is per thread; one worker serves all graders). */
    public static SymbolicEquivalence shared() {
        return SHARED;
    }

    /** Initialises Symja once (blocking, not counted against any timeout); later calls return at once. */
    public synchronized void warmUp() {
        if (!warm) {
            Outcome first = runOnWorker(() -> compare("x^2-1", "(x-1)(x+1)"), WARM_UP_LIMIT);
            warm = first != Outcome.TIMEOUT;
        }
    }

    /** Whether LaTeX expressions {@code a} and {@code b} are equal (the lenient rule above), deciding within {@code timeout}. */
    public Outcome equivalent(String a, String b, Duration timeout) {
        return check(() -> compare(a, b), timeout);
    }

    /**
     * Exact check of plain-text expressions (sympy-like syntax: {@code 2sqrt(2)}, {@code pi/2}, {@code x^2}), as
     * PRM800K's {@code sympy.simplify(a - b) == 0}: equal only when {@code Simplify[a - b]} is {@code 0}.
     */
    public Outcome simplifiesToZero(String a, String b, Duration timeout) {
        return check(() -> exactlyEqual(a, b), timeout);
    }

    /**
     * Whether LaTeX {@code a} and {@code b} are constants whose numeric values agree within relative {@code relTol}
     * ({@code |a - b| <= relTol * max(|a|, |b|)}, Python's {@code math.isclose}): the last step of Qwen2.5-Math's
     * {@code symbolic_equal}, {@code numeric_equal(float(N(a)), float(N(b)))}. Expressions with free variables or
     * that do not parse are {@link Outcome#UNPARSEABLE}.
     */
    public Outcome numericallyClose(String a, String b, double relTol, Duration timeout) {
        return check(() -> closeValues(a, b, relTol), timeout);
    }

    private synchronized Outcome check(java.util.concurrent.Callable<Outcome> comparison, Duration timeout) {
        warmUp();
        if (timeout.isZero() || timeout.isNegative()) {
            return Outcome.TIMEOUT;
        }
        return runOnWorker(comparison, timeout);
    }

    private Outcome runOnWorker(java.util.concurrent.Callable<Outcome> check, Duration timeout) {
        Future<Outcome> future = worker.submit(check);
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandonWorker(future);
            return Outcome.TIMEOUT;
        } catch (ExecutionException e) {
            return Outcome.UNPARSEABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonWorker(future);
            return Outcome.TIMEOUT;
        }
    }

    private void abandonWorker(Future<Outcome> future) {
        EvalEngine engine = running;
        if (engine != null) {
            engine.stopRequest();
        }
        future.cancel(true);
        worker.shutdownNow();
        worker = newWorker();
    }

    /** Runs on the worker thread. */
    private Outcome compare(String a, String b) {
        EvalEngine engine = engineOfThisThread();
        running = engine;
        try {
            IExpr x = parse(a);
            IExpr y = parse(b);
            if (x == null || y == null) {
                return Outcome.UNPARSEABLE;
            }
            IExpr diff = F.Plus(x, F.Negate(y));
            IAST variables = (IAST) S.Variables.of(engine, F.List(x, y));
            if (variables.argSize() == 0) {
                return constantsEqual(engine, x, y);
            }
            if (S.Simplify.of(engine, diff).isZero()) {
                return Outcome.EQUAL;
            }
            return vanishesAtSamples(engine, variables, diff, F.Plus(F.Abs(x), F.Abs(y)));
        } finally {
            running = null;
        }
    }

    /** Runs on the worker thread. */
    private Outcome exactlyEqual(String a, String b) {
        EvalEngine engine = engineOfThisThread();
        running = engine;
        try {
            IExpr x = engine.parse(a);
            IExpr y = engine.parse(b);
            if (x == null || y == null) {
                return Outcome.UNPARSEABLE;
            }
            return S.Simplify.of(engine, F.Plus(x, F.Negate(y))).isZero() ? Outcome.EQUAL : Outcome.DIFFERENT;
        } finally {
            running = null;
        }
    }

    /** Runs on the worker thread. */
    private Outcome closeValues(String a, String b, double relTol) {
        EvalEngine engine = engineOfThisThread();
        running = engine;
        try {
            IExpr x = parse(a);
            IExpr y = parse(b);
            if (x == null || y == null || ((IAST) S.Variables.of(engine, F.List(x, y))).argSize() > 0) {
                return Outcome.UNPARSEABLE;
            }
            double vx = S.N.of(engine, x).evalDouble();
            double vy = S.N.of(engine, y).evalDouble();
            return vx == vy || Math.abs(vx - vy) <= relTol * Math.max(Math.abs(vx), Math.abs(vy))
                    ? Outcome.EQUAL : Outcome.DIFFERENT;
        } catch (RuntimeException notReal) {
            return Outcome.UNPARSEABLE;
        } finally {
            running = null;
        }
    }

    private static IExpr parse(String latex) {
        IExpr e = new TeXParser().parse(latex);
        return e == null || e == S.$Aborted || e.isNIL() ? null : e;
    }

    private static Outcome constantsEqual(EvalEngine engine, IExpr x, IExpr y) {
        Complex cx;
        Complex cy;
        try {
            cx = S.N.of(engine, x).evalComplex();
            cy = S.N.of(engine, y).evalComplex();
        } catch (RuntimeException notNumeric) {
            return S.Simplify.of(engine, F.Plus(x, F.Negate(y))).isZero() ? Outcome.EQUAL : Outcome.DIFFERENT;
        }
        double gap = cx.subtract(cy).norm();
        boolean equal = gap == 0 || gap <= CONSTANT_TOLERANCE * Math.max(cx.norm(), cy.norm());
        return equal ? Outcome.EQUAL : Outcome.DIFFERENT;
    }

    private static Outcome vanishesAtSamples(EvalEngine engine, IAST variables, IExpr diff, IExpr scale) {
        for (double[] point : SAMPLES) {
            IASTAppendable rules = F.ListAlloc(variables.argSize());
            for (int i = 0; i < variables.argSize(); i++) {
                double value = point[i % point.length] + i / point.length;
                rules.append(F.Rule(variables.get(i + 1), F.num(value)));
            }
            double gap = S.N.of(engine, F.ReplaceAll(diff, rules)).evalComplex().norm();
            double size = S.N.of(engine, F.ReplaceAll(scale, rules)).evalComplex().norm();
            if (!(gap <= 1e-6 * Math.max(1, size))) {
                return Outcome.DIFFERENT;
            }
        }
        return Outcome.EQUAL;
    }

    private static final ThreadLocal<EvalEngine> ENGINE = ThreadLocal.withInitial(() -> {
        EvalEngine engine = new ExprEvaluator(false, (short) 100).getEvalEngine();
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        engine.setOutPrintStream(silent);
        engine.setErrorPrintStream(silent);
        engine.setQuietMode(true);
        return engine;
    });

    private static EvalEngine engineOfThisThread() {
        EvalEngine engine = ENGINE.get();
        EvalEngine.set(engine);
        return engine;
    }

    private static ExecutorService newWorker() {
        if (System.getProperty("log4j2.loggerContextFactory") == null) {
            System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
        Config.MAX_BIT_LENGTH = MAX_BITS;
        return Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "symja-equivalence");
            t.setDaemon(true);
            return t;
        });
    }
}

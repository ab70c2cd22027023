package dev.mathtune.cli;

import dev.mathtune.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code mathtune} command line: parses, runs one subcommand, maps errors to exit codes. */
@Command(name = "mathtune", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "mathtune 0.1.0",
        description = "Fine-tune and evaluate small LLMs on math reasoning, on one machine.",
        subcommands = {
                CommandLine.HelpCommand.class,
                InitCommand.class,
                ScoreCommand.class,
                GenerateCommand.class,
                TrainCommand.class,
                MergeCommand.class,
                EvalCommand.class,
                GradeCommand.class,
                CompareCommand.class,
                ServeCommand.class,
                AugmentCommand.class,
                DemoCommand.class,
                RunCommand.class,
                ReportCommand.class,
                DownloadCommand.class,
                BenchCommand.class,
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (see {@link ExitCode}); used by tests too. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable cause = ex;
            while (cause.getCause() != null && !(cause instanceof UserError)) {
                cause = cause.getCause();
            }
            if (verbose) {
                ex.printStackTrace(cmd.getErr());
            }
            if (cause instanceof UserError ue) {
                cmd.getErr().println("mathtune: " + ue.getMessage());
                return ue.exitCode();
            }
            cmd.getErr().println("mathtune: internal error: " + ex + (verbose ? "" : " (run with --verbose for the stack trace)"));
            return ExitCode.INTERNAL;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("mathtune: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE;
        });
        try {
            YamlDefaults.install(cli, args);
        } catch (UserError e) {
            cli.getErr().println("mathtune: " + e.getMessage());
            return e.exitCode();
        }
        return cli.execute(args);
    }
}

package dev.mathtune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import dev.mathtune.experiment.ExperimentReport;
import dev.mathtune.report.ReportFiles;

/** {@code mathtune report DIR}: rebuilds report.md, results.csv and the charts from an experiment folder. */
@Command(name = "report", description = "Rebuild the report (report.md, results.csv, charts) of a 'mathtune run' folder.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The output folder of 'mathtune run'.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        ReportFiles files = ExperimentReport.write(dir);
        System.out.println(files.markdown());
        return ExitCode.OK;
    }

    /** Runs this command alone (for scripts and tests; {@code mathtune report} is the usual way). */
    public static void main(String[] args) {
        System.exit(RunCommand.execute(new ReportCommand(), args));
    }
}

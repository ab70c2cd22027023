package dev.mathtune.cli;

import dev.mathtune.io.hub.DownloadResult;
import dev.mathtune.io.hub.HubDownloader;
import dev.mathtune.io.hub.RepoKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mathtune download model|dataset ID --out DIR}: fetches a repository from the Hugging Face Hub
 * (resumable, checksummed; endpoint from {@code HF_ENDPOINT}, token from {@code HF_TOKEN} or {@code --token-env}).
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a model or dataset from the Hugging Face Hub (resumable, checksum-verified).",
        subcommands = {DownloadCommand.Model.class, DownloadCommand.Dataset.class})
public final class DownloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.USAGE;
    }

    /** The options both subcommands take. */
    static final class HubOptions {
        @Parameters(index = "0", paramLabel = "ID", description = "Repo id, e.g. Qwen/Qwen2.5-0.5B-Instruct.")
        String repoId;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory the files go to.")
        Path out;

        @Option(names = "--revision", defaultValue = "main", paramLabel = "R",
                description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
        String revision;

        @Option(names = "--include", arity = "1..*", paramLabel = "GLOB",
                description = "Only files matching these globs, e.g. '*.json' '*.safetensors' (default: all).")
        List<String> include = new ArrayList<>();

        @Option(names = "--token-env", paramLabel = "VAR", description = "Environment variable holding the token (default: HF_TOKEN).")
        String tokenEnv;

        @Option(names = "--endpoint", paramLabel = "URL",
                description = "Hub base URL (default: $HF_ENDPOINT, else https://huggingface.co).")
        URI endpoint;

        int run(RepoKind kind, CommandSpec spec) {
            DownloadResult result = HubDownloader.fromEnvironment(tokenEnv, endpoint).download(repoId, kind, revision, out, include);
            spec.commandLine().getOut().printf("%s %s@%s (commit %s): %d files in %s (%d downloaded, %d already complete, %s)%n",
                    kind.label(), repoId, revision, result.commit(), result.files().size(), out.toAbsolutePath(),
                    result.downloaded(), result.skipped(), megabytes(result.bytes()));
            return ExitCode.OK;
        }

        private static String megabytes(long bytes) {
            return String.format(java.util.Locale.ROOT, "%.1f MB transferred", bytes / 1048576.0);
        }
    }

    /** {@code download model ID --out DIR}. */
    @Command(name = "model", mixinStandardHelpOptions = true, description = "Download a model repository.")
    static final class Model implements Callable<Integer> {
        @Mixin
        HubOptions options;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return options.run(RepoKind.MODEL, spec);
        }
    }

    /** {@code download dataset ID --out DIR}. */
    @Command(name = "dataset", mixinStandardHelpOptions = true, description = "Download a dataset repository.")
    static final class Dataset implements Callable<Integer> {
        @Mixin
        HubOptions options;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return options.run(RepoKind.DATASET, spec);
        }
    }
}

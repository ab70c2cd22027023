package dev.mathtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import dev.mathtune.UserError;
import dev.mathtune.experiment.TrainOptions;
import dev.mathtune.experiment.TrainingLauncher;
import dev.mathtune.parallel.WorldEnv;

/**
 * What the workers of a data-parallel recipe run are told: {@link TrainOptions#commandLine()} parsed by
 * {@code mathtune train} gives the recipe's own spec; and the torchrun variables, read and refused.
 */
class WorkerArgumentsTest {

    @Test
    void workersParseTheRecipesOptionsIntoTheSameSpec() {
        TrainOptions options = TrainOptions.merge("test", Map.of("nproc-per-node", "2", "lr", "1e-4", "packing", "true",
                "lora-targets", "q,v", "prompt-field", "question", "batch-size", "3", "dtype", "bf16", "dist-timeout", "60"));
        List<String> args = new ArrayList<>(List.of("--model", "m", "--data", "d.jsonl", "--method", "lora", "--out", "o"));
        args.addAll(options.commandLine());
        assertFalse(args.contains("--nproc-per-node"), "the launcher's option stays with the launcher: " + args);
        assertFalse(args.contains("--chat"), "false flags are left out: " + args);
        TrainCommand worker = new TrainCommand();
        new CommandLine(worker).parseArgs(args.toArray(String[]::new));
        assertEquals(options.spec(Path.of("m"), Path.of("d.jsonl"), "lora", Path.of("o")), worker.spec());
        assertEquals(60, worker.distTimeout);
        assertEquals(2, options.workers());
    }

    @Test
    void aRunnerWithoutProcessesRefusesSeveralWorkers() {
        TrainOptions two = TrainOptions.merge("test", Map.of("nproc-per-node", "2"));
        UserError e = assertThrows(UserError.class, () -> TrainingLauncher.IN_PROCESS.train(null, two, false, System.err));
        assertTrue(e.getMessage().contains("nproc-per-node"), e.getMessage());
        UserError zero = assertThrows(UserError.class, () -> TrainOptions.merge("r", Map.of("nproc-per-node", "0")).workers());
        assertTrue(zero.getMessage().contains("'nproc-per-node': must be >= 1"), zero.getMessage());
    }

    @Test
    void torchrunVariablesPlaceTheWorker() {
        assertEquals(null, WorldEnv.fromEnvironment(Map.of()));
        assertEquals(null, WorldEnv.fromEnvironment(Map.of("WORLD_SIZE", "1")));
        assertEquals(new WorldEnv(1, 4, 1, "10.0.0.1", 29500), WorldEnv.fromEnvironment(
                Map.of("WORLD_SIZE", "4", "RANK", "1", "MASTER_ADDR", "10.0.0.1", "MASTER_PORT", "29500")));
        UserError rank = assertThrows(UserError.class, () -> WorldEnv.fromEnvironment(
                Map.of("WORLD_SIZE", "2", "RANK", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1")));
        assertEquals("environment: RANK='2' must be an integer in [0, 1]", rank.getMessage());
        UserError addr = assertThrows(UserError.class, () -> WorldEnv.fromEnvironment(
                Map.of("WORLD_SIZE", "2", "RANK", "0", "MASTER_PORT", "1")));
        assertEquals("environment: MASTER_ADDR is not set (WORLD_SIZE is 2)", addr.getMessage());
    }
}

package dev.mathtune.parallel;

import java.util.Map;

import dev.mathtune.UserError;

/**
 * Where this worker stands, from the variables torchrun, Slurm scripts and Kubernetes operators set for PyTorch
 * jobs: {@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK}, {@code MASTER_ADDR}, {@code MASTER_PORT}. Rank 0
 * hosts the rendezvous store on {@code MASTER_ADDR:MASTER_PORT}; every worker connects to it.
 */
public record WorldEnv(int rank, int worldSize, int localRank, String masterAddr, int masterPort) {

    /** This process's world: null when {@code WORLD_SIZE} is unset or 1 (a single-process run). */
    public static WorldEnv fromEnvironment(Map<String, String> env) {
        String world = env.get("WORLD_SIZE");
        if (world == null || world.isBlank() || world.trim().equals("1")) return null;
        int size = number(env, "WORLD_SIZE", 2, 65_536);
        int rank = number(env, "RANK", 0, size - 1);
        int local = env.containsKey("LOCAL_RANK") ? number(env, "LOCAL_RANK", 0, size - 1) : rank;
        String addr = env.get("MASTER_ADDR");
        if (addr == null || addr.isBlank()) throw new UserError("environment: MASTER_ADDR is not set (WORLD_SIZE is " + size + ")");
        return new WorldEnv(rank, size, local, addr.trim(), number(env, "MASTER_PORT", 1, 65_535));
    }

    private static int number(Map<String, String> env, String name, int min, int max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) throw new UserError("environment: " + name + " is not set");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("environment: " + name + "='" + v + "' must be an integer in [" + min + ", " + max + "]");
    }
}

package dev.mathtune.io.hub;

import dev.mathtune.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Hub token, found where {@code huggingface_hub} looks ({@code constants.py}, {@code utils/_auth.py}): the
 * variable named by {@code --token-env} when given (it must be set); else {@code HF_TOKEN}; else the file
 * {@code hf auth login} writes, {@code $HF_TOKEN_PATH}, by default {@code $HF_HOME/token} with {@code HF_HOME}
 * defaulting to {@code $XDG_CACHE_HOME/huggingface}, that is {@code ~/.cache/huggingface/token}. Null: anonymous.
 */
public final class HubToken {
    private HubToken() {
    }

    /** The token from the process environment and home folder. */
    public static String fromEnvironment(String tokenEnv) {
        return resolve(tokenEnv, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The token from {@code env} and {@code home}, in the order above; null when there is none. */
    static String resolve(String tokenEnv, Map<String, String> env, Path home) {
        if (tokenEnv != null) {
            String token = env.get(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new UserError("environment variable " + tokenEnv + " (named by --token-env) is not set");
            }
            return token.strip();
        }
        String token = env.get("HF_TOKEN");
        if (token != null && !token.isBlank()) return token.strip();
        Path file = tokenFile(env, home);
        try {
            String saved = Files.isRegularFile(file) ? Files.readString(file).strip() : "";
            return saved.isEmpty() ? null : saved;
        } catch (IOException e) {
            throw UserError.inFile(file, "cannot read the Hub token: " + e.getMessage());
        }
    }

    /** {@code $HF_TOKEN_PATH}, else {@code $HF_HOME/token}, else {@code ${XDG_CACHE_HOME:-~/.cache}/huggingface/token}. */
    static Path tokenFile(Map<String, String> env, Path home) {
        if (set(env, "HF_TOKEN_PATH")) return Path.of(env.get("HF_TOKEN_PATH"));
        if (set(env, "HF_HOME")) return Path.of(env.get("HF_HOME")).resolve("token");
        Path cache = set(env, "XDG_CACHE_HOME") ? Path.of(env.get("XDG_CACHE_HOME")) : home.resolve(".cache");
        return cache.resolve("huggingface").resolve("token");
    }

    private static boolean set(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }
}

package dev.mathtune.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.mathtune.UserError;

/**
 * One {@code --adapter NAME=DIR} of {@code mathtune serve}: the adapter in {@code dir} served as model {@code name}
 * beside its base. The value is split at its first {@code =}, so a directory may contain {@code =} but a name may not.
 */
record AdapterSpec(String name, Path dir) {

    /**
     * Every {@code --adapter} value, checked before anything loads: each must be {@code NAME=DIR} with a non-blank
     * name and directory, names distinct and none equal to {@code baseName} (the base's served name). Errors name
     * the option value.
     */
    static List<AdapterSpec> parseAll(List<String> values, String baseName) {
        List<AdapterSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String value : values) {
            AdapterSpec s = parse(value);
            if (s.name.equals(baseName)) {
                throw error(value, "name '" + s.name + "' is the base model's served name (pick another adapter "
                        + "name, or another --served-model)");
            }
            if (!names.add(s.name)) throw error(value, "name '" + s.name + "' is given twice");
            specs.add(s);
        }
        return specs;
    }

    static AdapterSpec parse(String value) {
        int eq = value.indexOf('=');
        if (eq < 0) {
            throw error(value, "expected NAME=DIR (several adapters are served by name; a single plain "
                    + "--adapter DIR serves the adapted model alone)");
        }
        String name = value.substring(0, eq);
        String dir = value.substring(eq + 1);
        if (name.isBlank() || !name.equals(name.strip())) {
            throw error(value, "the adapter name before '=' is empty or has spaces around it");
        }
        if (dir.isBlank()) throw error(value, "the adapter directory after '=' is empty");
        return new AdapterSpec(name, Path.of(dir));
    }

    private static UserError error(String value, String problem) {
        return new UserError("--adapter " + value + ": " + problem);
    }
}

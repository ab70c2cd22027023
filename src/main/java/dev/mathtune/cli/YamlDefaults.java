package dev.mathtune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import dev.mathtune.UserError;

/**
 * Option values from a YAML file ({@code key: value}, keys are option names without the dashes), used as
 * defaults so that flags given on the command line win. A key that is not an option of the command is an error.
 */
final class YamlDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> values;

    private YamlDefaults(Map<String, String> values) {
        this.values = values;
    }

    static YamlDefaults load(Path file, CommandSpec command) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw UserError.inFile(file, "not valid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) throw UserError.inFile(file, "expected a mapping of option: value");
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var f = it.next();
            OptionSpec opt = command.findOption("--" + f.getKey());
            if (opt == null || f.getKey().equals("config")) {
                throw UserError.inFile(file, "unknown key '" + f.getKey() + "' (not an option of '"
                        + command.qualifiedName() + "')");
            }
            out.put(opt.longestName(), scalar(f.getValue()));
        }
        return new YamlDefaults(out);
    }

    private static String scalar(JsonNode v) {
        if (!v.isArray()) return v.asText();
        List<String> parts = new ArrayList<>();
        v.forEach(x -> parts.add(x.asText()));
        return String.join(",", parts);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec o) return values.getOrDefault(o.longestName(), o.defaultValue());
        return arg.defaultValue();
    }

    /** Installs YAML defaults on the subcommand named in {@code args} when it has {@code --config FILE}. */
    static void install(CommandLine root, String[] args) {
        if (args.length == 0) return;
        CommandLine sub = root.getSubcommands().get(args[0]);
        if (sub == null || sub.getCommandSpec().findOption("--config") == null) return;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String file = a.startsWith("--config=") ? a.substring(9) : a.equals("--config") && i + 1 < args.length ? args[i + 1] : null;
            if (file != null) {
                sub.setDefaultValueProvider(load(Path.of(file), sub.getCommandSpec()));
                return;
            }
        }
    }
}

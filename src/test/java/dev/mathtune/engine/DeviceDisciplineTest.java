package dev.mathtune.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Holds the device discipline of docs/DESIGN.md ("Devices") over the main sources: outside {@code engine}, no
 * tensor factory without a tensor input (those put their result on the CPU whatever the engine's device; use
 * {@link Tensors}'s), no tensor options or device named, and no raw {@code data_ptr} (a device pointer read from
 * Java crashes the JVM). Operations with a tensor input ({@code zeros_like}, {@code to(other)}) follow it and are
 * fine.
 */
class DeviceDisciplineTest {
    private static final Path MAIN = Path.of("src/main/java/dev/mathtune");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\btorch\\.(zeros|ones|empty|full|arange|rand|randn|randint|randperm|eye|linspace|tensor|from_blob)\\("
                    + "|\\bnew (org\\.bytedeco\\.pytorch\\.)?(TensorOptions|Device|DeviceOptional)\\("
                    + "|\\bdata_ptr(_\\w+)?\\(");

    @Test
    void onlyTheEngineMakesTensorsFromNothingOrReadsTheirMemory() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.startsWith(MAIN.resolve("engine"))) continue;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = FORBIDDEN.matcher(lines.get(i));
                    if (m.find()) offences.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertTrue(offences.isEmpty(), "tensor factories, devices or data_ptr outside engine:\n"
                + String.join("\n", offences));
    }

    @Test
    void theScanSeesWhatItForbids() {
        for (String line : new String[]{"Tensor t = torch.zeros(new long[]{2}, o);",
                "org.bytedeco.pytorch.global.torch.randn(shape, o)", "new TensorOptions(type)",
                "new FloatPointer(t.data_ptr())", "t.data_ptr_double().put(v)", "new org.bytedeco.pytorch.Device(\"cuda\")"}) {
            assertTrue(FORBIDDEN.matcher(line).find(), line);
        }
        for (String line : new String[]{"torch.zeros_like(param)", "Tensors.zeros(DType.FP32, 2)", "x.to(y)"}) {
            assertTrue(!FORBIDDEN.matcher(line).find(), line);
        }
    }
}

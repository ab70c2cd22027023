package dev.mathtune.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code name -> {dtype, shape, data_offsets}} plus optional {@code __metadata__}), then the raw tensor bytes.
 * Reading memory-maps each tensor's region; sharded checkpoints ({@code model.safetensors.index.json}) too.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;
    private static final Map<String, Integer> DTYPE_BYTES = Map.of(
            "F64", 8, "F32", 4, "F16", 2, "BF16", 2, "I64", 8, "I32", 4, "I16", 2, "I8", 1, "U8", 1, "BOOL", 1);

    private Safetensors() {
    }

    /** All tensors of one file, in header order; each entry's data is a memory-mapped view. */
    public static Map<String, SafetensorsEntry> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw UserError.inFile(file, "truncated safetensors file (" + size + " bytes)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
                throw UserError.inFile(file, "bad safetensors header length " + n + " (file has " + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            ch.read(hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw UserError.inFile(file, "safetensors header is not valid JSON");
            }
            long base = 8 + n;
            Map<String, SafetensorsEntry> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) continue;
                out.put(f.getKey(), entry(file, ch, base, size, f.getKey(), f.getValue()));
            }
            return out;
        } catch (IOException e) {
            throw UserError.inFile(file, "cannot read: " + e.getMessage());
        }
    }

    private static SafetensorsEntry entry(Path file, FileChannel ch, long base, long size, String name, JsonNode info)
            throws IOException {
        String dtype = info.path("dtype").asText();
        Integer width = DTYPE_BYTES.get(dtype);
        if (width == null) throw UserError.inFile(file, "tensor '" + name + "': unsupported dtype '" + dtype + "'");
        JsonNode shapeNode = info.path("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            count *= shape[i];
        }
        long start = info.path("data_offsets").path(0).asLong(-1);
        long end = info.path("data_offsets").path(1).asLong(-1);
        if (start < 0 || end < start || base + end > size) {
            throw UserError.inFile(file, "tensor '" + name + "': data [" + start + ", " + end
                    + ") lies past the end of the file (truncated safetensors?)");
        }
        if (end - start != count * width) {
            throw UserError.inFile(file, "tensor '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " needs " + count * width + " bytes, data has " + (end - start));
        }
        ByteBuffer data = end == start ? ByteBuffer.allocate(0)
                : ch.map(FileChannel.MapMode.READ_ONLY, base + start, end - start);
        return new SafetensorsEntry(name, dtype, shape, data.order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * All tensors of a checkpoint directory: {@code model.safetensors}, or the shards named by
     * {@code model.safetensors.index.json}; {@code prefix} is the file name stem (e.g. {@code "model"}).
     */
    public static Map<String, SafetensorsEntry> readCheckpoint(Path dir, String prefix) {
        Path single = dir.resolve(prefix + ".safetensors");
        Path index = dir.resolve(prefix + ".safetensors.index.json");
        if (Files.isRegularFile(single)) return read(single);
        if (!Files.isRegularFile(index)) {
            throw UserError.inFile(dir, "no " + single.getFileName() + " or " + index.getFileName());
        }
        JsonNode map;
        try {
            map = JSON.readTree(index.toFile()).get("weight_map");
        } catch (IOException e) {
            throw UserError.inFile(index, "not valid JSON");
        }
        if (map == null || !map.isObject()) throw UserError.inFile(index, "field 'weight_map': missing");
        Map<String, Map<String, SafetensorsEntry>> shards = new TreeMap<>();
        Map<String, SafetensorsEntry> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String shard = f.getValue().asText();
            Path shardFile = dir.resolve(shard);
            if (!Files.isRegularFile(shardFile)) throw UserError.inFile(index, "shard '" + shard + "' is missing");
            SafetensorsEntry e = shards.computeIfAbsent(shard, s -> read(shardFile)).get(f.getKey());
            if (e == null) throw UserError.inFile(shardFile, "tensor '" + f.getKey() + "' listed in the index is absent");
            out.put(f.getKey(), e);
        }
        return out;
    }

    /** Writes tensors (sorted by name, 8-byte-aligned data section) atomically. */
    public static void write(Path file, Map<String, SafetensorsEntry> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        Map<String, SafetensorsEntry> sorted = new TreeMap<>(tensors);
        long offset = 0;
        for (SafetensorsEntry e : sorted.values()) {
            ObjectNode t = header.putObject(e.name());
            t.put("dtype", e.dtype());
            var shape = t.putArray("shape");
            for (long d : e.shape()) shape.add(d);
            long len = e.data().remaining();
            t.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] hb = JSON.writeValueAsBytes(header);
        int pad = (8 - hb.length % 8) % 8;
        byte[] padded = java.util.Arrays.copyOf(hb, hb.length + pad);
        java.util.Arrays.fill(padded, hb.length, padded.length, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length);
            out.write(len.array());
            out.write(padded);
            for (SafetensorsEntry e : sorted.values()) writeBuffer(out, e.data().duplicate());
        });
    }

    private static void writeBuffer(OutputStream out, ByteBuffer b) throws IOException {
        byte[] chunk = new byte[1 << 20];
        while (b.hasRemaining()) {
            int k = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, k);
            out.write(chunk, 0, k);
        }
    }
}

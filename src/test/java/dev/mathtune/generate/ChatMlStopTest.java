package dev.mathtune.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.engine.DType;
import dev.mathtune.eval.PromptOptions;
import dev.mathtune.eval.PromptRegistry;
import dev.mathtune.eval.PromptTemplate;
import dev.mathtune.eval.DatasetKind;
import dev.mathtune.generate.openai.OpenAiClient;
import dev.mathtune.generate.openai.OpenAiClientOptions;
import dev.mathtune.generate.openai.OpenAiServer;
import dev.mathtune.generate.openai.ServerOptions;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;
import dev.mathtune.model.CheckpointInit;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.tokenizer.Tokenizer;
import dev.mathtune.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 15's defect: a Qwen2.5 base checkpoint's EOS is {@code <|endoftext|>} alone, so under a ChatML prompt a
 * model that writes {@code <|im_end|>} and goes on into a new turn was stopped only by the budget. The checkpoint
 * here has the real Qwen tokenizer, a {@code generation_config.json} naming only {@code <|endoftext|>} (and
 * {@code tokenizer_config.json}'s eos_token {@code <|endoftext|>}, as the base models ship), and weights
 * <b>forced</b> (set by hand, not trained) so that greedy decoding writes {@code x y <|im_end|> <|im_start|> x y
 * <|im_end|> ...} for ever: both transformer blocks' output projections are zero, so the residual stream is the
 * current token's embedding, and each chain token's embedding is a unit vector that the lm_head maps to the next
 * token of the chain (every other token maps to {@code x}). Under {@code qwen25-math-cot} it must stop at the
 * first {@code <|im_end|>}, in the embedded engine and through {@code mathtune serve}'s server and client.
 */
class ChatMlStopTest {
    static final int HIDDEN = 32;
    static final int ENDOFTEXT = 151643;
    static Path dir;
    static int x;
    static int y;
    static int imEnd;
    static int imStart;
    static ModelBundle bundle;

    @BeforeAll
    static void forcedCheckpoint(@TempDir Path tmp) throws IOException {
        dir = tmp.resolve("forced-im-end");
        Qwen2Config shape = new Qwen2Config(151936, HIDDEN, 64, 1, 2, 1, 16, 1e-6, 10000.0, false, 4096,
                ENDOFTEXT, List.of(ENDOFTEXT), "float32");
        CheckpointInit.write(shape, dir, DType.FP32, 7, false);
        Path qwen = Golden.shared().resolve("tokenizers/qwen");
        Files.copy(qwen.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(qwen.resolve("tokenizer_config.json").toFile());
        config.put("eos_token", "<|endoftext|>"); // as Qwen/Qwen2.5-0.5B's tokenizer_config.json has it
        json.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
        try (Tokenizer tok = Tokenizer.load(dir)) {
            x = tok.tokenId("x").orElseThrow();
            y = tok.tokenId("y").orElseThrow();
            imEnd = tok.tokenId("<|im_end|>").orElseThrow();
            imStart = tok.tokenId("<|im_start|>").orElseThrow();
            assertEquals(Set.of(ENDOFTEXT), tok.eosIds(), "EOS = generation_config ∪ tokenizer_config: endoftext only");
        }
        force(dir.resolve("model.safetensors"), shape.vocabSize());
        bundle = ModelBundle.load(dir, DType.FP32);
    }

    @AfterAll
    static void release() {
        bundle.tokenizer().close();
    }

    /** Dimension 0: any other token; 1: x; 2: y; 3: <|im_end|>. lm_head: 0 → x, 1 → y, 2 → <|im_end|>, 3 → <|im_start|>. */
    private static void force(Path file, int vocab) throws IOException {
        Map<String, SafetensorsEntry> tensors = new HashMap<>(Safetensors.read(file));
        float[] embed = new float[vocab * HIDDEN];
        for (int t = 0; t < vocab; t++) {
            int dim = t == x ? 1 : t == y ? 2 : t == imEnd ? 3 : 0;
            embed[t * HIDDEN + dim] = 1f;
        }
        float[] head = new float[vocab * HIDDEN];
        head[x * HIDDEN] = 10f;
        head[y * HIDDEN + 1] = 10f;
        head[imEnd * HIDDEN + 2] = 10f;
        head[imStart * HIDDEN + 3] = 10f;
        put(tensors, "model.embed_tokens.weight", embed);
        put(tensors, "lm_head.weight", head);
        for (String name : List.of("model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.down_proj.weight")) {
            put(tensors, name, new float[(int) tensors.get(name).numel()]);
        }
        Path tmp = file.resolveSibling("forced.safetensors");
        Safetensors.write(tmp, tensors, Map.of("format", "pt"));
        tensors.clear();
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void put(Map<String, SafetensorsEntry> tensors, String name, float[] values) {
        SafetensorsEntry old = tensors.get(name);
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        tensors.put(name, new SafetensorsEntry(name, "F32", old.shape(), data));
    }

    private static GenerationRequest request(SamplingParams params) {
        PromptTemplate t = PromptRegistry.create(PromptRegistry.QWEN25_MATH_COT,
                PromptOptions.defaults().withKind(DatasetKind.GSM8K));
        return t.request(0, "q0", "What is 2+3?", params);
    }

    private static Completion one(TextGenerator generator, GenerationRequest r) {
        Map<String, Completion> out = new ConcurrentHashMap<>();
        generator.generate(List.of(r), c -> out.put(c.id(), c));
        return out.get(r.id());
    }

    @Test
    void embeddedEngineStopsAtImEndUnderQwen25MathCot() {
        try (EmbeddedGenerator gen = bundle.generator(4, null)) {
            // without the protocol's stop set the model writes on into invented turns until the budget
            Completion free = one(gen, GenerationRequest.text("free", request(SamplingParams.greedy(40)).prompt(),
                    SamplingParams.greedy(40)));
            assertEquals(FinishReason.LENGTH, free.finishReason());
            assertEquals(List.of(x, y, imEnd, imStart, x, y, imEnd), free.tokenIds().subList(0, 7));

            Completion c = one(gen, request(SamplingParams.greedy(40)));
            assertEquals(FinishReason.STOP, c.finishReason());
            assertEquals("xy", c.text());
            assertEquals(List.of(x, y, imEnd), c.tokenIds());

            // a user's own stop string may be a special token too (generate/eval --stop "<|im_end|>")
            Completion own = one(gen, GenerationRequest.text("own", "Say x.",
                    SamplingParams.greedy(40).withStop(List.of("<|im_end|>"))));
            assertEquals(FinishReason.STOP, own.finishReason());
            assertEquals("xy", own.text());
        }
    }

    @Test
    void serveAndClientStopAtImEndToo() {
        try (EmbeddedGenerator gen = bundle.generator(4, null);
             OpenAiServer server = OpenAiServer.start(gen, "forced", ServerOptions.onPort(0));
             OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "forced"))) {
            Completion c = one(client, request(SamplingParams.greedy(40)));
            assertEquals(FinishReason.STOP, c.finishReason());
            assertEquals("xy", c.text());
            assertEquals(3, c.completionTokens());
        }
    }
}

package dev.mathtune.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.UserError;
import dev.mathtune.tokenizer.Tokenizer;
import dev.mathtune.testing.TinyModels;

/** The response-only loss mask, token by token, and how data errors are reported. */
class SftDatasetTest {

    @Test
    void targetsAreResponseAndEosOnly(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("d.jsonl");
        Files.writeString(f, "{\"question\": \"Tom has 3 apples. How many?\", \"answer\": \"He has 3.\\n#### 3\"}\n");
        try (Tokenizer tok = Tokenizer.load(TinyModels.tiny())) {
            SftExample ex = SftDataset.load(f, DataFormat.auto(), tok, false, false, 512, 0).examples().get(0);
            int[] prompt = tok.encode("Tom has 3 apples. How many?\n");
            int[] response = tok.encode("He has 3.\n#### 3");
            int eos = tok.tokenId("<|im_end|>").getAsInt();
            assertEquals(prompt.length + response.length + 1, ex.ids().length);
            for (int i = 0; i < ex.ids().length; i++) {
                boolean isResponse = i >= prompt.length;
                assertEquals(isResponse, ex.target()[i], "token " + i);
                int want = i < prompt.length ? prompt[i] : i < prompt.length + response.length ? response[i - prompt.length] : eos;
                assertEquals(want, ex.ids()[i], "id " + i);
            }
            // in a micro-batch, token i is predicted from position i-1: the mask counts exactly the targets
            MicroBatch mb = MicroBatch.padded(List.of(ex, ex), 0);
            assertEquals(2 * (response.length + 1), mb.targetCount());
            SftExample all = SftDataset.load(f, DataFormat.auto(), tok, false, true, 512, 0).examples().get(0);
            assertEquals(all.ids().length - 1, all.targets());
        }
    }

    @Test
    void badRowsNameFileLineAndField(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"question\": \"q\", \"answer\": \"a\"}\n{\"question\": 3, \"answer\": \"a\"}\n");
        try (Tokenizer tok = Tokenizer.load(TinyModels.tiny())) {
            UserError e = assertThrows(UserError.class, () -> SftDataset.load(f, DataFormat.auto(), tok, false, false, 512, 0));
            assertEquals(f + ":2: field 'question': must be a string", e.getMessage());
        }
    }

    @Test
    void packingKeepsExamplesApart(@TempDir Path tmp) throws Exception {
        SftExample a = new SftExample(new int[]{5, 6, 7, 8}, new boolean[]{false, false, true, true});
        SftExample b = new SftExample(new int[]{9, 10, 11}, new boolean[]{false, true, true});
        MicroBatch packed = MicroBatch.packed(List.of(a, b), 16);
        // targets: a's 7, 8 and b's 10, 11 — b's first token is not predicted from a's last
        assertEquals(4, packed.targetCount());
    }

    /** Must show 3: GSM8K read from Parquet (the Hub's layout, two shards) gives the JSONL's examples, in order. */
    @Test
    void parquetGivesTheSameExamplesInTheSameOrderAsJsonl(@TempDir Path tmp) {
        Path gsm = Path.of(System.getProperty("mathtune.shared", "../shared"), "data", "gsm8k", "train.jsonl");
        Path jsonl = tmp.resolve("train.jsonl");
        Path main = tmp.resolve("main");
        try {
            Files.createDirectories(main);
            Files.write(jsonl, Files.readAllLines(gsm).subList(0, 300));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        dev.mathtune.testing.ParquetFiles.fromJsonl(jsonl, main.resolve("train-00000-of-00002.parquet"), 0, 170, "question", "answer");
        dev.mathtune.testing.ParquetFiles.fromJsonl(jsonl, main.resolve("train-00001-of-00002.parquet"), 170, 130, "question", "answer");
        try (Tokenizer tok = Tokenizer.load(TinyModels.tiny())) {
            SftDataset fromJsonl = SftDataset.load(jsonl, DataFormat.auto(), tok, false, false, 4096, 0);
            SftDataset fromParquet = SftDataset.load(main.resolve("train-*.parquet"), DataFormat.auto(), tok, false, false, 4096, 0);
            assertEquals(300, fromJsonl.examples().size());
            assertEquals(fromJsonl.examples().size(), fromParquet.examples().size());
            assertEquals(fromJsonl.truncated(), fromParquet.truncated());
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(fromJsonl.examples().get(i).ids(), fromParquet.examples().get(i).ids(), "example " + i);
                assertArrayEquals(fromJsonl.examples().get(i).target(), fromParquet.examples().get(i).target(), "example " + i);
            }
            SftDataset first = SftDataset.load(main.resolve("train-00000-of-00002.parquet"), DataFormat.auto(), tok, false, false, 4096, 40);
            assertArrayEquals(fromJsonl.examples().get(39).ids(), first.examples().get(39).ids());
        }
    }
}

package dev.mathtune.io.hub;

import dev.mathtune.UserError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Split files in the layouts of the study's repositories (paths as the Hub's file pages list them). */
class DatasetSplitFilesTest {
    private static RepoListing listing(String repo, String... paths) {
        return new RepoListing(repo, RepoKind.DATASET, "main", FakeHub.COMMIT,
                java.util.Arrays.stream(paths).map(HubFile::named).toList());
    }

    private static List<String> select(RepoListing l, List<String> configs, String split) {
        return DatasetSplitFiles.select(l, configs, split).stream().map(HubFile::path).toList();
    }

    @Test
    void gsm8kConfigsMath500RootAndHendrycksSubjects() {
        RepoListing gsm = listing("openai/gsm8k", ".gitattributes", "README.md", "main/test-00000-of-00001.parquet",
                "main/train-00000-of-00001.parquet", "socratic/test-00000-of-00001.parquet", "socratic/train-00000-of-00001.parquet");
        assertEquals(List.of("main/train-00000-of-00001.parquet"), select(gsm, List.of("main"), "train"));
        assertEquals(List.of("socratic/test-00000-of-00001.parquet"), select(gsm, List.of("socratic"), "test"));
        RepoListing m500 = listing("HuggingFaceH4/MATH-500", "README.md", "test.jsonl");
        assertEquals(List.of("test.jsonl"), select(m500, List.of(), "test"));
        RepoListing hendrycks = listing("EleutherAI/hendrycks_math", "README.md", "algebra/test-00000-of-00001.parquet",
                "algebra/train-00000-of-00001.parquet", "geometry/train-00000-of-00001.parquet", "prealgebra/train-00000-of-00001.parquet");
        assertEquals(List.of("algebra/train-00000-of-00001.parquet", "geometry/train-00000-of-00001.parquet"),
                select(hendrycks, List.of("geometry", "algebra"), "train"), "path order, whatever the listed order");
        RepoListing shards = listing("acme/big", "data/train-00001-of-00002.parquet", "data/train-00000-of-00002.parquet",
                "data/test-00000-of-00001.parquet", "train/extra.jsonl");
        assertEquals(List.of("data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"),
                select(shards, List.of(), "train").subList(0, 2));
    }

    @Test
    void aMissingConfigOrSplitNamesWhatThereIs() {
        RepoListing gsm = listing("openai/gsm8k", "README.md", "main/train-00000-of-00001.parquet",
                "socratic/train-00000-of-00001.parquet");
        UserError e = assertThrows(UserError.class, () -> DatasetSplitFiles.select(gsm, List.of("mian"), "train"));
        assertEquals("dataset openai/gsm8k@main: no data files for config 'mian', split 'train' (configs with data:"
                + " main, socratic) (README.md, main/train-00000-of-00001.parquet, socratic/train-00000-of-00001.parquet)",
                e.getMessage());
        UserError split = assertThrows(UserError.class, () -> DatasetSplitFiles.select(gsm, List.of("main"), "validation"));
        assertTrue(split.getMessage().contains("split 'validation'"), split.getMessage());
    }
}

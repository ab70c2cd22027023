/**
 * The evaluation harness: datasets ({@link dev.mathtune.eval.DatasetLoader} → {@link dev.mathtune.eval.EvalItem}),
 * named prompts ({@link dev.mathtune.eval.PromptRegistry}), metrics ({@link dev.mathtune.eval.EvalMetrics}) and the
 * resumable runner ({@link dev.mathtune.eval.EvalRunner}). A run folder holds {@code run.json} (what it is a run
 * of), {@code predictions.jsonl} (one row per item × sample, appended as completions arrive) and
 * {@code metrics.json} (written atomically at the end). Answer grading lives in {@code dev.mathtune.eval.grade}.
 */
package dev.mathtune.eval;

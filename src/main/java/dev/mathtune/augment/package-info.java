/**
 * AugGSM8K / AugMATH (MuggleMath-style) data augmentation with a teacher model.
 *
 * <ol>
 *   <li><b>Query evolution</b>: each input question is rewritten by the teacher once per {@link
 *       dev.mathtune.augment.EvolutionOp} (change-numbers, fractions-percentages, combine-concepts, add-condition,
 *       increase-complexity), with prompts under {@code prompts/<gsm8k|math>/<op>.txt}; the output is parsed by
 *       {@link dev.mathtune.augment.EvolvedQuestionParser}. Round r+1 evolves the questions kept in round r.</li>
 *   <li><b>Response augmentation</b>: K paths per question at temperature T ({@code prompts/<kind>/solve.txt});
 *       {@link dev.mathtune.augment.PathSelection} keeps paths matching the gold answer (original questions,
 *       round 0) or the majority answer (evolved questions), distinct by {@link dev.mathtune.augment.PathSignature}.</li>
 *   <li><b>Filters</b>: malformed, too long, duplicate question ({@link dev.mathtune.augment.TextNormalizer}),
 *       contamination ({@link dev.mathtune.augment.Decontaminator}, 13-grams), no answer, wrong / minority answer,
 *       low agreement, duplicate path; every drop is counted in {@link dev.mathtune.augment.AugmentSummary}.</li>
 *   <li><b>Run</b>: {@link dev.mathtune.augment.AugmentRunner} with an {@link dev.mathtune.augment.AugmentSpec}
 *       and any {@link dev.mathtune.generate.TextGenerator}; resumable through a journal beside the output.</li>
 * </ol>
 */
package dev.mathtune.augment;

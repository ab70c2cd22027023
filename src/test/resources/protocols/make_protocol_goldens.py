"""Builds the protocol golden prompts (golden_prompts.jsonl) and the exemplar data files of
src/main/resources/protocols/ by running the upstream code itself. See README.md in this folder.

usage: python3 make_protocol_goldens.py QWEN_EVALUATION_DIR LM_EVAL_ROOT DATA_DIR OUT_DIR

QWEN_EVALUATION_DIR: QwenLM/Qwen2.5-Math's evaluation/ folder; LM_EVAL_ROOT: a checkout of
EleutherAI/lm-evaluation-harness (the folder holding lm_eval/); DATA_DIR: shared/data.
"""
import argparse
import ast
import importlib.util
import json
import sys
import types

import jinja2
import yaml


def stub(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def functions_of(path, names):
    """Executes only the named top-level functions of an upstream file (its imports need packages we lack)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    body = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names]
    scope = {}
    exec(compile(ast.Module(body=body, type_ignores=[]), path, "exec"), scope)
    return scope


def rows(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def qwen(evaluation, data, picks):
    sys.path.insert(0, evaluation)
    # parser.py imports two packages only its graders use; parse_question does not reach them.
    stub("latex2sympy2", latex2sympy=None)
    stub("word2number", w2n=None)
    utils = load_module("utils", evaluation + "/utils.py")
    parser = load_module("parser_upstream", evaluation + "/parser.py")
    out = []
    for prompt_type, name, shot_counts in [("qwen25-math-cot", "qwen25-math-cot", {"gsm8k": [0, 4], "math": [0, 4]}),
                                           ("cot", "qwen-cot", {"gsm8k": [8], "math": [4]})]:
        for data_name, file, dataset in [("gsm8k", "gsm8k/test.jsonl", "gsm8k"), ("math", "math500/test.jsonl", "math500")]:
            items = rows(data + "/" + file)
            for shots in shot_counts[data_name]:
                args = argparse.Namespace(prompt_type=prompt_type, num_shots=shots, adapt_few_shot=False)
                for index in picks[dataset]:
                    example = dict(items[index])
                    example["question"] = parser.parse_question(example, data_name)
                    example["gt_ans"] = parser.parse_ground_truth(example, data_name)[1]
                    out.append({"protocol": name, "dataset": dataset, "shots": shots, "index": index,
                                "prompt": utils.construct_prompt(example, data_name, args)})
    examples = utils.EXAMPLES
    return out, {"gsm8k": examples["gsm8k"], "math": examples["math"]}


def lm_eval(root, data, picks):
    samplers = load_module("samplers", root + "/lm_eval/api/samplers.py")
    api_utils = load_module("api_utils", root + "/lm_eval/api/utils.py")
    env = jinja2.Environment()
    tasks = root + "/lm_eval/tasks/"
    gsm8k = yaml.safe_load(open(tasks + "gsm8k/gsm8k.yaml"))
    gsm8k_cot = yaml.safe_load(open(tasks + "gsm8k/gsm8k-cot.yaml"))
    minerva = functions_of(tasks + "minerva_math/utils.py", {"doc_to_text", "list_fewshot_samples"})
    train = rows(data + "/gsm8k/train.jsonl")
    test = rows(data + "/gsm8k/test.jsonl")
    math500 = rows(data + "/math500/test.jsonl")

    def context(shots, eval_text, text_of, target_of, target_delimiter=" ", fewshot_delimiter="\n\n"):
        # ConfigurableTask.fewshot_context / build_qa_turn (lm_eval/api/task.py), plain text, no system prompt:
        # each shot is user(q) + target_delimiter, assistant(a) + fewshot_delimiter; the eval doc is user(q) + "".
        messages = []
        for doc in shots:
            messages.append(api_utils.Message("user", text_of(doc), target_delimiter))
            messages.append(api_utils.Message("assistant", api_utils.maybe_delimit(None, target_of(doc)),
                                              fewshot_delimiter))
        messages.append(api_utils.Message("user", eval_text, ""))
        return "".join(m.to_text() for m in messages)

    out = []
    # gsm8k: the "default" sampler (random), reseeded with fewshot_random_seed 1234 (lm_eval/evaluator.py,
    # set_fewshot_seed) and then drawing 5 docs per eval doc in doc order (build_all_requests), one rng for all.
    text = env.from_string(gsm8k["doc_to_text"])
    target = env.from_string(gsm8k["doc_to_target"])
    sampler = samplers.ContextSampler(train, rnd=None)
    sampler.set_rnd(1234)
    wanted = set(picks["gsm8k"])
    for index, doc in enumerate(test):
        if index > max(wanted):
            break
        shots = sampler.sample(n=gsm8k["num_fewshot"], eval_doc=None)
        if index in wanted:
            out.append({"protocol": "lm-eval-gsm8k", "dataset": "gsm8k", "shots": 5, "index": index,
                        "prompt": context(shots, text.render(**doc), lambda d: text.render(**d),
                                          lambda d: target.render(**d))})
    # gsm8k_cot: first_n over the 8 samples written in the yaml.
    text = env.from_string(gsm8k_cot["doc_to_text"])
    target = env.from_string(gsm8k_cot["doc_to_target"])
    cot_samples = gsm8k_cot["fewshot_config"]["samples"]
    first = samplers.FirstNSampler(cot_samples, rnd=None)
    for index in picks["gsm8k"]:
        shots = first.sample(n=gsm8k_cot["num_fewshot"])
        out.append({"protocol": "lm-eval-gsm8k-cot", "dataset": "gsm8k", "shots": 8, "index": index,
                    "prompt": context(shots, text.render(**test[index]), lambda d: text.render(**d),
                                      lambda d: target.render(**d))})
    # minerva_math500: first_n over list_fewshot_samples(); a shot's target is its solution (few_shot is set).
    mm_samples = minerva["list_fewshot_samples"]()
    first = samplers.FirstNSampler(mm_samples, rnd=None)
    for index in picks["math500"]:
        shots = first.sample(n=4)
        out.append({"protocol": "lm-eval-minerva-math", "dataset": "math500", "shots": 4, "index": index,
                    "prompt": context(shots, minerva["doc_to_text"](math500[index]), minerva["doc_to_text"],
                                      lambda d: d["solution"])})
    return out, {"gsm8k-cot": [[s["question"], s["target"]] for s in cot_samples],
                 "minerva-math": [[s["problem"], s["solution"]] for s in mm_samples]}


def main():
    evaluation, lm_root, data, out_dir = sys.argv[1:5]
    picks = {"gsm8k": [0, 1, 2, 500, 1318], "math500": [0, 1, 2, 250, 499]}
    goldens, exemplars = qwen(evaluation, data, picks)
    more, lm_exemplars = lm_eval(lm_root, data, picks)
    goldens += more
    with open(out_dir + "/golden_prompts.jsonl", "w", encoding="utf-8") as f:
        for g in goldens:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    exemplars.update(lm_exemplars)
    for name, pairs in exemplars.items():
        with open(out_dir + "/exemplars-" + name + ".json", "w", encoding="utf-8") as f:
            json.dump([{"question": q, "answer": a} for q, a in pairs], f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(len(goldens), "golden prompts")


if __name__ == "__main__":
    main()

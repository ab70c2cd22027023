"""Makes qwen_pairs.jsonl: completions graded by Qwen2.5-Math's own parser.py + grader.py (see README.md).

Run from this folder with upstream's evaluation/ folder, its latex2sympy/ and word2number on PYTHONPATH.
Inputs are built here deterministically from /work/shared/data (GSM8K test, MATH500) and ../labelled.jsonl.
"""
import json
import random
import signal
import sys

from parser import extract_answer, strip_string  # upstream evaluation/parser.py
from grader import math_equal  # upstream evaluation/grader.py

SHARED = sys.argv[1] if len(sys.argv) > 1 else "/work/shared"
rng = random.Random(15)


def rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gsm8k_cases():
    items = rows(f"{SHARED}/data/gsm8k/test.jsonl")[::5]
    for i, item in enumerate(items):
        ref = item["answer"].split("####")[-1].strip().replace(",", "")
        n = int(ref)
        wrong = str(n + rng.choice([1, -1, 2, 10]))
        styles = [
            f"Step by step.\n{n} is the total.\nThe answer is {n}.",
            f"So she makes ${n} every day.\n#### {n}",
            f"Therefore the final answer is $\\boxed{{{n}}}$.",
            f"Adding up, we get {n:,} dollars.",
            f"The answer is: {n} dollars",
            f"Thus the total is \\boxed{{{n}.00}}",
            f"First 3 + 4 = 7. Then 7 * 2 = 14.\nThe answer is {wrong}.",
            f"\\boxed{{{wrong}}}",
            f"The answer is \\${n}.",
            f"So {n} - 1 = {n - 1} remain.",
            f"The answer is {n}%.",
            f"We find x = {n}. The answer is $x = {n}$",
        ]
        for s in rng.sample(styles, 4):
            yield "gsm8k", s, ref


def math_cases():
    items = rows(f"{SHARED}/data/math500/test.jsonl")
    answers = [it["answer"] for it in items]
    for i, item in enumerate(items):
        ans = item["answer"]
        other = answers[(i * 7 + 3) % len(answers)]
        styles = [
            f"Putting it together, the answer is $\\boxed{{{ans}}}$.",
            f"Final Answer: The final answer is ${ans}$. I hope it is correct.",
            f"So the result is \\[\\boxed{{{ans.replace('frac', 'dfrac')}}}\\]",
            f"The answer is ${ans}$.",
            f"Therefore, the answer is $\\boxed{{{ans.replace(' ', '')}}}$.",
            f"We conclude $\\boxed{{{other}}}$.",
        ]
        for s in rng.sample(styles, 3):
            yield "math", s, ans


def labelled_cases():
    for row in rows("../labelled.jsonl"):
        yield row["dataset"], f"The final answer is $\\boxed{{{row['prediction']}}}$.", row["reference"]


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def judge(pred, gt):
    """math_equal(pred, gt) in this one long-lived process, as evaluate.py's single pebble worker runs every
    comparison, stopped after 3 s as its pool.map(math_equal_process, ..., timeout=3) does; a timeout scores False."""
    signal.alarm(3)
    try:
        return bool(math_equal(pred, gt)), False
    except Timeout:
        return False, True
    finally:
        signal.alarm(0)


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    out = []
    for dataset, completion, reference in [*gsm8k_cases(), *math_cases(), *labelled_cases()]:
        pred = strip_string(extract_answer(completion, dataset), skip_unit=False)  # run_execute's second strip
        gt = strip_string(reference, skip_unit=False)
        correct, timed_out = judge(pred, gt)
        out.append({"dataset": dataset, "completion": completion, "reference": reference,
                    "qwen_pred": pred, "qwen_gt": gt, "qwen_correct": correct, "timeout": timed_out})
    with open("qwen_pairs.jsonl", "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(out), "pairs,", sum(r["qwen_correct"] for r in out), "correct,",
          sum(r["timeout"] for r in out), "timeouts")


if __name__ == "__main__":
    main()

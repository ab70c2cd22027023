"""Writes cases_raw.jsonl: the parametrised (gold, pred, expected) cases of Math-Verify's tests.

Usage: python3 read_cases.py DIR, where DIR holds test_all.py, test_boxed.py, test_numina_cases.py and
test_open_thoughts.py of huggingface/Math-Verify's tests/ (commit 5d148cfaaf99214c2e4ffb4bc497ab042c592a7a).
cases.jsonl is this file with our `label` (and `convention` where it differs; see ../README.md).
"""
import ast
import json
import sys

KEEP = {"test_number_extraction", "test_simple_fraction_notation", "test_sets_handling", "test_latex_notation",
        "test_percent_notation", "test_latex_notation_math", "test_relations_math", "test_matrix_extraction",
        "test_complex_math_expressions", "test_math_extraction_edge_cases", "test_math_extraction_additional_cases",
        "test_boxed", "test_numina_cases", "test_open_thoughts"}
rows = []
for name in ["test_all.py", "test_boxed.py", "test_numina_cases.py", "test_open_thoughts.py"]:
    tree = ast.parse(open(f"{sys.argv[1]}/{name}").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in KEEP:
            for d in node.decorator_list:
                if isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "parametrize":
                    names = [n.strip() for n in ast.literal_eval(d.args[0]).split(",")]
                    for values in ast.literal_eval(d.args[1]):
                        r = dict(zip(names, values))
                        rows.append({"source": f"{name}::{node.name}", "gold": r["gold"], "pred": r["pred"],
                                     "math_verify": bool(r["expected"])})
with open("cases_raw.jsonl", "w") as out:
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), "cases")

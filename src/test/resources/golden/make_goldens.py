#!/usr/bin/python3
"""Golden files for mathtune's parity tests, made with the plain-PyTorch reference (../shared/bench).

    /usr/bin/python3 src/test/resources/golden/make_goldens.py --bench ../shared/bench --out src/test/resources/golden

For each tiny checkpoint (make_tiny.py: tied/untied, kv-head ratios 1, 2 and 7, fp32 and bf16 files) it writes
DIR/{config.json, model.safetensors, golden.json} and DIR/parity.json with
  * token_logprobs: log p(token_i | tokens_<i) per row of the 'single' and 'batch2_leftpad' cases (float64 model,
    null for the first token and for padding),
  * greedy: 32 greedy tokens of qwen2_ref's KV-cached fp32 generation for the 'single' prompt.
For the 'tiny-tied' checkpoint also training goldens (train.safetensors + train.json):
  * loss over response tokens only (labels -100 on the first `prompt_len` tokens) and the float64 gradient of
    every parameter (HF names; tied: lm_head's gradient is included in embed_tokens),
  * the fp32 gradients (grad32.*) and the fp32 weights after one torch.optim.AdamW step from them (adamw.*;
    lr 1e-2, betas 0.9/0.999, eps 1e-8, weight decay 0.1 on matrices only, none on biases and norm weights).
    AdamW's first step divides g by |g| + eps, so entries whose gradient is ~0 (k_proj biases, unused embedding
    rows) amplify rounding noise: the optimizer test feeds these exact fp32 gradients.
"""
import argparse
import json
import os
import subprocess
import sys

CASES = {
    "tiny-tied": ["--seed", "0"],                                              # heads 4, kv 2 (ratio 2), tied, fp32
    "tiny-untied-kv1": ["--seed", "1", "--untied", "--kv-heads", "4"],          # ratio 1, untied
    "tiny-kv7": ["--seed", "2", "--heads", "7", "--kv-heads", "1", "--hidden", "56"],  # ratio 7, head_dim 8
    "tiny-untied-bf16": ["--seed", "3", "--untied", "--dtype", "bfloat16"],    # bf16 file
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(a.bench))
    import torch
    import qwen2_ref as Q

    for name, args in CASES.items():
        d = os.path.join(a.out, name)
        subprocess.run([sys.executable, os.path.join(a.bench, "make_tiny.py"), "--out", d, "--gen-tokens", "32"] + args,
                       check=True, stdout=subprocess.DEVNULL)
        golden = json.load(open(os.path.join(d, "golden.json")))
        m64 = Q.load_model(d, dtype=torch.float64)
        m32 = Q.load_model(d, dtype=torch.float32)
        parity = {"token_logprobs": {}, "inputs": {}}
        with torch.no_grad():
            for case in ("single", "batch2_leftpad"):
                c = next(x for x in golden["cases"] if x["name"] == case)
                ids = torch.tensor(c["input_ids"])
                mask = torch.tensor(c["attention_mask"]) if c.get("attention_mask") else torch.ones_like(ids)
                pos = torch.tensor(c["position_ids"]) if c.get("position_ids") else None
                logits = m64(ids, attention_mask=mask, position_ids=pos)["logits"]
                lp = torch.log_softmax(logits, -1)
                rows = []
                for r in range(ids.shape[0]):
                    row = []
                    for i in range(ids.shape[1]):
                        if i == 0 or mask[r, i] == 0 or mask[r, i - 1] == 0:
                            row.append(None)
                        else:
                            row.append(float(lp[r, i - 1, ids[r, i]]))
                    rows.append(row)
                parity["token_logprobs"][case] = rows
                parity["inputs"][case] = {"input_ids": ids.tolist(), "attention_mask": mask.tolist()}
            single = torch.tensor(parity["inputs"]["single"]["input_ids"])
            parity["greedy"] = Q.generate_greedy(m32, single, 32).tolist()[0]
        json.dump(parity, open(os.path.join(d, "parity.json"), "w"))
        if name == "tiny-tied":
            training_goldens(Q, torch, d, m64, m32, single)
        print("wrote", d)


def training_goldens(Q, torch, d, m64, m32, ids):
    prompt_len = 5
    labels = ids.clone()
    labels[:, :prompt_len] = -100
    out = {}
    for model, tag in ((m64, "f64"), (m32, "f32")):
        model.zero_grad()
        loss = Q.causal_lm_loss(model(ids)["logits"], ids, labels)
        loss.backward()
        out[tag] = (float(loss), {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.grad is not None})
    loss64, grads64 = out["f64"]
    grads32 = out["f32"][1]
    names = dict(m32.named_parameters())
    decay = [p for n, p in names.items() if p.dim() >= 2]
    no_decay = [p for n, p in names.items() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-2, betas=(0.9, 0.999), eps=1e-8)
    opt.step()
    tensors = {"grad." + n: g for n, g in grads64.items()}
    tensors.update({"grad32." + n: g for n, g in grads32.items()})
    tensors.update({"adamw." + n: p.detach().clone() for n, p in names.items()})
    Q.write_safetensors(os.path.join(d, "train.safetensors"), tensors)
    json.dump({"prompt_len": prompt_len, "input_ids": ids.tolist(), "loss_f64": loss64, "loss_f32": out["f32"][0],
               "adamw": {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1,
                         "no_decay": "1-D parameters (biases, norm weights)"}},
              open(os.path.join(d, "train.json"), "w"), indent=1)


if __name__ == "__main__":
    main()

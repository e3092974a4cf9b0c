"""Sentiment of movie reviews: words to ids, word vectors, a classifier learning live, its metrics."""

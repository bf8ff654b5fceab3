"""The question bank covers every topic the seed write-ups name, in enough depth."""

from __future__ import annotations

import pytest

from app.content.loader import Content
from app.content.models import RoundType

MIN_QUESTIONS_PER_ROUND = 15

# every topic named in shared/seeds, as the tag a question must carry to practise it
SEED_TOPICS: dict[RoundType, dict[str, str]] = {
    RoundType.ml_theory: {
        "theoretical justification of cross-entropy": "cross-entropy",
        "the logsumexp trick": "logsumexp",
        "alternatives to softmax + cross-entropy": "softmax-alternatives",
        "L1 vs L2 regularisation and their geometry": "l1",
        "LSTM vs Transformers": "lstm-vs-transformer",
        "what a language model does and how to train one": "language-models",
        "why BatchNorm": "batchnorm",
        "why dropout": "dropout",
        "SGD vs mini-batch gradient descent": "sgd-vs-minibatch",
        "MLE vs MAP": "mle",
        "deep learning vs tree-based models": "deep-learning-vs-trees",
        "random forest vs gradient-boosted trees": "random-forest-vs-gbt",
        "categorical encodings": "categorical-encoding",
        "semi-supervised learning": "semi-supervised",
        "multi-label classification": "multi-label",
        "k-means initialisation and convergence": "kmeans-initialization",
        "vanishing gradients and how LSTMs address them": "vanishing-gradients",
        "VAEs": "vae",
        "attention / transformer basics": "attention",
        "KV caching": "kv-cache",
    },
    RoundType.ml_coding: {
        "k-means from scratch": "kmeans",
        "gradient descent for a simple function": "gradient-descent",
        "naive Bayes": "naive-bayes",
        "backprop for a linear layer in NumPy": "backpropagation",
        "numerically stable softmax / logsumexp": "logsumexp",
        "a Linear layer reused as a 1x1 convolution": "convolution",
        "linear regression": "linear-regression",
        "activation functions": "activation-functions",
        "precision / recall / F1": "precision-recall",
        "an MLP forward / backward": "mlp",
        "a decision tree split": "decision-tree",
        "loss functions": "loss-functions",
    },
    RoundType.ml_system_design: {
        "recommendation systems": "recommendation-systems",
        "two-tower embeddings": "two-tower",
        "ANN retrieval": "ann",
        "learning to rank (pointwise / pairwise / listwise)": "learning-to-rank",
        "rank-aware metrics": "ndcg",
        "feature stores (Redis vs Cassandra)": "feature-store",
        "a speech pipeline with synthetic data": "synthetic-data",
        "search ranking": "search-ranking",
    },
    RoundType.system_design: {
        "URL shortener": "url-shortener",
        "rate limiter": "rate-limiter",
        "news feed": "news-feed",
        "chat": "chat-system",
        "key-value store": "key-value-store",
    },
    RoundType.behavioral: {
        "hardest bug": "hardest-bug",
        "most innovative work": "innovation",
        "impact beyond your team": "impact",
        "conflict": "conflict",
        "failure": "failure",
        "leadership-principle style questions": "leadership-principles",
        "past project: what you would do differently": "retrospective",
    },
    RoundType.coding: {
        "arrays": "arrays",
        "hashing": "hashing",
        "two pointers": "two-pointers",
        "sliding window": "sliding-window",
        "trees": "trees",
        "graphs": "graphs",
        "dynamic programming such as coin change": "coin-change",
        "heaps": "heaps",
        "intervals": "intervals",
    },
    RoundType.cs_fundamentals: {
        "heap vs stack memory": "heap-vs-stack",
        "garbage collection": "garbage-collection",
        "multithreading vs multiprocessing (and the GIL)": "gil",
        "k-d trees": "kd-tree",
        "bloom filters": "bloom-filter",
        "segment trees": "segment-tree",
        "Fenwick trees": "fenwick-tree",
        "Python everyday questions": "python",
        "git everyday questions": "git",
    },
}


@pytest.mark.parametrize("round_type", list(RoundType))
def test_each_round_has_a_full_bank(content: Content, round_type: RoundType) -> None:
    questions = content.questions_for(round_type)
    assert len(questions) >= MIN_QUESTIONS_PER_ROUND, f"{round_type}: {len(questions)}"
    assert {q.difficulty for q in questions} >= {"easy", "medium", "hard"} or round_type in {
        RoundType.behavioral
    }


@pytest.mark.parametrize("round_type", list(SEED_TOPICS))
def test_every_seed_topic_is_practicable(content: Content, round_type: RoundType) -> None:
    tags = {tag for q in content.questions_for(round_type) for tag in q.tags}
    missing = {topic: tag for topic, tag in SEED_TOPICS[round_type].items() if tag not in tags}
    assert not missing, f"{round_type}: no question tagged for {missing}"


def test_coding_questions_state_their_expected_complexity(content: Content) -> None:
    for round_type in (RoundType.coding, RoundType.ml_coding):
        for question in content.questions_for(round_type):
            assert question.expected_complexity, question.id


def test_the_bank_is_large_enough(content: Content) -> None:
    assert len(content.questions) >= 120

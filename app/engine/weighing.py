"""A sentence that weighs one option against another, in everyday words.

"Fixed window is simpler but lets 2N through at the boundary, so I'd keep the token bucket" is a
trade-off, though it says neither "trade-off" nor "downside". A checklist section marked
`covered_by: trade_off` is covered by such a sentence: a comparative set against what it costs,
a choice made despite a cost, or the cost named as the price of the choice. Pure text.
"""

from __future__ import annotations

import re

# what an option is better or worse at
_COMPARED = (
    r"(simpler|easier|cheaper|faster|slower|smaller|bigger|larger|safer|riskier|harder|"
    r"lighter|heavier|tighter|looser|stricter|"
    r"(more|less) (accurate|precise|exact|robust|expensive|complex|flexible|scalable|memory|"
    r"latency|overhead|work|code|state|consistent|available|reliable|bursty|fair|stable)|"
    r"(lower|higher) (latency|throughput|memory|cost|accuracy|precision|recall|variance|bias))"
)
_WEIGHS = re.compile(
    # a comparative set against what it costs: "simpler but lets 2N through", "faster, though
    # it needs more memory"
    rf"\b{_COMPARED}\b[^.;!?]{{0,80}}\b(but|though|although|whereas|while|at the (cost|expense|"
    r"price) of)\b"
    # a choice made despite a cost: "..., but ..., so I'd keep the bucket"
    r"|\b(but|though|although|however)\b[^.!?]{0,100}\b(so|which is why)\b[^.!?]{0,20}\b(i'?d|i "
    r"would|we'?d|we would|i'?ll|we'?ll|i'?m going to) (still )?(keep|pick|use|go with|choose|"
    r"stick with|prefer|take)\b"
    # the cost named as the price of the choice
    r"|\b(at the (cost|expense|price) of|in exchange for|the (price|catch|cost) (is|being)|"
    r"(we|you|it) (give|gives) up|(we|you) lose|(we'?re|we are|you'?re) trading|trading off)\b"
    # one chosen over another, with the reason: "I'd pick Raft over Paxos because ..."
    r"|\b(i'?d|we'?d|i would|we would) (pick|choose|take|prefer|go with|use) [^.!?]{1,40}? "
    r"(over|rather than|instead of) [^.!?]{1,40}?\b(because|since|as|so|given)\b",
    re.IGNORECASE,
)


def weighs_options(sentence: str) -> bool:
    """True for a sentence that weighs one option against another (see the module)."""
    return bool(_WEIGHS.search(sentence))

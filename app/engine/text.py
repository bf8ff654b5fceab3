"""An answer split into units of evidence: sentences, lines of code, and keyword lists.

A keyword list names ideas without explaining any of them, in any layout: comma-separated
("kmeans++, argmin, inertia, convergence, O(nkd)"), bullets of bare terms, one term per line,
or the same sentence said again and again. It is recognised so that it evidences nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from app.engine.matching import tokens

# a sentence ends at . ! ? or at a line break, but not at "e.g." nor at the "1." numbering an
# item ("1. sort 2. merge"); a number that ends a sentence ("in base 62. Is that...") does
_NUMBERED = r"(?<!^\d\.)(?<!^\d\d\.)(?:(?<!\b\d\.)(?<!\b\d\d\.)|(?=\s+[A-Z]))"
_SENTENCE_END = re.compile(rf"(?<=[.!?]){_NUMBERED}(?<!\be\.g\.)(?<!\bi\.e\.)\s+|\n+", re.MULTILINE)
# code quoted inline in a sentence ("`==` compares values") leaves the sentence prose
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|$)", re.S)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-+#.()/^]*")
# a line of code: a statement keyword with code after it, an assignment, a call, or a block
# opener; "O(n log n)", "[3, 3]" and "(every pair)" in a sentence are prose
_CODE_LINE = re.compile(
    r"^\s*(def \w+\s*\(|class \w+|import \w|from [\w.]+ import\b|return(\s+\S+)?\s*$|"
    r"return [^a-z\s]|return \w+\s*[\[(.+\-*/%]|(for|while|if|elif|with)\b[^.?!]*:\s*(#.*)?$|"
    r"else\s*:|try\s*:|except\b[^.?!]*:)"
    r"|^\s*[\w.\[\]\'\"]+(\s*,\s*[\w.\[\]]+)*\s*(=|\+=|-=|\*=|/=|//=|\|=)\s*\S"
    r"|\b[\w.]+\([^()\n]*\)\s*$|\b[a-z_]\w*\.\w+\(|[{};]\s*$|^\s*[})\]]",
)
_BIG_O_TEXT = re.compile(r"\bO\s*\((?:[^()\n]|\([^()\n]{0,12}\)){1,30}\)", re.I)
MIN_PROSE_WORDS = 8
# a call written in a sentence, with its arguments: "sorted(nums)", "x.reshape(-1, C_in)"
_CALL = re.compile(r"\b[\w.]+\([^()\n]*\)")


def looks_like_code(line: str) -> bool:
    """True for a line of code rather than a sentence that mentions code or a complexity."""
    bare = _BIG_O_TEXT.sub(" ", _INLINE_CODE.sub(" ", line))
    if not _CODE_LINE.search(bare):
        return False
    # a long sentence of plain words around a call ("... with sorted(nums)", "reshape x with
    # x.reshape(-1, C_in), no transpose needed") is prose: the call is one word of it
    said = _CALL.sub("it", bare)
    words = re.findall(r"[A-Za-z]{2,}", said)
    spaced = len(re.findall(r"\b[A-Za-z]{2,}\b(?= [A-Za-z]{2,}\b)", said))
    if len(words) >= MIN_PROSE_WORDS and spaced >= 0.6 * len(words):
        return False
    return not _quotes_code(bare)


# a line that ends as a sentence does, a full stop after a word or a call: code never does
_ENDS_AS_SENTENCE = re.compile(r"[A-Za-z0-9)\]'\"]\s*[.!?]$")
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]*(?:'[a-z]+)?[,;:.!?]?")
# code that makes a line a statement of code even in a sentence: an assignment at its start, a
# block opener, a keyword statement
_STATEMENT_CODE = re.compile(
    r"^\s*(def|class|import|from|return|for|while|if|elif|with|else|try|except)\b"
    r"|^\s*[\w.\[\]\'\"]+(\s*,\s*[\w.\[\]]+)*\s*(=|\+=|-=|\*=|/=|//=|\|=)\s*\S"
)
MIN_QUOTING_WORDS = 3


def _quotes_code(line: str) -> bool:
    """True for a sentence that quotes code inline: it ends as a sentence does and most of its
    words are plain words ("And list.pop(0) is O(1), I'm quite sure.", "In __init__ I keep the
    projections in a plain list, self.projs = [...], since ... so the optimiser will see them."),
    unless it opens as a statement of code does ("x = foo(1).")."""
    if not _ENDS_AS_SENTENCE.search(line.rstrip()) or _STATEMENT_CODE.search(line):
        return False
    parts = line.split()
    plain = [w for w in parts if _PLAIN_WORD.fullmatch(w)]
    return len(plain) >= MIN_QUOTING_WORDS and 2 * len(plain) > len(parts)


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces: the form quotes are compared in."""
    return " ".join(text.split())


# a line break inside a sentence, as prose pasted from an editor wraps it: a long line that ends
# mid-clause and a next line that goes on in lower case
_WRAPPED = re.compile(r"(?m)^(.{50,}[a-z0-9,;])\n(?=[a-z])")


def sentences(text: str) -> list[str]:
    """The text's sentences (and lines; a hard-wrapped sentence is one), stripped, in order."""
    joined = _WRAPPED.sub(r"\1 ", text)
    return [s.strip() for s in _SENTENCE_END.split(joined) if s and s.strip()]


# words that make a line a statement rather than a term
_STATEMENT_WORDS = frozenset(
    """is are was were be been am i we you it they he she this that because so then would will
    can could should use uses used using the a an to of for with by as if when which do does
    has have had my our their its since but and or not it's i'll i'd i'm i've we'll we'd
    we're that's there's don't doesn't isn't won't can't""".split()
)
# an item that reasons or qualifies: "so exact zeros", "stable when features are correlated"
_REASONS = re.compile(
    r"^\s*(so|hence|thus|therefore|because|since|which)\b|\b(when|because|unless|since)\b",
    re.IGNORECASE,
)
# a segment that is a filler, not an item: "Hmm, actually no, forget the heap, ..."
_FILLER_SEGMENT = re.compile(
    r"^\s*(hmm+|um+|uh+|oh|ok(ay)?|well|so|right|yes|yeah|no|sorry|wait|actually( no)?)\s*$",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)|\{[^}]*\}")
# numbers listed inside a sentence ("coins 1,3,4 and amount 6", "sizes 1, 2, 4"): one item, as
# "[1, 3, 4]" is
_NUMBER_RUN = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:\s*,\s*\d+(?:\.\d+)?)+\b")
# an assignment in a segment ("out = model(x)", "counts = Y.T @ X", "total += loss"): a
# statement in code, not a term
_ASSIGNS = re.compile(r"[\w\])]\s*(?:[-+*/@]|//)?=(?!=)\s*[\w(\[\-.'\"]")
# a call, its arguments taken out: "model()", "loss.backward()"
_CALLED = re.compile(r"[\w\]]\(\)")
# this share of segments that assign or call make the sentence code written inline, not a list
# of terms ("dW = x.T @ dy" among a dozen terms is one more term)
CODE_SHARE = 0.5
# a lead segment this long that states something ("Main = one global LightGBM across all series
# with lag features, price, promo flags") makes the sentence a statement that enumerates
LEAD_STATEMENT_WORDS = 6
# segments of a flow: a step verb and what it acts on ("store raw html in S3, send links to the
# parser"); this many, of this many words or more, make the sentence steps, not terms
FLOW_STEPS = 2
FLOW_STEP_WORDS = 3
# a sentence led by a speaker's clause ("I'd test an empty list, ...") enumerates in a statement
_SPEAKER = frozenset("i we you i'd we'd you'd i'll we'll i'm we're i've we've my our".split())


_ARTICLES = frozenset({"the", "a", "an"})
# verbs that start a step, not a term: "... and report the mean and the std"
_STEPS = frozenset(
    """report run use train compute check return sort count take add keep store build measure
    compare evaluate pick choose split scale send read write call fit tune log plot retrain
    deploy monitor average sum fetch pull push parse load save emit publish consume enqueue
    dequeue forward route assign reassign recompute repeat update iterate initialize initialise
    normalize normalise subtract multiply divide merge insert append pop find scan loop swap
    remove sample apply shift move walk extend increment decrement""".split()
)
# "kmeans: pick k centers, ...": the label before a colon is not the step's first word
_STEP_LABEL = re.compile(r"^\s*[\w+-]+:\s+")


def _statements(segments: list[str], raw: str) -> bool:
    """True when a sentence's segments state things rather than name them: half or more of
    them assign or call, code written inline ("out = model(x), loss = loss_fn(out, y),
    loss.backward()"; `raw` is the text with its brackets); a long lead that states something
    before the items ("Main = one global LightGBM across all series with lag features, price,
    promo flags"); or two or more steps of a flow ("stateless workers pull from the frontier,
    DNS cache, fetch, store raw html in S3, send links to the parser")."""
    bare = _BRACKETED.sub("()", _BIG_O_TEXT.sub("O", raw))  # "O(n) time" calls nothing
    coded = [c for c in re.split(r"[,;]", _NUMBER_RUN.sub("0", bare)) if c.strip()]
    code = sum(bool(_ASSIGNS.search(c) or _CALLED.search(c)) for c in coded)
    if code >= 2 and code >= CODE_SHARE * len(coded):
        return True
    lead = _WORD.findall(segments[0].lower())
    if len(lead) >= LEAD_STATEMENT_WORDS and (
        _ASSIGNS.search(segments[0]) or any(w in _STATEMENT_WORDS - _TERM_GLUE for w in lead)
    ):
        return True
    steps = [_WORD.findall(_STEP_LABEL.sub("", s).lower()) for s in segments]
    flow = [w for w in steps if len(w) >= FLOW_STEP_WORDS and w[0] in _STEPS]
    return len(flow) >= FLOW_STEPS
# words a term does not hold but a predicate does: "numbers every byte", "sorts them"
_PREDICATE_WORDS = frozenset({"every", "each", "all", "them", "whatever", "whichever"})
MAX_CHAIN_ITEM_WORDS = 4
# the words before a chain's first joiner: a frame and the first term ("In practice there is
# monte carlo dropout and ...")
MAX_CHAIN_LEAD_WORDS = 8


def _chained(flat: str) -> bool:
    """Terms strung together: "co-adaptation and ensembles and subnetworks and the geometric
    mean", "base62 or md5 or a snowflake id or a counter". Two joiners or more, every item
    between them a short term (no verb or pronoun), no reason given; an "and" chain led by the
    speaker ("I read the logs and the metrics and the traces") tells what they did."""
    if _REASONS.search(flat) or re.search(r"\bbut\b", flat, re.IGNORECASE):
        return False  # a reason or a contrast: "L1 or L2 regularise, but only L1 ..."
    # each clause on its own: "the downsides involve X and Y and Z, and alternatives are ..."
    return any(_chain(clause) for clause in re.split(r"[,;]\s+(?=(?:and|or)\b)", flat))


def _chain(flat: str) -> bool:
    for joiner in ("or", "and"):
        parts = re.split(rf"\s+{joiner}\s+", flat, flags=re.IGNORECASE)
        middle = parts[1:-1]
        if len(parts) < 3 or any("," in p for p in middle):
            continue
        words = [_WORD.findall(p.lower()) for p in middle]
        if any(
            not w or len(w) > MAX_CHAIN_ITEM_WORDS or _REASONS.search(p)
            for w, p in zip(words, middle, strict=True)
        ):
            continue
        if any(t in _STATEMENT_WORDS - _ARTICLES for w in words for t in w):
            continue
        if any(t in _PREDICATE_WORDS for w in words for t in w):
            continue  # "and numbers every byte and resends ...", "and sorts them and ..."
        if any(w[0] in _STEPS for w in words):
            continue  # steps: "run five seeds for each and report the mean and the std"
        # the chain ends in a term too ("... and the geometric mean, which is why"), not in a
        # clause ("coins 1, 3 and 4 and amount 6 it uses three coins where two suffice")
        last = _WORD.findall(parts[-1].split(",")[0].lower())
        if len(last) > MAX_CHAIN_ITEM_WORDS + 1:
            continue
        if not any(c.isalpha() for c in "".join(middle)):
            continue  # numbers ("1, 3 and 4 and 6"), not terms
        lead = _WORD.findall(parts[0].lower())
        if len(lead) > MAX_CHAIN_LEAD_WORDS:
            continue  # the chain ends a longer statement: "... just in time for forward and
            # backward and freed afterwards"
        if joiner == "and" and any(w in _SPEAKER for w in lead[:4]):
            continue
        return True
    return False


# an empty frame around terms: "Dropout is basically about ...", "there is ...", "it's related
# to ...", "it has to do with ..."
_FRAME = re.compile(
    r"^\W*(?:(?:then|also|and|so|well|ok(?:ay)?)\W+)*(?:"
    r"there(?: is|'s| are)"
    r"|(?:[\w'-]+\s+){0,3}?[\w'-]+(?: is|'s| are)\s+(?:basically |mainly |mostly |really |just |"
    r"all |kind of |sort of )?(?:about(?!\s+[\d~])|related to|linked to|connected to|tied to)"
    r"|(?:[\w'-]+\s+){0,3}?[\w'-]+ (?:has|have) (?:something |a lot )?to do with"
    r")\s+(?:also\s+)?(?P<rest>[^,;:!?]+?)\s*"
    # what may follow the terms: nothing, or a remark about them (", that is the main thing to
    # know", ", which is why people use it"), not what they do (", so I'd use ...")
    r"(?:[,;]\s*(?:which|that)(?:'s|\s+is|\s+are)\b[^,;:]*)?[.!]?\s*$",
    re.IGNORECASE,
)
_TERM_GLUE = frozenset({"the", "a", "an", "and", "or", "of"})


# the design praised, not described: "it is scalable, available and fault tolerant" (what it
# should be, "the system should be highly available", is a requirement, not this)
_QUALITY = (
    r"(?:highly |very |fully |super |really |extremely )?(?:scalable|available|reliable|"
    r"fault[- ]tolerant|robust|resilient|secure|performant|fast|consistent|durable|extensible|"
    r"maintainable|efficient)"
)
_PRAISED = re.compile(
    rf"\b(?:it|this|that|my design|the design|the system|everything)(?: is|'s| are| will be)\s+"
    rf"(?:all |also )?(?P<rest>{_QUALITY}(?:(?:,\s*|,?\s+and\s+){_QUALITY})*)\s*[.!]?\s*$",
    re.IGNORECASE,
)


# a lesson that is a platitude: "I learned that communication is really important and that
# teamwork matters", "I guess I learned that bugs are hard"; what the story taught, said of no
# story (the rubric's "a generic lesson that is not connected to the story")
_LESSON = re.compile(
    r"\b(learned|learnt|realised|realized|took away|takeaway|lesson|taught me|was reminded)\b",
    re.IGNORECASE,
)
_PLATITUDE_WORDS = frozenset(
    """i we me my our you it that this how the a an of and or but so also just really very
    super extremely quite pretty always definitely honestly guess think mostly mainly basically
    overall lot from there main big biggest thing things lesson takeaway
    learned learnt realised realized took away taught was reminded is are be can matters matter
    important key crucial essential vital critical everything hard difficult tricky
    importance value power
    communication communicating teamwork collaboration planning testing documentation empathy
    patience transparency trust listening feedback ownership prioritisation prioritization
    time management attention detail details flexibility work perseverance people bugs
    debugging deadlines software code team teams""".split()
)


def _platitude(sentence: str) -> bool:
    """True for a lesson made only of a lesson verb and virtues ("I learned that communication
    is really important and that teamwork matters")."""
    if not _LESSON.search(sentence):
        return False
    words = [w.lower().strip(".,'") for w in _WORD.findall(sentence)]
    return bool(words) and all(w in _PLATITUDE_WORDS for w in words)


def named_span(sentence: str) -> tuple[int, int] | None:
    """Where a sentence only names several terms in an empty frame, and nothing says what they
    do or why: "Dropout is basically about the Bernoulli random mask and the probability p", "Then
    there is inverted dropout and the 1 - p"; or praises the design with them ("it is scalable,
    available and fault tolerant"). None when the frame carries a statement ("is about making
    each unit work with random subsets of the others") or a reason."""
    if _platitude(sentence):  # a lesson said of no story: named, not drawn
        return 0, len(sentence)
    praised = _PRAISED.search(sentence)
    if praised is not None and not _REASONS.search(sentence):
        return praised.span("rest")
    found = _FRAME.match(sentence)
    if found is None or _REASONS.search(sentence):
        return None
    words = _WORD.findall(found.group("rest").lower())
    # several terms: one ("There are also confounds in the result.") opens what comes next
    if not any(w.isalpha() for w in words) or not {"and", "or"} & set(words):
        return None
    if any(w in _STATEMENT_WORDS - _TERM_GLUE for w in words):
        return None
    return found.span("rest")


# a sentence that runs through components one item each ("I'd use idempotency keys with a unique
# constraint, a state machine with pending state, a double entry ledger that's append only, the
# outbox pattern with kafka"): this many items or more, the first with a short lead, none longer
# than MAX_ENUMERATED_WORDS
ENUMERATED_ITEMS = 4
MAX_ENUMERATED_WORDS = 12
# what makes an item a statement rather than a named thing qualified: a subject, an auxiliary or
# a modal, a step in time ("then a worker calls the provider")
_CLAUSE_WORDS = frozenset(
    """i we you they he she is are was were be been do does did would will can could should
    might must then also it's i'd we'd they'd i'll we'll they'll i'm we're they're don't
    doesn't isn't aren't won't can't""".split()
)
# words that open an item without being its thing
_ITEM_GLUE = frozenset({"and", "or", "plus"})
# a qualifier that names, not states: "a ledger that's append only", "keys which are unique"
_RELATIVE = re.compile(r"\b(?:that|which)(?:'s|\s+is|\s+are)\b", re.IGNORECASE)
_SEGMENT = re.compile(r"[^,;]+")


def enumerated_items(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where a sentence runs through things one per item, each item's span; empty for any other
    sentence. Four or more items separated by commas or semicolons, none of them a reason
    ("so ...", "because ...") or a clause ("then a worker calls the provider", "it retries"),
    the first item led by a few words ("I'd use ..."). Whether the items name what an answer
    should explain is the assessor's to judge (`rollcall`); this only finds the items."""
    if is_test_plan(sentence) or _REASONS.search(sentence):
        return ()
    # brackets and runs of numbers hold no separators: "(2PC, sagas)" is one item's
    flat = _NUMBER_RUN.sub(lambda m: "0" * len(m.group()), sentence)
    flat = _BRACKETED.sub(lambda m: "_" * len(m.group()), flat)
    items = [m.span() for m in _SEGMENT.finditer(flat) if m.group().strip(" .!?")]
    if len(items) < ENUMERATED_ITEMS:
        return ()
    for index, (start, end) in enumerate(items):
        words = _WORD.findall(_RELATIVE.sub(" ", sentence[start:end]).lower())
        while words and words[0] in _ITEM_GLUE:
            words = words[1:]
        if not words or _FILLER_SEGMENT.match(sentence[start:end]):
            return ()
        if len(words) > MAX_ENUMERATED_WORDS + (index == 0) * 3:
            return ()
        # "it" opens a clause ("it retries"), and is a thing after a preposition ("in front of it")
        clause = any(w in _CLAUSE_WORDS for w in words) or words[0] in ("it", *_STEPS)
        if index and clause:
            return ()
    return tuple(items)


# a line of inputs to try: "Tests: [], [5], [3,3]/6, negatives, no pair." is a test plan
_TEST_PLAN = re.compile(
    r"^\W*((unit |edge |corner |test )?(tests?|cases)|(test |example )inputs?|i'?d test|testing)\b"
    r"[^:]{0,20}:",
    re.IGNORECASE,
)


TEST_PLAN_ITEMS = 3
# an item that is an input, not a technique: a literal, a number, or a kind of input
_INPUT = re.compile(
    r"[\[\]\d'\"]|\b(empty|single|one|null|none|nil|negatives?|duplicates?|zeros?|large|huge|"
    r"max|min|no|all|same|sorted|reversed|unicode|overflow|boundary|ties?|only)\b",
    re.IGNORECASE,
)


def is_test_plan(sentence: str) -> bool:
    """True for a labelled line of inputs to test, three or more, most of them inputs: "Tests:
    [], [5], [3,3]/6, negatives, no pair." ("Test cases: hash map, heap, two pointers" is a list
    of terms under a label.)"""
    found = _TEST_PLAN.match(sentence)
    if found is None:
        return _expected_outputs(sentence)
    items = [i for i in re.split(r",\s*(?![^\[]*\])", sentence[found.end() :]) if i.strip(" .")]
    inputs = sum(bool(_INPUT.search(i)) for i in items)
    return len(items) >= TEST_PLAN_ITEMS and 2 * inputs >= len(items)


# an input with the value it should give: "abcabcbb gives 3", "[] -> 0", "empty returns None"
_EXPECTED = re.compile(
    r"\S\s*(?:->|=>|\u2192|\b(?:gives?|returns?|outputs?|yields?|should (?:give|return|be))\b)\s*"
    r"(?:-?\d|\[|\(|'|\"|(?:true|false|none|null|empty|nothing)\b)",
    re.IGNORECASE,
)


def _expected_outputs(sentence: str) -> bool:
    """True for inputs listed with the values they should give, unlabelled ("for the test,
    abcabcbb gives 3, bbbbb gives 1, empty gives 0"): most items of three or more."""
    items = [i for i in re.split(r",\s*(?![^\[]*\])", sentence) if i.strip(" .")]
    said = sum(bool(_EXPECTED.search(i)) for i in items)
    return said >= TEST_PLAN_ITEMS and 2 * said >= len(items)


def is_keyword_list(sentence: str) -> bool:
    """True for a bare list of terms: many short comma-separated items, few function words, and
    no item that reasons ("Diamond ball, corners on the axes, so exact zeros" is a terse
    explanation, not a list); or terms strung together with "and" or "or" (`_chained`). A line
    of inputs to test is a plan, not a list of terms."""
    if is_test_plan(sentence):
        return False
    # "[3, 3]" is one item, not two; so is "coins 1,3,4"
    flat = _NUMBER_RUN.sub("0", _BRACKETED.sub(" ", sentence))
    if _chained(flat):
        return True
    segments = [s for s in re.split(r"[,;]", flat) if s.strip() and not _FILLER_SEGMENT.match(s)]
    if len(segments) < 4 or any(_REASONS.search(s) for s in segments):
        return False
    if _statements(segments, sentence):
        return False
    words = _WORD.findall(flat.lower())
    if not words:
        return True
    lead = _WORD.findall(segments[0].lower())
    if len(lead) >= 4 and any(w in _SPEAKER for w in lead):
        return False
    function_words = sum(1 for w in words if w in _STATEMENT_WORDS)
    mean_length = len(words) / len(segments)
    return mean_length <= 4 and function_words / len(words) < 0.2


# an outline's line: "Partitioning: consistent hashing, vnodes." (a label of up to three words)
_LABELLED = re.compile(r"^\s*(?:[-*\u2022]\s+)?[A-Za-z][\w&/+-]*(?: [\w&/+-]+){0,2}:\s+(\S.*)$")
MAX_ITEM_WORDS = 4
# an outline is this many labelled lists or more; one ("Complexity: O(n) time, O(1) space") is
# a terse statement
OUTLINE_LINES = 2


def labelled_list(sentence: str) -> bool:
    """True for "Label: term, term" (two items or more, short, few function words, none that
    reasons): one line of a pasted outline."""
    found = _LABELLED.match(sentence)
    if found is None or is_test_plan(sentence):
        return False
    flat = _NUMBER_RUN.sub("0", _BRACKETED.sub(" ", found.group(1)))
    items = [s for s in re.split(r"[,;]", flat) if s.strip()]
    if len(items) < 2 or any(_REASONS.search(s) for s in items):
        return False
    if _statements(items, found.group(1)):
        return False
    words = _WORD.findall(" ".join(items).lower())
    function_words = sum(1 for w in words if w in _STATEMENT_WORDS)
    return len(words) / len(items) <= MAX_ITEM_WORDS and function_words / max(len(words), 1) < 0.2


@dataclass(frozen=True)
class Unit:
    """A sentence or a line of code, with its tokens."""

    text: str
    tokens: list[str]
    kind: Literal["prose", "code", "list"]


# a bullet or item marker: "- ", "* ", "1. ", "2) ", "a) "
_MARKER = re.compile(r"^\s*(?:[-*\u2022\u2013+]|\d{1,2}[.)]|[a-z][.)])\s+", re.I)
MAX_TERM_WORDS = 5
MAX_SHORT_WORDS = 6
MIN_TERM_RUN = 3
TERM_SHARE = 2 / 3
STUFFED_REPEATS = 3


def is_term(line: str) -> bool:
    """True for a bare term or short noun phrase rather than a statement.

    Up to three words is a term ("maximum likelihood", "I proposed") unless it is written as a
    sentence ("We use Redis."); up to five words is a term if at most one is a function word.
    """
    stripped = _MARKER.sub("", line).strip()
    body = stripped.rstrip(".;,:")
    words = _WORD.findall(body)
    if not words or len(words) > MAX_TERM_WORDS or body.endswith("?"):
        return False
    function = sum(1 for w in words if w.lower() in _STATEMENT_WORDS)
    if stripped.endswith(".") and function and len(words) >= 3:
        return False
    return len(words) <= 3 or function <= 1


def _short(line: str) -> bool:
    words = _WORD.findall(_MARKER.sub("", line))
    return 0 < len(words) <= MAX_SHORT_WORDS and not line.rstrip().endswith("?")


def _listed_lines(prose: str) -> set[str]:
    """The lines of prose that belong to a keyword list laid out one per line: a run of short
    lines (three or more, or a whole message of two or more) most of which are bare terms; a
    stray "I proposed" among them does not save it."""
    lines = [line.strip() for line in prose.splitlines() if line.strip()]
    listed: set[str] = set()
    run: list[str] = []
    for line in [*lines, ""]:
        # code pasted without a fence ("order = []", "while ready:") is not a list of terms;
        # a bulleted or numbered line is an item, whatever it holds ("- w.reshape(F, -1)")
        pasted = looks_like_code(line) and not _MARKER.match(line)
        if line and _short(line) and not pasted:
            run.append(line)
            continue
        whole = len(run) == len(lines) >= 2
        if (len(run) >= MIN_TERM_RUN or whole) and sum(map(is_term, run)) >= TERM_SHARE * len(run):
            listed.update(run)
        run = []
    return listed


@lru_cache(maxsize=1024)
def units(text: str) -> tuple[Unit, ...]:
    """The answer's units in order; fenced code is split into lines, never taken for a list.
    Cached (treat the units as read-only): each turn reads the question's earlier answers."""
    listed = _listed_lines(_FENCE.sub("\n", text))
    found: list[Unit] = []
    cursor = 0
    for fence in _FENCE.finditer(text):
        found += _prose_units(text[cursor : fence.start()], listed)
        found += [
            Unit(line.strip(), tokens(line), "code")
            for line in fence.group(1).splitlines()
            if line.strip()
        ]
        cursor = fence.end()
    found += _prose_units(text[cursor:], listed)
    return tuple(_among_lists(_mark_repeats(found)))


def _among_lists(found: list[Unit]) -> list[Unit]:
    """In a message that is mostly lists, a short sentence of bare terms between them is one
    more item ("Mnih 2015, experience replay, target network, Huber loss. van Hasselt 2016
    Double DQN. ... Agent57, MuZero."): split off by a full stop, it explains no more than the
    lists do. A heading ("Features", on a line of its own) is not a sentence of terms."""
    said = [u for u in found if u.kind in ("prose", "list")]
    lists = sum(u.kind == "list" for u in said)
    if lists < 2 or 2 * lists < len(said):
        return found
    return [
        Unit(u.text, u.tokens, "list")
        if u.kind == "prose" and u.text.endswith(".") and is_term(u.text)
        else u
        for u in found
    ]


def _mark_repeats(found: list[Unit]) -> list[Unit]:
    """A sentence said again is a list: it adds words, not reasons. Said twice, the first time
    counts; said three times or more it is stuffing, and no copy counts."""
    counts = Counter(tuple(u.tokens) for u in found if u.kind == "prose" and u.tokens)
    seen: set[tuple[str, ...]] = set()
    marked = []
    for unit in found:
        key = tuple(unit.tokens)
        if unit.kind == "prose" and key and (key in seen or counts[key] >= STUFFED_REPEATS):
            unit = Unit(unit.text, unit.tokens, "list")
        seen.add(key)
        marked.append(unit)
    return marked


def _prose_units(text: str, listed: set[str]) -> list[Unit]:
    """Sentences outside fenced code: a keyword list (commas, in a run of terms one per line, or
    an outline of "Label: term, term" lines), a line of code (not just code quoted inline), or
    prose."""
    said = sentences(text)
    outline = [s for s in said if labelled_list(s)]
    if len(outline) < OUTLINE_LINES:
        outline = []
    result = []
    for sentence in said:
        kind: Literal["prose", "code", "list"] = "prose"
        in_list = sentence in outline or any(sentence in line for line in listed)
        if is_keyword_list(sentence) or in_list:
            kind = "list"
        elif looks_like_code(sentence):
            kind = "code"
        result.append(Unit(sentence, tokens(sentence), kind))
    return result

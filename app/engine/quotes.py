"""The candidate's words the interviewer quotes back: a sentence cut to QUOTE_CHARS in whole
words, a wrong claim from the start of its clause, and the words said for a phrase, only when
they read as that phrase and name something ("Right, 'vector': noted" praises a word, not a
point).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.engine.evidence import AnswerUnit
from app.engine.matching import STOPWORDS, phrase_tokens, tokens
from app.engine.polarity import _VERBISH, SPACED_DASH
from app.engine.topics import EVERYDAY
from app.engine.typos import Corrected

QUOTE_CHARS = 240


def excerpt(text: str, at: int = 0) -> str:
    """The text, or QUOTE_CHARS of it around `at`, in whole words, verbatim."""
    if len(text) <= QUOTE_CHARS:
        return text
    begin = max(0, min(at - QUOTE_CHARS // 3, len(text) - QUOTE_CHARS))
    end = begin + QUOTE_CHARS
    # whole words only, still verbatim: not "t company I was the backend lead ..."
    if begin > 0 and not text[begin - 1].isspace():
        begin = text.find(" ", begin, at + 1) + 1 or begin
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", begin + 1, end)
        end = space if space > begin else end
    return text[begin:end].strip()


def claim_excerpt(piece: AnswerUnit, at: int) -> str:
    """The quote of a wrong claim found at `at`: from the start of the clause that holds it, so
    that a push-back quotes the wrong words, not the right ones said before them ("indexing is
    O(1), append is O(1), and popping from the front is O(1) too"), nor the condition they
    follow ("if it beats the benchmark I'd expect ..."); without its full stop, as it is quoted
    inside a sentence of the interviewer's."""
    text = piece.unit.text
    begin = piece.polarity.clause_start(at)
    # the claim follows a condition: "if it beats the benchmark I'd expect that to show up"
    begin = piece.polarity.consequent_start(at) or begin
    rest = text[begin:] if begin else excerpt(text, at)
    if len(rest) > QUOTE_CHARS:  # whole words only
        rest = rest[: rest.rfind(" ", 0, QUOTE_CHARS) if " " in rest[:QUOTE_CHARS] else None]
    return rest.strip().removesuffix(".").rstrip()


def words_said(
    piece: AnswerUnit, match: tuple[int, int], phrase: str, *, loose: bool
) -> tuple[int, int] | None:
    """Where the candidate's words for a phrase matched at `match` are, when they read as a
    phrase: an acknowledgement of "second on average, and with a hundred reads per" would make
    no sense."""
    span = _phrase_span(piece, match, phrase, loose=loose)
    if span is None:
        return None
    text = piece.unit.text
    start, end = _whole_words(text, *span)
    words = text[start:end]
    # a match of some of the phrase's words ("lock 2 and B" for "holds lock A and wants
    # lock B") is evidence, not words to quote back
    read = tokens(words)
    if not set(phrase_tokens(phrase)) <= set(read):
        return None
    if any(isinstance(t, Corrected) for t in read):
        return None  # "Right, 'o(n) spcae'" would quote the typo back
    if _SPOKEN_FILLER.search(words):  # "hash uh map" is the hash map, said aloud
        return None
    if _CLAUSE_MARK.search(words) or not _in_order(phrase_tokens(phrase), tokens(words)):
        return None  # "w, so you minimise", "critic you get actor" for "actor critic"
    if len(words.split()) == 1 and not _NAME.search(words):
        return None  # "Right, 'vector': noted" praises a word, not a point
    # words of a clause of their own inside ("seat row where status" for "seat status")
    inner = set(_WORDS.findall(words.lower())) - set(_WORDS.findall(phrase.lower()))
    if inner & _CLAUSE_WORDS or any(_VERBISH.fullmatch(w) for w in inner):
        return None
    # an article inside starts a new noun phrase: "initialisation the loss" (of "At
    # initialisation the loss should be ...") is two phrases' ends, not "initial loss"
    if inner & _ARTICLES:
        return None
    # the condition of what the sentence says, not what it says: "when the model says
    # 70%, the event happens 70% of the time" is quoted as "model says 70%"
    if _SUPPOSES.search(text, piece.polarity.clause_start(start), start):
        return None
    return (start, end) if names_something(words) else None


def _phrase_span(
    piece: AnswerUnit, match: tuple[int, int], phrase: str, *, loose: bool
) -> tuple[int, int] | None:
    """Where the phrase's words are, said as a phrase: the match, or, when the match is
    spread out ("wait, no preemption and circular wait" for "circular wait", its first
    word taken from "hold and wait"), the phrase's words close together inside it."""
    wanted = phrase_tokens(phrase)
    matched = tokens(piece.unit.text[match[0] : match[1]])
    if not loose and _in_order(wanted, matched):
        return match
    if not wanted:
        return None
    located = list(zip(piece.tokens, piece.offsets, strict=False))
    within = [i for i, (_, (at, _end)) in enumerate(located) if match[0] <= at < match[1]]
    if not within:
        return None
    # the phrase's last words may follow the match: "wait ... circular" then "wait"
    inside = [(t, b, e) for t, (b, e) in located[within[0] : within[-1] + len(wanted)]]
    best = None
    for first in range(len(inside)):
        if inside[first][0] != wanted[0]:
            continue
        rest, last = iter(enumerate(inside[first:], first)), None
        for word in wanted:
            last = next((i for i, (t, _, _) in rest if t == word), None)
            if last is None:
                break
        if last is not None and last - first + 1 <= len(wanted) + 1:
            begin, end = inside[first][1], inside[last][2]
            # every word of the phrase, small ones too: "lock B" is not "lock a then b"
            said = set(_WORDS.findall(piece.unit.text[begin:end].lower()))
            if set(_WORDS.findall(phrase.lower())) <= said:
                best = (begin, end)
    return best


def _in_order(phrase: Sequence[str], said: Sequence[str]) -> bool:
    """True when the phrase's words come in the candidate's words in the phrase's order."""
    rest = iter(said)
    return all(word in rest for word in phrase)


_CLAUSE_MARK = re.compile(r"[,;:]\s|" + SPACED_DASH)
# words that open a clause of their own inside a phrase's words: "seat row where status"
_WORDS = re.compile(r"[\w']+")
_CLAUSE_WORDS = frozenset({"where", "which", "that", "who", "whose", "when", "while", "because"})
_ARTICLES = frozenset({"the", "a", "an"})
# a condition: what it opens is supposed, and the sentence's claim comes after it
_SUPPOSES = re.compile(r"\b(?:when|whenever|if|once|unless|until)\b", re.IGNORECASE)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to whole words: "A/B test", not "B test"; "k-means", not "means"."""
    while start > 0 and (
        text[start - 1].isalnum()
        or (text[start - 1] in "/-" and start > 1 and text[start - 2].isalnum())
    ):
        start -= 1
    while end < len(text) and (
        text[end].isalnum()
        or (text[end] in "/-" and end + 1 < len(text) and text[end + 1].isalnum())
    ):
        end += 1
    return start, end


# one word worth quoting back: a name ("Redis", "BYOL", "MD5", "k-means"), not a common noun
_NAME = re.compile(r"^[A-Z]|[A-Z].*[A-Z]|\d|\w-\w")


_SPOKEN_FILLER = re.compile(r"\b(um+|uh+|erm*|you know)\b", re.IGNORECASE)


# words that name nothing an acknowledgement could quote back: "What I took", "np"
_UNQUOTABLE = (
    STOPWORDS
    | EVERYDAY
    | frozenset({"what", "how", "why", "who"})
    # the words that link a story's parts: "I follow the part about 'turned out'" says nothing
    | frozenset(tokens("turned turns caused because happened ended came found became was were"))
)


def names_something(words: str) -> bool:
    """True when the words name something an acknowledgement could quote back."""
    return any((len(t) >= 3 or not t.isalpha()) and t not in _UNQUOTABLE for t in tokens(words))

"""Lexical evidence matching: does an answer say what a key point or checklist phrase says?

Text is lowercased, contractions are expanded, punctuation becomes spaces, words are stemmed
(`stems`: British spellings fold to American, then the Snowball English stemmer), a typo of a
content word is read as that word (`typos`), big-O expressions become one token ("O(n log n)"
-> "o(nlogn)", so "O(n)" never matches "O(n^2)"; a logarithm said without its O, "n log n",
is the same token), as do operators and keywords quoted as code
("==", "`is`"), and function words are dropped (pronouns and negations are kept: "I" vs "we"
and "not" change meaning).

One rule for every phrase: a phrase matches when its words occur within a short window of one
unit of the answer (a sentence, a line of code), in any order; a phrase of four or more plain
words (a paraphrase) may miss one of them. The same rule serves the assessor (coverage) and
the scorer (evidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.engine.stems import stem
from app.engine.typos import VOCABULARY, Corrected

STOPWORDS = frozenset(
    """a an the and or of to in for with at by from as is are was were be been being it its
    this that these those then than there they them you he she your so if into about over
    under can could would should will do does did done have has had yes just very also which
    when where who any each some such too again further here him her ca wo""".split()
)
_BIG_O = r"o\s*\((?:[^()\n]|\([^()\n]{0,12}\)){1,30}\)"
# an operator, or a keyword quoted as code ("`is`"), is a word of its own: "`is` compares
# identity" and "`==` compares identity" say opposite things
_OPERATOR = r"==|!=|`(?:is not|is|not in|in|not|and|or)`"
# said rather than written (voice transcripts, chat): "big o of n log n", "l two", "no sql"
_SPOKEN_O = (
    r"(?:big\s+)?o\s+of\s+(?P<oarg>(?:(?:n|k|m|v|e|log|one|constant|squared|square|cubed|"
    r"plus|times|\d)\b\s*){1,5})"
)
# a complexity said without its O, as people say it: "log n, O(1)", "n log k per pop"
_BARE_LOG = (
    r"(?<![\w.])(?P<lead>[nkmve]\s*)?log\s*"
    r"(?:\(\s*(?P<arg>[nkmve])\s*\)|(?P<bare>[nkmve]))(?![\w(])"
)
_SPOKEN_NORM = r"\b(?:l|el)\s+(?P<norm>one|two|1|2)\b"
_SPOKEN_NOSQL = r"\bno[\s-]+(?:sql|sequel)\b"
# a figure with its unit glued on: "140gb", "20ms", "10k", "5x"
_GLUED_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)(gb|mb|kb|tb|pb|ms|us|s|k|m|b|x|qps|rps|gbps|mbps|h|min)$"
)
_SPOKEN_WORDS = {
    "one": "1",
    "constant": "1",
    "two": "2",
    "squared": "^2",
    "square": "^2",
    "cubed": "^3",
    "plus": "+",
    "times": "",
}
_TOKEN = re.compile(
    rf"(?P<spoken_o>{_SPOKEN_O})|(?P<spoken_norm>{_SPOKEN_NORM})|(?P<nosql>{_SPOKEN_NOSQL})|"
    rf"(?P<bigo>{_BIG_O})|(?P<bare_log>{_BARE_LOG})|(?P<op>{_OPERATOR})|(?P<word>[a-z0-9+#]+(?:\.[0-9]+)?)(?:['\u2019](?P<tail>t|re|ll|ve|d|m|s)\b)?|(?P<pct>%)"
)
_TAILS = {"re": "are", "ll": "will", "ve": "have", "d": "would", "m": "am"}
_SUPERSCRIPTS = str.maketrans({"\u00b2": "^2", "\u00b3": "^3"})


# chat shorthand, read as the words it stands for: "lookup b4 insert", "pair w/ itself"
_SHORTHAND = {"b4": "before", "bc": "because", "idx": "index", "idxs": "indices"}
# abbreviations that stand for two words: "mean and std" is "mean and standard deviation"
_EXPANDED = {
    "std": ("standard", "deviation"),
    "stdev": ("standard", "deviation"),
    "stddev": ("standard", "deviation"),
    "datapoint": ("data", "point"),
    "datapoints": ("data", "points"),
}
# a unit of time after a slash is a rate: "2.5M datapoints/s" is "per second", "1TB/day" per day
_PER_UNIT = {
    "s": "second",
    "sec": "second",
    "secs": "second",
    "second": "second",
    "min": "minute",
    "mins": "minute",
    "minute": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "d": "day",
    "day": "day",
    "mo": "month",
    "month": "month",
    "yr": "year",
    "year": "year",
}


def _per_unit(lowered: str, start: int, word: str) -> bool:
    """True for a unit of time right after a slash that follows a word or figure."""
    return (
        word in _PER_UNIT
        and start > 1
        and lowered[start - 1] == "/"
        and lowered[start - 2].isalnum()
    )


# "doesnt", "dont", "isnt" typed without the apostrophe: the word, then "not" (as "doesn't")
_NT = frozenset(
    "doesnt dont didnt isnt arent wasnt werent cant wont couldnt shouldnt wouldnt hasnt havent "
    "hadnt".split()
)
# a transcriber's homophone of a technical word, read as that word when a word of its topic is
# near it: "a cash in front of the database", "a message cue", "a sequel database", "gradient
# dissent"
_HEARD = {
    "cash": ("cache", r"in front|redis|memcached?|evict\w*|hits?|miss(?:es)?|ttl|lru|layer|hot"),
    "cue": ("queue", r"message|task|job|priority|event|dead[- ]letter|consumers?|workers?"),
    "cues": ("queues", r"message|task|job|priority|event|dead[- ]letter|consumers?|workers?"),
    "sequel": ("sql", r"databases?|db|tables?|quer(?:y|ies)|postgres\w*|mysql|schemas?|joins?"),
    "dissent": ("descent", r"gradient|coordinate|steepest"),
}
_HEARD_NEAR = {word: re.compile(rf"\b(?:{near})\b") for word, (_, near) in _HEARD.items()}
HEARD_WINDOW = 40  # characters either side
# a word against these is part of an identifier or a call ("seen_vals", "apend(x)", "`lenght`")
_CODE_BEFORE, _CODE_AFTER = frozenset("_`"), frozenset("_`([")


def learn_words(texts: Iterable[str]) -> None:
    """Add the content's words to the known words (`typos.VOCABULARY`; content load calls it
    with every text of the question bank and rubrics); answers read before it are read again."""
    if VOCABULARY.learn(texts):
        for cached in (spans, phrase_tokens, literal_pattern, requirement):
            cached.cache_clear()


def _coded(text: str, start: int, end: int) -> bool:
    """True for a word that is part of code: "seen_vals", "nums.apend(x)", "`hashMap`"."""
    before, after = text[start - 1 : start], text[end : end + 1]
    if before in _CODE_BEFORE or after in _CODE_AFTER:
        return True
    dotted = before == "." and text[start - 2 : start - 1].isalnum()
    return dotted or (after == "." and text[end + 1 : end + 2].isalnum())


def _named(text: str, start: int, end: int) -> bool:
    """True for a name or an acronym rather than a word: a capital inside it ("fooBar",
    "GRADEINT"), or a capital first letter where no sentence starts ("et al. like Hessel")."""
    if any(map(str.isupper, text[start + 1 : end])):
        return True
    if not text[start : start + 1].isupper():
        return False
    before = start - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    return before >= 0 and text[before] not in ".!?:\n"


def _big_o(expression: str) -> str:
    """One token for a complexity: lowercase, no spaces or multiplication signs, "lg" as
    "log" ("O(N lg k)")."""
    folded = re.sub(r"\blg\b", "log", expression.translate(_SUPERSCRIPTS))
    return re.sub(r"[\s*\u00b7\u22c5]", "", folded)


def _spoken_o(argument: str) -> str:
    """The token of a complexity said aloud: "big o of n squared" is "o(n^2)"."""
    words = [_SPOKEN_WORDS.get(w, w) for w in argument.split()]
    return _big_o(f"o({' '.join(words)})")


@lru_cache(maxsize=8192)
def spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """Content tokens of a text with their character offsets (start, end) in the text."""
    lowered = text.lower()
    found: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(lowered):
        start, end = match.span()
        if match.group("spoken_o"):
            end = start + len(match.group().rstrip())  # not the space after it
            found.append((_spoken_o(match.group("oarg")), start, end))
            continue
        if match.group("spoken_norm"):
            found.append(
                ("l" + _SPOKEN_WORDS.get(match.group("norm"), match.group("norm")), start, end)
            )
            continue
        if match.group("nosql"):
            found.append(("nosql", start, end))
            continue
        if match.group("bigo"):
            found.append((_big_o(match.group("bigo")), start, end))
            continue
        if match.group("bare_log"):
            lead = (match.group("lead") or "").strip()
            found.append((f"o({lead}log{match.group('arg') or match.group('bare')})", start, end))
            continue
        if match.group("op"):
            found.append((" ".join(match.group("op").split()), start, end))
            continue
        if match.group("pct"):
            found.append(("percent", start, end))
            continue
        word, tail = match.group("word"), match.group("tail")
        if tail == "t" and word.endswith("n"):  # don't, isn't, can't: the word, then "not"
            word, tail = word[:-1], "not"
        elif not tail and word in _NT:  # "doesnt": typed without its apostrophe
            word, tail = word[:-2], "not"
        elif word == "w" and lowered[end : end + 1] == "/":  # "pair w/ itself"
            word = "with"
        elif _per_unit(lowered, start, word) and not tail:  # "GB/s", "lines/day": a rate
            found.append(("per", start - 1, start))
            word = _PER_UNIT[word]
        word = _SHORTHAND.get(word, word)
        if word in _EXPANDED and not tail:
            found += [(stem(part), start, match.end("word")) for part in _EXPANDED[word]]
            continue
        if word in _HEARD and not tail:
            near = lowered[max(0, start - HEARD_WINDOW) : end + HEARD_WINDOW]
            if _HEARD_NEAR[word].search(near):
                word = _HEARD[word][0]
        if word == "lg":  # "n lg n": the logarithm, as CLRS writes it
            word = "log"
        glued = _GLUED_UNIT.match(word)
        if glued and not tail:  # "140GB" is "140 GB": the figure, then its unit
            split = start + glued.end(1)
            found += [(glued.group(1), start, split), (glued.group(2), split, match.end("word"))]
            continue
        if word not in STOPWORDS:
            typo = None
            if not _coded(lowered, start, match.end("word")) and not _named(text, start, end):
                typo = VOCABULARY.correct(word)  # "spcae", not "Hessel", "fooBar", "GRADEINT"
            token = Corrected(typo) if typo else stem(word)
            found.append((token, start, match.end("word")))
        extra = _TAILS.get(tail or "", "not" if tail == "not" else None)
        if extra and extra not in STOPWORDS:
            found.append((extra, start, end))
    return tuple(_spoken_numbers(lowered, found))


_UNITS = "zero one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_DIGIT_WORDS = {**{w: str(i) for i, w in enumerate(_UNITS)}, "oh": "0"}
_DIGIT_WORDS |= {w: str(10 + i) for i, w in enumerate(_TEENS)}
_DIGIT_WORDS |= {w: str(20 + 10 * i) for i, w in enumerate(_TENS)}
# a number word said alone is its digit on both sides of a match; not "one" (mostly a pronoun:
# "the taller one"), "zero" ("zero_grad") or "oh"
_LONE_NUMBERS = frozenset(_DIGIT_WORDS) - {"zero", "one", "oh"}
# what a number said after it names: "p ninety nine" is p99, "base sixty two" base62
_NUMBERED_NAMES = frozenset("p s h f fp int bm md sha base gpt".split())


def _spoken_numbers(lowered: str, found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Numbers said in words as a transcript writes them, as digits: "three oh one" is 301,
    "four twenty nine" 429, "sixty two" 62, and a name numbered by one is one token ("p ninety
    nine" is p99, "md five" md5). A lone number word is its digit ("five seeds" is "5 seeds"),
    except "one" ("one pass", "the taller one"); "hundred", "million" stay words (figures read
    those)."""
    words = [lowered[s:e] for _, s, e in found]
    if not any(w in _DIGIT_WORDS for w in words):
        return found

    def joined(i: int) -> bool:  # token i follows token i - 1 with only a space or a hyphen
        return i > 0 and lowered[found[i - 1][2] : found[i][1]].strip(" -") == ""

    result: list[tuple[str, int, int]] = []
    index = 0
    while index < len(found):
        run, digits = index, ""
        while run < len(found) and words[run] in _DIGIT_WORDS and (run == index or joined(run)):
            if words[run] == "oh" and run == index:
                break  # "oh, one thing": an interjection
            pair = run + 1 < len(found) and joined(run + 1) and words[run + 1] in _UNITS[1:]
            if words[run] in _TENS and pair:  # "sixty two"
                digits += _DIGIT_WORDS[words[run]][0] + _DIGIT_WORDS[words[run + 1]]
                run += 2
            else:
                digits += _DIGIT_WORDS[words[run]]
                run += 1
        named = bool(digits) and joined(index) and words[index - 1] in _NUMBERED_NAMES
        if named:
            name = result.pop()
            result.append((words[index - 1] + digits, name[1], found[run - 1][2]))
        elif run - index >= 2:
            result.append((digits, found[index][1], found[run - 1][2]))
        elif words[index] in _LONE_NUMBERS:  # "five seeds" is "5 seeds", "two heaps" "2 heaps"
            result.append((_DIGIT_WORDS[words[index]], found[index][1], found[index][2]))
            run = index + 1
        else:
            result.append(found[index])
            run = index + 1
        index = run
    return result


def tokens(text: str) -> list[str]:
    """Content tokens of a text, stemmed, function words removed."""
    return [token for token, _, _ in spans(text)]


@lru_cache(maxsize=16384)
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokens of an evidence phrase (cached: phrases come from immutable content)."""
    found = tuple(dict.fromkeys(tokens(phrase)))
    return found or tuple(phrase.lower().split())


def _prefix(word: str) -> str:
    """The part of a word its inflections share: "owns" and "owned" both start "own"."""
    root = stem(word)
    size = next((i for i, (a, b) in enumerate(zip(word, root, strict=False)) if a != b), None)
    return word[: size if size is not None else min(len(word), len(root))] or word


# a short phrase of being, its subject at most a pronoun: "i was asked", "was tasked", "i was
# the one"; its verb carries its meaning ("I asked her" is no task), so its words must come in
# its order
_SUBJECTS = frozenset({"i", "we", "he", "she", "they"})
_PASSIVE = re.compile(r"^((i|we|he|she|they) )?(was|were|got|been) (the )?[a-z]{3,}$")


# a dotted name ("self.x", "model.eval", "np.where"): it names one thing only as written, so
# "forward(self, x)" is not "self.x"
_DOTTED = re.compile(r"[a-z_]\w*(?:\.[a-z_]\w*)+", re.IGNORECASE)


@lru_cache(maxsize=16384)
def literal_pattern(phrase: str) -> re.Pattern[str] | None:
    """For a dotted name, the name as written; for a phrase of several words that is one content
    word among function words ("at the time", "she owns", "in production"), the pattern of its
    words in order: its function words carry its meaning, so "time" or "own" alone is not the
    phrase. None for any other phrase."""
    if _DOTTED.fullmatch(phrase.strip()):
        return re.compile(r"\b" + re.escape(phrase.strip()) + r"\b", re.IGNORECASE)
    words = re.findall(r"[a-z0-9']+", phrase.lower())
    found = phrase_tokens(phrase)
    if _PASSIVE.match(" ".join(words)):  # "i was asked" (a task) is not "I asked her" (an action)
        found = tuple(t for t in found if t not in _SUBJECTS)
    if len(words) < 2 or len(found) != 1 or not found[0].isalpha():
        return None
    parts = [
        re.escape(w)
        if w in STOPWORDS or w in _SUBJECTS or not w.isalpha()
        else re.escape(_prefix(w)) + r"\w*"
        for w in words
    ]
    return re.compile(r"\b" + r"\W+".join(parts) + r"\b", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    """Where a phrase was found: token span in the answer."""

    phrase: str
    start: int
    end: int


@lru_cache(maxsize=16384)
def _needed(wanted: tuple[str, ...]) -> int:
    """How many of a phrase's distinct words must be found: all, or all but one of a phrase of
    four or more plain words (a paraphrase; code and symbols must match exactly)."""
    plain = len(wanted) >= 4 and all(t.isalpha() and len(t) > 1 for t in wanted)
    return len(wanted) - 1 if plain else len(wanted)


# words a wrong claim may say in either form: "more examples fix underfitting" is "more data
# reduces bias"; only wrong versions are read this loosely (they must match in order, whole)
_SAME = {
    "exampl": "data",
    "sampl": "data",
    "fix": "reduc",
    "lower": "reduc",
    "decreas": "reduc",
    "cure": "reduc",
    "solv": "reduc",
    "underfit": "bias",
    "rais": "increas",
    "look": "measur",
    "track": "measur",
    "report": "measur",
    "check": "measur",
}


def _fold(token: str) -> str:
    return _SAME.get(token, token)


@lru_cache(maxsize=16384)
def requirement(phrase: str, every_word: bool = False) -> tuple[frozenset[str], int]:
    """A cheap pre-check's terms: a text can match the phrase only if it holds `need` of these
    words. With every_word (a wrong version), compare them with the text's `folded` tokens."""
    wanted = phrase_tokens(phrase)
    if every_word:
        folded = frozenset(map(_fold, wanted))
        return folded, len(folded)
    return frozenset(wanted), _needed(wanted)


def folded(present: frozenset[str]) -> frozenset[str]:
    """A text's tokens as wrong versions read them (see requirement)."""
    return frozenset(map(_fold, present))


def needed_words(phrase: str) -> int:
    """How many of the phrase's words an answer must contain for the phrase to match."""
    return _needed(phrase_tokens(phrase))


# a wrong claim's words may have at most this many other words among them
CLAIM_GAP = 2


def find_phrase(answer_tokens: list[str], phrase: str, *, every_word: bool = False) -> Match | None:
    """Find the phrase's words inside one window of the answer, or None; every_word is for wrong
    claims: every word, in the phrase's order, close together ("L1 penalises squared weights"
    is not in "L1 penalises absolute weights and L2 squared ones")."""
    wanted = phrase_tokens(phrase)
    if not wanted:
        return None
    if every_word:
        return _in_order(answer_tokens, phrase, wanted)
    if len(wanted) == 1:
        for index, token in enumerate(answer_tokens):
            if token == wanted[0]:
                return Match(phrase, index, index + 1)
        return None
    window = max(len(wanted) * 2, len(wanted) + 2)
    needed = set(wanted)
    enough = len(needed) if every_word else _needed(wanted)
    for start, token in enumerate(answer_tokens):
        if token not in needed:
            continue
        seen = set()
        for index in range(start, min(start + window, len(answer_tokens))):
            if answer_tokens[index] in needed:
                seen.add(answer_tokens[index])
                if len(seen) >= enough:
                    return Match(phrase, start, index + 1)
    return None


# a word among a claim's words that turns it round: "a random split does not prevent leakage"
# words in a claim's window that turn it round: "== compares values rather than identity"
_DENIALS = frozenset(
    {"not", "no", "never", "without", "cannot", "nor", "neither", "rather", "instead", "oppos"}
)


def _in_order(answer_tokens: list[str], phrase: str, wanted: tuple[str, ...]) -> Match | None:
    """The phrase's words in its order, with at most CLAIM_GAP other words among them, none of
    them a denial the phrase does not have, nor one of its own words again: "`==` compares
    values and `is` compares identity" says two things, not "`==` compares identity"."""
    # "I don't think you need X" denies X as "you don't need X" does: the verb of thinking
    # after a denial is no word between the claim's words
    kept = _unraised(answer_tokens)
    said = [_fold(answer_tokens[i]) for i in kept]
    # a word read through a typo is no word of a wrong claim: only what was typed claims
    typed = [not isinstance(answer_tokens[i], Corrected) for i in kept]
    wanted = tuple(_fold(wanted[i]) for i in _unraised(wanted))
    # the phrase's words with their repeats ("left child ... right child")
    in_phrase = tokens(phrase)
    said_in_phrase = [_fold(in_phrase[i]) for i in _unraised(in_phrase)]
    for start, token in enumerate(said):
        if token != wanted[0] or not typed[start]:
            continue
        position, found = start, 1
        limit = min(len(said), start + len(wanted) + CLAIM_GAP)
        while found < len(wanted) and position >= 0:
            position = next(
                (i for i in range(position + 1, limit) if said[i] == wanted[found] and typed[i]),
                -1,
            )
            found += position >= 0
        span = said[start : position + 1]
        gaps = set(span) - set(wanted)
        again = any(span.count(word) > said_in_phrase.count(word) for word in set(wanted))
        if found == len(wanted) and not gaps & _DENIALS and not again:
            return Match(phrase, kept[start], kept[position] + 1)
    return None


# verbs that pass a denial on to what is thought: "don't think", "don't believe"
_RAISING = frozenset({"think", "believ", "suppos", "reckon", "feel", "expect"})


def _unraised(words: Sequence[str]) -> list[int]:
    """The indices of the words but a verb of thinking right after a denial."""
    return [
        i for i, t in enumerate(words) if not (i and t in _RAISING and words[i - 1] in _DENIALS)
    ]

"""Negation and hedging scope inside one sentence, on character offsets.

"I'm not using a heap" and "I don't know about log k" say nothing in favour of a heap or of
log k; "I guess you'd move the taller one" or "maybe an empty list?" is a guess, not a claim.
A negation cue covers the rest of its clause; a hedge covers its own clause (and back to the
last contrast when it trails a claim: "a heap, maybe"); a sentence that ends in a question
mark is hedged throughout. Clauses end at punctuation and at words that start a new claim
("but", "because", "which", "and I"). Negator words that deny nothing ("whether or not", "no
more than") are not cues; "not just X" and "not only X" say X and more, so they deny only a
phrase that says "just" or "only" itself, and claim nothing wrong. "X, no wait, Y" takes X
back, as does a sentence that opens "No wait, ..." for the one before it. The assessor reads
every match through this; the scorer reads the assessor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property


def _words(*alternatives: str) -> str:
    """One pattern matching any of the alternatives as whole words."""
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# "not", and the verbs it is contracted into ("wouldn't", "dont")
_NOT = r"(?<!\bor )(?<!\bif )not"
_NOT_CONTRACTED = (
    r"[a-z]+n['\u2019]t",
    r"(?:do|does|did|is|are|was|were|would|should|could|wo|ca|have|has|had|need)nt",
)
# what "not" may restrict rather than deny: "I wouldn't just report accuracy" reports it
_RESTRICTORS = frozenset({"only", "just", "merely", "simply", "solely"})
_NOT_ONLY = r"\s+(?:" + "|".join(sorted(_RESTRICTORS)) + r")\b"
_NEGATION = re.compile(
    _words(
        rf"{_NOT}(?!{_NOT_ONLY}| bad| least)",
        # "no more than two thirds full" bounds a number, it denies nothing
        r"no(?! matter| doubt| more than| less than| fewer than| later than|[\s-]+sql\b)",
        r"nothing(?! but)",
        "never", "without", "cannot", "neither", "nor", "none",
        # a subject that denies what it does: "nobody adopted it", "hardly anyone used it"
        "nobody", r"(?:hardly|barely|scarcely) (?:any(?:one|body)?|ever)",
        "instead of", "rather than", "as opposed to", r"avoid(?:ing|s)?",
        *(rf"{word}(?!{_NOT_ONLY})" for word in _NOT_CONTRACTED),
    ),
    re.IGNORECASE,
)
_RESTRICTION = re.compile(_words(_NOT, *_NOT_CONTRACTED) + _NOT_ONLY, re.IGNORECASE)
_BIG_O = re.compile(r"\bO\s*\((?:[^()\n]|\([^()\n]{0,12}\)){1,30}\)", re.IGNORECASE)
# a minus between two operands, spaced as arithmetic is ("1 - p", "x - max", "p - y",
# "e[x] - 1"): one side a number, a bracket or a single letter, the other a word that is no
# prose word ("epoch 3 - the loss exploded", "we shipped - finally - on time" are asides)
_PROSE_NEXT = r"(?!(?i:the|an?|i|we|you|it|they|this|that|and|but|or|so|then|which|no|not)\b)"
_OPERAND_BEFORE = r"(?:(?<=[\d)\]])|(?<=\b[b-hj-zB-HJ-Z])|(?<=_[A-Za-z0-9]))"
_MINUS = (
    rf"(?:{_OPERAND_BEFORE}\s[-\u2013]\s{_PROSE_NEXT}\w"
    rf"|(?<=\w)\s[-\u2013]\s{_PROSE_NEXT}(?:[\d(]|[A-Za-z](?!\w)))"
)
# a dash set off by spaces ends a clause, a minus does not
SPACED_DASH = rf"(?!{_MINUS})\s[-\u2013\u2014]\s"
_CLAUSE_END = re.compile(
    # a comma between digits is a thousands separator ("1,280 parameters"), not a clause end
    rf"(?<!\d),|,(?!\d{{3}}\b)|[;:!?()\[\]]|{SPACED_DASH}|"
    + _words(
        "but", "however", "though", "although", "whereas", "yet", "instead", "because",
        "since", "so", "while", "unless", "otherwise", "then", "which", "except",
        r"(?:and|or)(?=\s+(?:i|we|you|it|they|this|that|then|also|the)\b)",
        # "can't lean on one neuron and ends up averaging...": a second predicate of its own
        r"and(?=\s+(?:ends|end|ended|so|thus|therefore|hence|instead|as a result)\b)",
    ),
    re.IGNORECASE,
)
# a comparative correlative is one claim: "the more items you insert, the lower the false
# positive rate" (its comma joins the two halves)
_COMPARATIVE = (
    r"the (?:more|less|fewer|higher|lower|bigger|smaller|larger|longer|shorter|faster|slower|"
    r"greater|deeper|wider|earlier|later)\b"
)
_COST_OF_IT = re.compile(
    r"[,;]?\s*(?:and\s+)?(?:that'?s|that is|which is|which'?s|it'?s|this is)\s+(?:\w+\s+)?"
    r"(?:big o\b|o\s*\(|o of\b)",
    re.IGNORECASE,
)
# a call written in prose: "pop(0) is constant" (a list literal's brackets end a clause unless
# the phrase says that very literal: its words are bare numbers, and "[1] then [2]" would match
# inside "[1, 2]")
_CODE_BRACKETS = re.compile(r"\w\([^()]{0,20}\)")
# the next step of one plan: "reset --hard HEAD~1 and then push --force" is one (wrong) plan; it
# still ends a negation ("don't reset, then push")
_NEXT_STEP = re.compile(r"(?:,\s*|\s*and\s+)?then\b", re.IGNORECASE)
# what a clause may open with that joins it to the one before: "..., and popping from the front"
_JOINING = re.compile(r"\s*(?:(?:and|but|so|or|also|then)\b[\s,]*)*", re.IGNORECASE)
# a topic put first, before a colon: at most this many words, none of them a verb or pronoun
FRONTED_WORDS = 4
_VERBISH = re.compile(
    r"i|we|you|they|he|she|it|is|are|was|were|be|been|do|does|did|have|has|had|can|could|will|"
    r"would|should|must|may|might|\w+'(s|re|ve|ll|d)|\w+n't"
)
# "X, which is Y": what the thing just named is
_DEFINES = re.compile(r",?\s*(?:which is|which'?s|which means|i\.e\.,?)\s", re.IGNORECASE)
_CORRELATIVE_OPENER = re.compile(rf"\b{_COMPARATIVE}[^,;:.!?]*$", re.IGNORECASE)
_CORRELATIVE_CLOSER = re.compile(rf",\s*{_COMPARATIVE}", re.IGNORECASE)
_ROUGHLY = r"(?:a |an |about |around |roughly |like )"
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|hundred|"
    r"thousand|million|billion|few|couple|dozen)"
)
_HEDGE = re.compile(
    _words(
        "i guess", "i'?d guess", "guessing",
        # "pull maybe a thousand candidates" rounds a figure, it doubts nothing
        rf"(?:maybe|perhaps|possibly)(?! (?:{_ROUGHLY})?(?:\d|{_NUMBER_WORDS})\b)", "not sure",
        "unsure", "not certain", "i wonder", "no idea", "might be", "could be", "i suppose",
        # "it kind of regularises", "sort of like a heap"; not "I'd been kind of snippy",
        # "I was kind of the problem" (a softened word, not a doubt)
        r"(?:kind|sort) of(?= (?:like\b|\w+(?:s|ed|ing)\b))", "not really sure", "or something",
    ),
    re.IGNORECASE,
)
# "a key could be in any of the files": the possibilities a system allows, not a doubt
_POSSIBILITIES = re.compile(r"\W+(?:\w+\W+){0,5}?(any|anywhere|either|several|multiple)\b", re.I)
_CONTRAST = re.compile(_words("but", "however", "though", "although", "whereas") + "|;", re.I)
_WORD = re.compile(r"[A-Za-z0-9']+")
# a word that names a thing: "GPT-2", "BatchNorm", "post-LN"
_NAMING = re.compile(r"[\w-]*(?:[A-Z0-9]|\w-\w)[\w-]*")
# the speaker's own words: "we normalise after adding", "I'd put it after the residual"
_SPEAKER = re.compile(r"\b(i|we|i'?d|we'?d|i'll|we'll|i'm|we're|my|our)\b", re.IGNORECASE)
# "X, no wait, Y": the speaker takes back what came before the cue; "wait" as a noun ("hold
# and wait, no preemption", "a circular wait, no ...") takes nothing back
_RETRACTION = re.compile(
    r"\b(no,? wait|(?<!\band )(?<!\bcircular )(?<!\bbusy )wait,? no|scratch that|strike that|"
    r"actually,? no|no,? sorry|"
    r"i take (that|it) back|i had it backwards|(i'?ve|i) got it backwards|"
    # "Sorry, I mixed them up: ...", "Hmm, the other way round actually: ..."
    r"(i'?ve |i )?(mixed|mixing|swapped|switched) (them|those|these|it|the two) (up|round|around)|"
    r"(i'?ve |i )?got (them|those|these|it|the two) (mixed up|swapped|the wrong way round)|"
    r"(it'?s |it is )?(the )?other way (a)?round(,? actually)?(?=\s*[:;,.!\u2014-]))",
    re.IGNORECASE,
)
# what a sentence may open with before it takes the one before back: "Hmm, actually no, ..."
_INTERJECTIONS = re.compile(
    r"(?:(?:hmm+|um+|uh+|oh|ok(?:ay)?|well|so|sorry|wait|right)\b[,.!]*\s*)*", re.IGNORECASE
)
_ACTUALLY = re.compile(r"actually\b[,.]?\s*", re.IGNORECASE)
_SEPARATOR = re.compile(r"[\s,;:.!-]*")
# only at a sentence's opening: "forget the heap, ..." takes back the heap said before, where
# "don't forget the edge cases" inside a sentence takes back nothing
_OPENING_RETRACTION = re.compile(
    r"(actually,? )?(forget|drop|ignore) (that|it|this|the \w+|what i (just )?said)\b"
    # "A min heap of size k? Nope, sorting is fine.": the candidate's own idea turned down
    r"|(nope|nah)\b",
    re.IGNORECASE,
)
# "if you start every weight at zero, ...": a supposition, not a claim
# "to see if it works" asks whether, it does not suppose
_ASKS_WHETHER = "".join(
    f"(?<!\\b{verb} )" for verb in ("see", "know", "check", "tell", "ask", "test", "wonder")
)
# where the consequent of an "if" without a comma begins
# a condition this short before its comma opens the sentence ("if the model underfits, ..."); a
# longer stretch is more likely a list or an aside inside the condition
CONDITION_WORDS = 8
_CONSEQUENT = re.compile(
    r"\s(then|i think|i believe|i'?d|i would|we'?d|we would|you'?d|you would|"
    r"(that|this|it|which) (proves|means|shows|implies|tells us)|"
    # a verdict on the case supposed: "if gradients are zero early on that's normal"
    r"(that|this|it)(?:'?s| is) (?:\w+ )?(normal|fine|ok|okay|expected|harmless|no problem))\b",
    re.IGNORECASE,
)
# a new subject and its verb, past an antecedent with a verb of its own, start the consequent
# of an "if" written without a comma: "if you let it run until nothing changes it gives you the
# best clustering", "if two writes collide they keep the newer one"; "it" and "this" may be
# objects ("if you let it run"), so they need a verb that agrees ("it gives", "it's", "it
# will"); "you" needs a modal; "that" is mostly a relative ("anything that changes"). The
# pronoun opens no consequent after a word that takes a clause ("if you think it gives ...",
# "if we assume that it works")
_NEW_SUBJECT = re.compile(
    r"\s(?:(?:it|this|he|she)(?:['\u2019](?:s|ll|d)|\s+(?:is|was|will|would|can|could|"
    r"should|must|won't|doesn't|isn't|can't|always|never|just|only|still|also|"
    r"(?!\w*ss\b)\w+s))|(?:they|we|i)(?:['\u2019](?:re|ll|ve|d|m)|\s+[a-z]\w*)|"
    r"you(?:['\u2019](?:ll|re)|\s+(?:will|can|get|end up|need|must))|"
    r"there(?:['\u2019]s|\s+(?:is|are|was|were|will|would)))\b",
    re.IGNORECASE,
)
_TAKES_A_CLAUSE = frozenset(
    """that whether if when while and or because so as than think thinks thought believe
    believes know knows knew say says said assume assumes assumed guess suppose see sees saw
    find finds found mean means show shows prove proves check checks verify ensure make
    makes sure claim claims notice notices feel feels hope expect expects realise realize
    hear figure decide decides let lets given what which who whom whose where how why like
    give gives gave pass passes send sends tell tells told hand feed feeds call calls teach
    offer leave keep keeps""".split()
)
# at least this many words between the "if" and the new subject: the antecedent's own subject
# and verb
ANTECEDENT_WORDS = 2
_SUPPOSING = re.compile(
    _ASKS_WHETHER + _words("if", "suppose", "supposing", "imagine", "whether", "what if"), re.I
)
# an embedded question: what one would check is no claim ("I'd check whether they tuned on the
# test set")
_CHECKS_WHETHER = re.compile(
    r"\b(check|checking|verify|verifying|ask|asking|see|find out|look at|make sure|confirm|"
    r"audit|test)\w* (whether|if|that no(body|one)?)\b",
    re.IGNORECASE,
)
# "moving the taller one is a mistake": the predicate after a statement denies it
# what a method does when it is given up: both a refutation after a claim and a technique
# named and dropped ("greedy fails") read these
_FAILS = ("fails", "failed", "breaks", "is broken", "gives the wrong answer")
# ... and, right after a technique, these too (after a claim, its negation or "wrong" says it)
_DOES_NOT_WORK = ("(?:doesn'?t|does not|didn'?t|won'?t|can'?t) work", "is wrong", "was wrong")
_REFUTING = re.compile(
    _words(
        "wrong", "a mistake", "pointless", "useless", "incorrect", "a myth", "a bad idea", "a trap",
        # a bad practice named to reject it: "comparing at equal steps is misleading"
        "misleading", "unfair", "flawed", "invalid", "cheating", "a (common |classic )?pitfall",
        # given up: "always taking the largest coin fails on [1, 3, 4]"
        *_FAILS,
    ),
    re.IGNORECASE,
)
# "greedy fails", "that approach doesn't work": what was just named is given up, not proposed;
# a condition after it ("binary search fails if the array isn't sorted") says when, not that
_GIVEN_UP = re.compile(
    r"[\s,]*(?:[\w']+\s+){0,2}?(?:just |simply |clearly |obviously )?"
    r"(?:" + "|".join((*_FAILS, *_DOES_NOT_WORK)) + r")\b"
    r"(?![\s,]+(?:if|when|whenever|unless|once|for large|in the worst)\b)",
    re.IGNORECASE,
)
# "sharding isn't necessary here", "a cache would be overkill": what was just named is waved
# away, not designed; a condition after it ("isn't needed until we pass 10k writes a second",
# "not needed at this scale") reasons about it, and says something of it
_DISMISSED = re.compile(
    r"\s*(?:[\w']+\s+){0,2}?(?:"
    r"(?:(?:is|are|was|were)n'?t|(?:is|are|was|were|would be|will be) not|wo(?:n'?t| not) be|"
    r"would(?:n'?t| not) be)\s+(?:really |strictly |even |actually |that |very )?"
    r"(?:needed|necessary|required|worth it|worth the \w+|a concern|important|useful)|"
    r"(?:is|are|would be|will be|seems|sounds)\s+(?:totally |completely |probably |clearly )?"
    r"(?:unnecessary|overkill|pointless|not needed|not necessary)|"
    r"(?:can|could) be (?:skipped|dropped|left out|ignored)|"
    r"(?:does|do|did)(?:n'?t| not) (?:really |even )?matter)\b"
    r"(?![\s,]+(?:until|unless|before|yet|for now|at first|initially|at this|at our|"
    r"on day one|day one|for the mvp|for v1|in v1|if|when|while)\b)",
    re.IGNORECASE,
)
# "people say X", "the myth that X": someone else's claim, reported, not the speaker's
_ATTRIBUTED = re.compile(
    r"\b((some )?people (say|think|believe|claim)|some (say|think|believe|claim)|"
    r"(you )?(often|sometimes) hear|it'?s (a )?(common )?(myth|misconception)|"
    r"(the|a) (common )?(myth|misconception|mistake) (is )?that|contrary to( the idea)?|"
    r"a (common|classic|typical) (mistake|misconception|trap|pitfall|bug|error) (is|would be)|"
    # others named, with a few words between ("someone on my team once claimed", "many papers
    # report", "some blog posts say"), or the speaker's own earlier words taken back ("earlier
    # I said ..., that was wrong")
    r"(people|folks|someone|somebody|tutorials|blog posts|papers|textbooks|colleagues?|"
    r"teammates?|my (colleague|teammate|manager|lead)|(some|many|a lot of|most) (teams|"
    r"companies|engineers|practitioners))(\s+[\w']+){0,4}?\s+"
    r"(say|says|said|think|thinks|thought|believe|believes|believed|claim|claims|claimed|"
    r"assume|assumes|assumed|report|reports|reported|suggest|suggests|suggested)|"
    r"(earlier|before|previously),? i (said|claimed|wrote|thought)|"
    r"i (said|claimed|wrote) (earlier|before)|"
    # a conclusion held off: "before concluding the paper is wrong, I'd email the authors"
    r"before (concluding|saying|assuming|declaring|deciding|blaming it on|jumping to( the "
    r"conclusion)?)( that)?|before (i'?d|i would|we'?d|we would|i|we) (say|conclude|assume|"
    r"decide|declare|call it)( that)?)\b",
    re.IGNORECASE,
)
# "... a Gaussian prior and an L2 penalty, but I can't work out how": what came before is
# named, not known; it hedges the sentence up to it
_DISOWNING = re.compile(
    r"\b(but|though|although)\b,? (i )?(honestly |really |just )?(can'?t|cannot|couldn'?t|"
    r"don'?t|do not|no longer) (quite |fully |really )?(remember|recall|work out|reconstruct|"
    r"derive|explain|figure out|see) (how|why|it|that|where|when)\b",
    re.IGNORECASE,
)
# a hedge with at most this many other words in its clause ("I'm not sure.") trails a claim
TRAILING_HEDGE_WORDS = 2


@dataclass(frozen=True)
class Polarity:
    """Where in one sentence statements are negated or hedged."""

    text: str
    negations: tuple[tuple[int, int], ...]  # each cue's (start, end of its clause)
    hedges: tuple[tuple[int, int], ...]  # each hedged stretch (start, end)
    # everything before this offset was taken back ("..., no wait, ...")
    retracted_before: int = 0
    # words put right in the same breath: "sort them by their ends, no, by their starts" takes
    # back "by their ends, no," and keeps "sort them" (each (start, end))
    corrected: tuple[tuple[int, int], ...] = ()
    # each "not just" or "not only" (start, end of its clause)
    restrictions: tuple[tuple[int, int], ...] = ()

    def negated(self, start: int, end: int, phrase: str | None = None) -> bool:
        """True when a negation cue before [start, end) governs the words in that span, or one
        inside it stops short of its end ("say no to it, a false negative" does not say "no
        false negatives"), or the speaker took the words back. Given the phrase the span
        matched, a cue inside the span counts only when the phrase has one of its own, and the
        phrase's own words do not end its scope ("doesn't collapse because the augmentations"
        is one claim; "when the store can't be reached I would let traffic through" denies
        nothing of "let traffic through when the store is down"), nor does a scope that ends
        where it ends in the phrase read alone ("don't complain it's working")."""
        if start < self.retracted_before:
            return True
        if any(s <= end - 1 < e for s, e in self.corrected):
            return True  # its last words were put right: "by their ends, no, by their starts"
        own = _own_words(phrase or "")
        if own & _RESTRICTORS and self.restricted(start):
            return True  # "I would not only report accuracy" is not "only report accuracy"
        # a phrase that denies by itself ("nothing points to the object anymore") matched
        # without its denial word: the denial said just before in other words ("nobody points
        # to the object") is the phrase's own
        denies = bool(_NEGATION.search(phrase or "")) and not any(
            start <= cue < end for cue, _ in self.negations
        )
        for cue, scope_end in self.negations:
            if cue < start < scope_end:
                if denies and len(_WORD.findall(self.text[cue:start])) <= 1:
                    continue
                return True
            if not start <= cue < end or scope_end >= end:
                continue
            if phrase is None:
                return True
            found = _NEGATION.match(self.text, cue)
            said = _NEGATION.search(phrase)
            stop = _negation_end(self.text, found, own) if found else end
            if found and said and stop < end:
                # the phrase's own denial stops at the same word: "don't complain it's working"
                # denies the complaints, not what follows them (not so "don't complain when
                # it's working")
                denied = _WORD.findall(self.text[cue:stop])
                if denied == _WORD.findall(phrase[said.start() : _negation_end(phrase, said, own)]):
                    continue
                return True
        return False

    def restricted(self, start: int) -> bool:
        """True when the words at `start` follow "not just" or "not only" in their clause: said,
        as not all there is ("I wouldn't just report accuracy, I'd add recall")."""
        return any(cue < start < scope_end for cue, scope_end in self.restrictions)

    def refuted_after(self, end: int) -> bool:
        """True when the rest of the clause after `end` denies it ("... can never help")."""
        rest = self.text[end : _clause_end(self.text, end)]
        # a clause of its own starts at a new subject: "since eval disables gradients there is
        # nothing else to wrap" denies nothing of what eval does
        rest = next(
            (
                self.text[end : found.start()]
                for found in _NEW_SUBJECT.finditer(self.text, end, end + len(rest))
                if _new_subject(self.text, 0, found.start(), words=1)
            ),
            rest,
        )
        return _REFUTING.search(rest) is not None or any(
            end <= cue < end + len(rest) and not _QUALIFYING.match(self.text, cue)
            for cue, _ in self.negations
        )

    def given_up(self, end: int) -> bool:
        """True when the words ending at `end` are given up right after ("ok greedy fails",
        "sorting first doesn't work here"), not proposed."""
        return _GIVEN_UP.match(self.text, end) is not None

    def dismissed(self, end: int) -> bool:
        """True when the words ending at `end` are waved away right after ("sharding isn't
        necessary here", "a cache would be overkill"), with no condition that reasons about
        them ("not needed until ...")."""
        return _DISMISSED.match(self.text, end) is not None

    def attributed(self, start: int) -> bool:
        """True when the words at `start` report what others claim ("people say ...")."""
        cues = [m.end() for m in _ATTRIBUTED.finditer(self.text, 0, start)]
        return bool(cues) and self.one_clause(cues[-1], start)

    def checked(self, start: int) -> bool:
        """True when the words at `start` are what the speaker would check, not claim: "I'd
        check whether we tune on the test set", "verify that nobody picked the best seed"."""
        found = [m.end() for m in _CHECKS_WHETHER.finditer(self.text, 0, start)]
        # "to see if a model is good I'd just look at its accuracy": what follows "I'd" is said
        return (
            bool(found)
            and self.one_clause(found[-1], start)
            and _CONSEQUENT.search(self.text, found[-1], start) is None
        )

    def supposed(self, start: int, end: int | None = None) -> bool:
        """True when the words at `start` (up to `end`) are in a clause that supposes ("if you
        ...") and say nothing of what follows from it."""
        cues = [m.end() for m in _SUPPOSING.finditer(self.text, 0, start)]
        if not cues or not self.one_clause(cues[-1], start):
            return False
        return self._consequent(cues[-1], start, end) is None

    def consequent_start(self, start: int, end: int | None = None) -> int | None:
        """Where the consequent begins when the words at `start` (up to `end`) follow a
        condition in their clause with no comma ("if it beats the benchmark I'd expect that to
        show up" -> "I'd expect ..."); else None."""
        cues = [m.end() for m in _SUPPOSING.finditer(self.text, 0, start)]
        if not cues or not self.one_clause(cues[-1], start):
            return None
        return self._consequent(cues[-1], start, end)

    def _consequent(self, cue: int, start: int, end: int | None) -> int | None:
        """Where the consequent of the condition opened at `cue` begins, up to the words at
        `start` (to `end`), or None when they are all still the condition."""
        # "if two keys collide I think the newer one overwrites": the consequent is asserted;
        # its marker may be the words at `start` ("if it comes out at 0.04 that proves ...") or
        # inside the words: "if it underfits I'd add more regularisation" prescribes
        word = _WORD.match(self.text, start)
        until = max(end or 0, word.end() if word else start)
        begins = []
        marker = _CONSEQUENT.search(self.text, cue, until)
        if marker is not None:
            then = marker.group(1).lower() == "then"
            begins.append(marker.end() + 1 if then else marker.start(1))
        # "if the model underfits, more data is the fix": the comma that closes the condition
        comma = self.text.find(",", cue, until)
        if comma >= 0 and self.one_clause(cue, comma) and len(self.text[cue:comma].split()) <= (
            CONDITION_WORDS
        ):
            begins.append(comma + 1)
        begins += [
            found.start() + 1
            for found in _NEW_SUBJECT.finditer(self.text, cue, until)
            if _new_subject(self.text, cue, found.start())
            or _elliptical(self.text, cue, found.start())
        ]
        return min(begins, default=None)

    @property
    def retracts_previous(self) -> bool:
        """True when the sentence opens by taking back the one before ("No wait, ...")."""
        return _opening_retraction(self.text) is not None

    def one_clause(self, start: int, end: int, phrase: str = "") -> bool:
        """True when [start, end) does not cross a clause boundary (a claim is made in one); a
        connective, a comma or a bracket the phrase itself says ("the left child is smaller and
        the right child is bigger", "no queue, the providers are fast") joins rather than
        ends."""
        own = _own_words(phrase)
        # a list literal the phrase itself says ("prints [1] and then [2]") is one word: its
        # brackets and commas end nothing; another ("[1, 2]" for "[2]") still ends the clause
        said = _squashed(phrase)
        literals = [
            m.span() for m in _LIST_LITERAL.finditer(self.text) if _squashed(m.group()) in said
        ]
        return not any(
            self._ends_clause(found, own)
            and not any(s <= found.start() < e for s, e in literals)
            for found in _CLAUSE_END.finditer(self.text, start, end)
        )

    def said_of(self, at: int, names: Sequence[re.Pattern[str]]) -> bool:
        """True when the words at `at` describe a thing named before them in their part of the
        sentence (since its start or a semicolon), and the speaker does not make it theirs:
        "Post-LN, the original Transformer, normalises after adding the residual; ...",
        "Unlike BatchNorm, which would normalize over the batch axis, ..." (not "I'd use
        post-LN, which normalises after adding")."""
        semicolon = self.text.rfind(";", 0, at)
        part = self.text[semicolon + 1 : at]
        if _SPEAKER.search(part) is not None:
            return False
        ends = [m.end() for name in names for m in name.finditer(part)]
        # the thing named last is what the words describe: not "post-LN aside, GPT-2 ..."
        return bool(ends) and not any(len(w) > 1 for w in _NAMING.findall(part, max(ends)))

    @cached_property
    def _words_with_brackets(self) -> tuple[tuple[int, int], ...]:
        """The spans of "O(n log n)" and of calls ("pop(0)"): their brackets end no clause."""
        inside = [m.span() for m in _BIG_O.finditer(self.text)]
        return (*inside, *(m.span() for m in _CODE_BRACKETS.finditer(self.text)))

    def clause_start(self, at: int) -> int:
        """Where the clause holding offset `at` begins, past a joining "and", "but" or "so":
        what a quote of the words at `at` starts from."""
        ends = [m.end() for m in _CLAUSE_END.finditer(self.text, 0, at) if self._ends_clause(m)]
        start = ends[-1] if ends else 0
        joined = _JOINING.match(self.text, start)
        return joined.end() if joined and joined.end() <= at else start

    def _ends_clause(self, found: re.Match[str], own: frozenset[str] = frozenset()) -> bool:
        """True when a boundary found by _CLAUSE_END ends a clause here: not a connective the
        phrase says itself, nor the brackets of "O(n log n)" or of a call ("pop(0)"), nor the
        comma of a correlative, of a cost or a definition, of a fronted topic, nor the next step
        of one plan."""
        return (
            found.group().strip().lower() not in own
            and not any(s <= found.start() < e for s, e in self._words_with_brackets)
            and not self._correlative(found.start())
            and not self._costs_it(found.start())
            and not self._fronted(found)
            and not _NEXT_STEP.match(self.text, found.start())
        )

    def _fronted(self, boundary: re.Match[str]) -> bool:
        """True for the colon after a topic put first ("classifier-free guidance: you train a
        separate classifier"): a few words naming a thing, with no verb of their own."""
        if boundary.group() != ":":
            return False
        topic = self.text[_clause_start(self.text, boundary.start()) : boundary.start()].split()
        return 0 < len(topic) <= FRONTED_WORDS and not any(
            _VERBISH.fullmatch(w.strip(".,;!?\"'()").lower()) for w in topic
        )

    def _costs_it(self, boundary: int) -> bool:
        """True for a boundary that opens the cost of what was just said ("every pair, which is
        O(n)", "checking every pair and that's big o of n") or says what it is ("word error
        rate, which is one minus accuracy")."""
        return bool(_COST_OF_IT.match(self.text, boundary) or _DEFINES.match(self.text, boundary))

    def _correlative(self, comma: int) -> bool:
        """True for the comma between the halves of "the more ..., the lower ..."."""
        return bool(
            _CORRELATIVE_CLOSER.match(self.text, comma)
            and _CORRELATIVE_OPENER.search(self.text, 0, comma)
        )

    def hedged(self, start: int, end: int) -> bool:
        """True when the span lies in a hedged stretch of the sentence."""
        return any(s <= start < e or s < end <= e for s, e in self.hedges)


def _new_subject(text: str, since: int, subject: int, words: int = ANTECEDENT_WORDS) -> bool:
    """True when the pronoun at `subject` starts a clause of its own after the clause that goes
    on from `since`: that one has `words` words or more ("if" + subject and verb; "nothing"
    + verb), and the word just before the pronoun does not take a clause ("think it", "let
    it")."""
    before = _WORD.findall(text[since:subject].lower())
    return len(before) >= words and before[-1] not in _TAKES_A_CLAUSE


# an antecedent of one word with no verb, a state ("if unreachable I return 0", "if empty it
# returns None", "if needed we shard"); not an adverb that goes on to the antecedent's own
# subject ("if only we had", "if indeed we", "if instead we")
_STATE = re.compile(
    r"(?!indeed$|need$|instead$)(?:\w+(?:able|ible|ed|ent|ive|ous|less)|empty|null|none|"
    r"missing|full|zero|invalid|valid|absent|true|false|infinite|unset|not)",
    re.IGNORECASE,
)


def _elliptical(text: str, since: int, subject: int) -> bool:
    """True when the pronoun at `subject` follows an antecedent of a single word that names a
    state: the consequent starts there."""
    before = _WORD.findall(text[since:subject])
    return len(before) == 1 and _STATE.fullmatch(before[0]) is not None


_LIST_LITERAL = re.compile(r"\[[^\[\]\n]{0,40}\]")


def _squashed(text: str) -> str:
    return "".join(text.split()).lower()


# a comma, a colon or a bracket a phrase says itself joins its words, as its connectives do
_OWN_MARKS = re.compile(r"[,;:()]")


def _own_words(phrase: str) -> frozenset[str]:
    """The phrase's words, lowercased, and the clause marks it says itself."""
    return frozenset(w.lower() for w in _WORD.findall(phrase)) | set(_OWN_MARKS.findall(phrase))


def _negation_end(text: str, cue: re.Match[str], own: frozenset[str] = frozenset()) -> int:
    """Where a negation stops: its clause's end (a connective among `own`, the words of the
    phrase read, joins rather than ends); "instead of X" and "rather than X" deny only X,
    up to the next "and" or speaker ("ran twenty hours instead of four and search was degraded",
    "rather than k-fold I'd do a rolling backtest")."""
    end = _clause_end(text, cue.end(), own)
    apart = _TOLD_APART.search(text, cue.end(), end)
    if apart:
        return apart.end()
    if _ALTERNATIVE.match(cue.group()):
        joined = _NEXT_PART.search(text, cue.end(), end)
        if joined:
            return joined.start()
    # a new subject with its verb starts a clause of its own, as a comma would: "to check we
    # didn't lose quality I'd compare ...", "i don't think we need to sort anything we can
    # just keep a hash map" (not "don't think we need": what is thought is denied)
    for found in _NEW_SUBJECT.finditer(text, cue.end(), end):
        if _new_subject(text, cue.end(), found.start(), words=1):
            return found.start()
    # a spoken pause before a new start: "i'm not gonna do the brute force uh what i'd do is ..."
    paused = _PAUSE.search(text, cue.end(), end)
    return paused.start() if paused else end


# telling apart denied: what it is told from is named, not denied ("a single run can't tell a
# real gap from seed variance")
_TOLD_APART = re.compile(
    r"\b(?:tell|distinguish|differentiate|separate|disentangle)\b[^,;]{1,60}?\bfrom\b", re.I
)
_PAUSE = re.compile(
    r"\s(?:uh+|um+|erm?|uhm)\s+(?=(?:what|so|then|i|we|you|it|they|instead|actually)\b)", re.I
)
# a negation that heads a phrase qualifying what was just said, not a denial of it: "creates a
# fresh list each time you call it without passing one", "swaps them with no lock"
_QUALIFYING = re.compile(
    r"(?:without|instead of|rather than|as opposed to)\b"
    + "".join(
        rf"|(?<=\b{p} )(?:no|none|nothing)\b"
        for p in ("with", "for", "in", "at", "on", "of", "from", "to", "by", "under")
    ),
    re.IGNORECASE,
)
_ALTERNATIVE = re.compile(r"instead of|rather than|as opposed to", re.IGNORECASE)
# what follows the alternative denied: "... and ...", "rather than k-fold I'd do a backtest"
_NEXT_PART = re.compile(r"\s(?:and|or|i|i'?d|i'll|i would|we|we'?d|we'll|we would)\s", re.I)


def _clause_end(text: str, after: int, own: frozenset[str] = frozenset()) -> int:
    for found in _CLAUSE_END.finditer(text, after):
        if found.group().strip().lower() not in own:
            return found.start()
    return len(text)


def _clause_start(text: str, before: int, boundary: re.Pattern[str] = _CLAUSE_END) -> int:
    starts = [m.end() for m in boundary.finditer(text, 0, before)]
    return starts[-1] if starts else 0


def _hedge_scope(text: str, cue: re.Match[str]) -> tuple[int, int]:
    """The hedge's clause; a hedge nearly alone in its clause ("a heap, maybe", "a heap, I'm
    not sure") trails a claim and hedges back to the last contrast."""
    start, end = _clause_start(text, cue.start()), _clause_end(text, cue.end())
    rest = text[start : cue.start()] + " " + text[cue.end() : end]
    if start and len(_WORD.findall(rest)) <= TRAILING_HEDGE_WORDS:
        start = _clause_start(text, start, _CONTRAST)
    return start, end


def _opening_retraction(sentence: str) -> int | None:
    """Where the retraction a sentence opens with ends ("Hmm, actually no, forget the heap"),
    or None when it opens with none."""
    end = None
    starts = _openings(sentence)
    while starts:  # cues may follow each other: "actually no, forget the heap"
        found = next(
            (
                m
                for start in starts
                for cue in (_RETRACTION, _OPENING_RETRACTION)
                if (m := cue.match(sentence, start))
            ),
            None,
        )
        if found is None:
            break
        end = found.end()
        gap = _SEPARATOR.match(sentence, end)
        starts = _openings(sentence, gap.end() if gap else end)
    return end


def _openings(sentence: str, start: int = 0) -> list[int]:
    """Where a sentence's words begin past its fillers: "actually no" is a cue of its own, and
    "actually, scratch that" opens with a filler."""
    start += len(sentence[start:]) - len(sentence[start:].lstrip(" \t\"'(-"))
    fillers = _INTERJECTIONS.match(sentence, start)
    start = fillers.end() if fillers else start
    bare = _ACTUALLY.match(sentence, start)
    return [start, bare.end()] if bare else [start]


def polarity(sentence: str, *, checks_in: bool = False) -> Polarity:
    """The negated and hedged stretches of one sentence. A question is a guess, unless it checks
    in with the listener ("Does that level of detail work for you?"), which doubts nothing."""
    negations = tuple(
        (cue.start(), _negation_end(sentence, cue)) for cue in _NEGATION.finditer(sentence)
    )
    restrictions = tuple(
        (cue.start(), _negation_end(sentence, cue)) for cue in _RESTRICTION.finditer(sentence)
    )
    hedges = [
        _hedge_scope(sentence, cue)
        for cue in _HEDGE.finditer(sentence)
        if not (cue.group().endswith(" be") and _POSSIBILITIES.match(sentence, cue.end()))
    ]
    hedges += [(0, cue.start()) for cue in _DISOWNING.finditer(sentence)]
    if sentence.rstrip().endswith("?") and not checks_in:
        hedges.append((0, len(sentence)))
    retractions, corrected = _corrections(sentence)
    cues = [(m.start(), m.end()) for c in (_RETRACTION, _CORRECTION) for m in c.finditer(sentence)]
    # the "no" of "actually no, by their starts" denies nothing after it
    negations = tuple(n for n in negations if not any(s <= n[0] < e for s, e in cues))
    opening = _opening_retraction(sentence)
    if opening is not None:  # "forget the heap, ...": the cue's own words are taken back too
        retractions.append(opening)
    return Polarity(
        text=sentence,
        negations=negations,
        hedges=tuple(hedges),
        retracted_before=max(retractions) if retractions else 0,
        restrictions=restrictions,
        corrected=corrected,
    )


# a slip put right mid-sentence, softly: "..., sorry, I mean the larger one", "..., or rather
# ..."; read only when what follows replaces words said just before (see `_corrections`)
_CORRECTION = re.compile(
    r"(?<=[,;]) *(?:(?:sorry|oops|sorry,? i mean|i mean|i meant|or rather|or i should say)\b"
    r"[,:]?\s*)+",
    re.IGNORECASE,
)
# the words a correction opens with that say which words it replaces: "by their starts" puts
# right the last "by ..." said before it
_REPLACES = frozenset(
    "by with to in on at from for into onto over under the a an of using via than".split()
)
_LEADING = re.compile(r"[\s,;:.!-]*(?:(?:sorry|i mean|i meant)\b[,:]?\s*)*", re.IGNORECASE)


def _corrections(sentence: str) -> tuple[list[int], tuple[tuple[int, int], ...]]:
    """Where a sentence takes back all it said before (each retraction's start), and the
    stretches it puts right in place ("sort them by their ends, actually no, by their starts":
    from the replaced "by" to the cue's end). A soft cue ("sorry, I mean") that replaces no
    words said before it is a filler, not a retraction."""
    retractions: list[int] = []
    corrected: list[tuple[int, int]] = []
    for cue, hard in ((_RETRACTION, True), (_CORRECTION, False)):
        for found in cue.finditer(sentence):
            if not found.start():
                continue
            lead = _LEADING.match(sentence, found.end())
            rest = sentence[lead.end() if lead else found.end() :]
            first = _WORD.match(rest)
            word = first.group().lower() if first else ""
            before = [
                m.start()
                for m in re.finditer(rf"\b{re.escape(word)}\b", sentence[: found.start()], re.I)
            ]
            if word in _REPLACES and before:
                corrected.append((before[-1], lead.end() if lead else found.end()))
            elif hard:
                retractions.append(found.start())
    return retractions, tuple(corrected)

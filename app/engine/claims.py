"""Wrong claims: a key point's wrong version said as a claim, linear time claimed for a double
loop, a wrong cost for the whole solution once its approach is on the table, and a figure of the
question said back at another size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from app.content.models import WrongVersion
from app.engine.arithmetic import arithmetic_claims
from app.engine.asked import asking_units, assumptions_asked
from app.engine.assessment import Claim, ItemStatus
from app.engine.complexity import NOTE, linear_claim, nested_earlier, nested_here
from app.engine.evidence import AnswerUnit, answer_units
from app.engine.figures import (
    COMPLEXITY_CHALLENGE,
    complexity_claim,
    figure_claims,
    given_figures,
    mentions_cost,
    mentions_figure,
)
from app.engine.hits import Hit, find_hits, strongest
from app.engine.matching import find_phrase, phrase_tokens, spans
from app.engine.quotes import QUOTE_CHARS
from app.engine.text import units
from app.engine.topics import Topic
from app.engine.trend import trend_claims

# a wrong version written as code: an assignment, a matrix product, an index or a call
# ("dw = dy.t @ x", "return dp[n - 1]", "np.log(sigmoid(z))"); not "==" nor a big-O
_CODE_SHAPED = re.compile(r"(?<![=!<>])=(?!=)|@|\b(?!o\()\w+[\[(]")


# a word that makes what follows it a condition or a reason of the words before it: a wrong
# version's words on both sides of one are two statements ("more data reduces variance when the
# bias is already low" does not say "more data reduces bias")
_SUBORDINATE = re.compile(
    r"\b(?:when|whenever|if|unless|because|since|while|whereas|although|though|once|until)\b",
    re.IGNORECASE,
)


def _subordinated(hit: Hit) -> bool:
    """True when the hit's words run across a subordinating word the phrase does not say."""
    own = {w.lower() for w in re.findall(r"[\w']+", hit.phrase)}
    said = hit.evidence.unit.text[hit.start : hit.end]
    return any(found.lower() not in own for found in _SUBORDINATE.findall(said))


def _claimed(hit: Hit, *, one_claim: bool = True) -> bool:
    """A wrong version counts when it is said in prose, or written in code when it is code
    itself (a prose version's words on a code line are no claim), not denied before or after
    ("moving the taller one can never help"), not supposed ("if you ..."), not reported as
    someone else's ("people say ..."), not said as not all there is ("I wouldn't just report
    accuracy"), within one clause and not across a "when" or "because" of its own."""
    evidence = hit.evidence
    kind = evidence.unit.kind
    return (
        (kind == "prose" or (kind == "code" and _CODE_SHAPED.search(hit.phrase) is not None))
        and not hit.negated
        and (not one_claim or _one_claim(hit))
        and not _subordinated(hit)
        and not evidence.polarity.refuted_after(hit.end)
        and not evidence.polarity.supposed(hit.start, hit.end)
        and not evidence.polarity.checked(hit.start)
        and not evidence.polarity.attributed(hit.start)
        and not evidence.polarity.restricted(hit.start)
    )


# the subject of a clause of its own that stands for the thing named just before it: "I'd
# report ROC AUC here, it gives a fair picture", "more data reduces variance, but it also ..."
_SAID_OF_IT = re.compile(
    r",\s+(?:(?:but|and|so)\s+)?(?:it|this|that)(?:'s)?\s+(?:(?:also|still|really|just)\s+)?",
    re.I,
)

_ALSO = re.compile(r"\b(?:also|still)\b", re.I)
_COMPARED = re.compile(r"\b(?:than|over|versus|vs|unlike|instead of|rather than)\b", re.I)


# a condition that opens its sentence: "if the model underfits, ...", "when it underfits, ..."
_CONDITION = re.compile(
    r"^\W*(?:(?:so|and|but|well|ok(?:ay)?|honestly),?\s+)*(?:if|when|whenever|once)\b", re.I
)


def _across_condition(hit: Hit) -> bool:
    """True when the wrong version runs from a condition that opens the sentence over the comma
    that closes it into what follows ("if the model underfits, more data is the fix" says
    "underfits: more data is the fix"), each side one clause."""
    reading, text = hit.evidence.polarity, hit.evidence.unit.text
    comma = text.find(",", hit.start, hit.end)
    start = reading.clause_start(hit.start)
    return (
        comma >= 0
        and _CONDITION.match(text[start:comma]) is not None
        and reading.consequent_start(hit.start, hit.end) in (None, comma + 1)
        and reading.one_clause(hit.start, comma, hit.phrase)
        and reading.one_clause(comma + 1, hit.end, hit.phrase)
    )


def _one_claim(hit: Hit) -> bool:
    """True when the wrong version's words make one claim: in one clause, or the next clause
    says the rest of them of "it", the last thing the words before it name ("ROC AUC here, it
    gives a fair picture"; not "ROC AUC is misleading here, it gives ...")."""
    reading = hit.evidence.polarity
    if reading.one_clause(hit.start, hit.end, hit.phrase) or _across_condition(hit):
        return True
    said_of = _SAID_OF_IT.search(hit.evidence.unit.text, hit.start, hit.end)
    if said_of is None:
        return False
    text = hit.evidence.unit.text
    named = {t for t, s, _ in spans(text) if hit.start <= s < said_of.start()}
    return (
        named <= set(phrase_tokens(hit.phrase))
        # "PR is better than ROC AUC, it gives ...": "it" is the first of the two
        and _COMPARED.search(text, reading.clause_start(hit.start), hit.start) is None
        and reading.one_clause(hit.start, said_of.start(), hit.phrase)
        and reading.one_clause(said_of.end(), hit.end, hit.phrase)
    )


def _said_of_subject(evidence: Sequence[AnswerUnit], phrases: Sequence[str]) -> list[Hit]:
    """A wrong version whose first words are the subject a clause opens with and whose other
    words open the next clause, said of it through "it": "More training data reduces variance,
    but it also fixes high bias" says "more data fixes high bias" ("also" or "still" says the
    subject is the same). Each part in order with at most CLAIM_GAP other words, the subject
    from its clause's first or second word ("adding more data"), the rest from the first word
    after the pronoun: "more data reduces variance, and it also leaves high bias" does not say
    "more data fixes | high bias"."""
    found = []
    for piece in evidence:
        if piece.unit.kind != "prose":
            continue
        text, reading = piece.unit.text, piece.polarity
        for said_of in _SAID_OF_IT.finditer(text):
            # "..., but it also fixes high bias" says more of the same subject; "ROC AUC is
            # misleading here, it gives a fair picture only when ..." need not
            if _ALSO.search(said_of.group()) is None:
                continue
            begin = reading.clause_start(said_of.start())
            head = [i for i, (s, _) in enumerate(piece.offsets) if begin <= s < said_of.start()]
            tail = [i for i, (s, _) in enumerate(piece.offsets) if s >= said_of.end()]
            if len(head) < 2 or not tail:
                continue
            for phrase in phrases:
                words = phrase.split()
                for cut in range(1, len(words)):
                    subject, rest = " ".join(words[:cut]), " ".join(words[cut:])
                    if len(phrase_tokens(rest)) < 2:
                        continue
                    said = find_phrase([piece.tokens[i] for i in head], subject, every_word=True)
                    then = find_phrase([piece.tokens[i] for i in tail], rest, every_word=True)
                    # the subject opens its clause and the clause says more of it after
                    if said is None or said.start > 1 or said.end >= len(head):
                        continue
                    if then is None or then.start > 0:
                        continue
                    start = piece.offsets[head[said.start]][0]
                    end = piece.offsets[tail[then.end - 1]][1]
                    first = piece.offsets[tail[then.start]][0]
                    if not reading.one_clause(first, end, phrase):
                        continue
                    negated = reading.negated(first, end, phrase) or reading.negated(
                        start, piece.offsets[head[said.end - 1]][1]
                    )
                    hedged = reading.hedged(first, end)
                    found.append(Hit(piece, start, end, negated, hedged, True, phrase))
                    break
    return found


def wrong_hits(
    topic: Topic, evidence: Sequence[AnswerUnit]
) -> dict[str, tuple[Hit, WrongVersion]]:
    """Per key point, the first wrong version said as a claim, with the version."""
    found: dict[str, tuple[Hit, WrongVersion]] = {}
    for point in topic.key_points:
        for version in point.wrong:
            hits = find_hits(evidence, version.phrases, every_word=True)
            named = _variant_names(version.note)
            said = (h for h in hits if _claimed(h))
            if not any(_claimed(h) for h in hits):
                split = _said_of_subject(evidence, version.phrases)
                said = (h for h in split if _claimed(h, one_claim=False))
            wrong = next((h for h in said if not h.evidence.polarity.said_of(h.start, named)), None)
            if wrong is not None:
                found[point.id] = (wrong, version)
                break
    return found


# a wrong version's note that names what the wrong words describe: "That is BatchNorm; ...",
# "That is the post-LN layout of the original Transformer; ..."
_THAT_IS = re.compile(r"^(?:that|this) (?:is|'s) (?:the |a |an )?(?P<name>[^;.(]+)", re.I)
# a word of such a name that names on its own: "post-LN", "Transformer", "BatchNorm"
_NAMING_WORD = re.compile(r"[\w-]*(?:[A-Z0-9]|\w-\w)[\w-]*")


@lru_cache(maxsize=1024)
def _variant_names(note: str) -> tuple[re.Pattern[str], ...]:
    """The names of the other design a wrong version's note says the wrong words describe:
    the whole name and each of its words that names on its own, as whole words ("classifier
    guidance" is not "classifier-free guidance")."""
    found = _THAT_IS.match(note.strip())
    if found is None:
        return ()
    name = found.group("name").strip(" ,")
    names = {name, *(w for w in _NAMING_WORD.findall(name) if len(w) > 1)}
    return tuple(
        re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w-])", re.IGNORECASE) for n in sorted(names)
    )


def _overlaps(quote: str, claim: str) -> bool:
    """True when one quote holds the other (a point quoted from the clause of a claim)."""
    return quote in claim or claim.rstrip(" .") in quote


def complexity_claims(
    topic: Topic,
    text: str,
    earlier: Sequence[str],
    evidence: Sequence[AnswerUnit],
    key_points: list[ItemStatus],
    claims: list[Claim],
) -> tuple[list[ItemStatus], list[Claim]]:
    """Linear time claimed for a double loop (here, or in the code written earlier when this
    message describes no other approach) is a wrong claim about the complexity point."""
    target = _complexity_point(topic)
    other = any(k.status == "covered" and k.id != target for k in key_points)
    if not (nested_here(text) or (nested_earlier(text, earlier) and not other)):
        return key_points, claims
    quote = linear_claim(text, ((e.unit.text, e.polarity) for e in evidence))
    if quote is None:
        return key_points, claims
    claims = [*claims, Claim(quote=quote[:QUOTE_CHARS], note=NOTE, key_point=target)]
    key_points = [
        ItemStatus(id=k.id, status="wrong", quote=quote[:QUOTE_CHARS]) if k.id == target else k
        for k in key_points
    ]
    return key_points, claims


def restated(
    topic: Topic,
    earlier: Sequence[str],
    evidence: Sequence[AnswerUnit],
    key_points: list[ItemStatus],
    claims: list[Claim],
) -> tuple[list[ItemStatus], list[Claim]]:
    """A wrong cost for the whole solution once its approach was described, a figure of the
    question said back at another size, an amount at a rate said to take a time far off
    (`arithmetic`), and a change said to go the way its figures do not (`trend`), are wrong
    claims."""
    said = [(e.unit.text, e.polarity) for e in evidence if e.unit.kind == "prose"]
    target = _complexity_point(topic)
    costed = topic.expected_complexity and any(mentions_cost(text) for text, _ in said)
    if costed and (target is None or not any(c.key_point == target for c in claims)):
        approach = _approach_said(topic, evidence, earlier)
        found = complexity_claim(topic.expected_complexity, said, approach_covered=approach)
        if found is not None:
            sentence, _, note = found
            point = next((p for p in topic.key_points if p.id == target), None)
            quote = sentence[:QUOTE_CHARS]
            # the point's own push-back when the point is the cost; one found by a linear-time
            # phrase is about its approach ("do the buckets need sorting?" to a heap's total)
            own = point.challenge if point is not None and "complexity" in point.id else None
            claims = [
                *claims,
                Claim(
                    quote=quote,
                    note=note,
                    key_point=target,
                    challenge=None if own else COMPLEXITY_CHALLENGE,
                ),
            ]
            key_points = [
                ItemStatus(id=k.id, status="wrong", quote=quote) if k.id == target else k
                for k in key_points
            ]
    if not any(mentions_figure(text) for text, _ in said):
        return key_points, claims
    slips = arithmetic_claims(text for text, _ in said)
    # "errors dropped from 2% to 5%": no result until the candidate says which way it went
    turned = trend_claims(text for text, _ in said)
    key_points = [
        ItemStatus(id=k.id, status="not_addressed")
        if k.status == "covered" and k.quote and any(_overlaps(k.quote, c.quote) for c in turned)
        else k
        for k in key_points
    ]
    return key_points, [*claims, *figure_claims(_heard(topic, earlier), said), *slips, *turned]


def _heard(topic: Topic, earlier: Sequence[str]) -> list[tuple[float, str, str | None]]:
    """The figures the candidate was given: the prompt's, and those of the assumptions their
    earlier questions on this question were answered with."""
    asked = {i for text in earlier for i in assumptions_asked(topic, asking_units(units(text)))}
    answers = [topic.assumptions[i].answer for i in sorted(asked)]
    return [*topic.givens, *given_figures(answers)]


def _approach_said(topic: Topic, evidence: Sequence[AnswerUnit], earlier: Sequence[str]) -> bool:
    """Whether the solution the expected cost belongs to is on the table: code was written,
    or the heaviest key point (the approach) is covered, in this message or an earlier one."""
    if not topic.key_points:
        return False
    point = max(topic.key_points, key=lambda p: p.weight)
    pieces = [*evidence, *(u for text in earlier for u in answer_units(text)[0])]
    if any(p.unit.kind == "code" for p in pieces):
        return True
    return strongest(find_hits(pieces, (*point.phrases, *point.paraphrases)))[0] == "covered"


def _complexity_point(topic: Topic) -> str | None:
    """The key point that states the time complexity: the one named so, else the one a phrase
    of which says O(n) or linear."""
    named = next((p.id for p in topic.key_points if "complexity" in p.id), None)
    if named is not None:
        return named
    for point in topic.key_points:
        words = {w for p in point.phrases for w in phrase_tokens(p)}
        if words & {"o(n)", "linear"}:
            return point.id
    return None

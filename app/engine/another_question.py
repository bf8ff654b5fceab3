"""Whether an answer is this question's: on its topic, under way, or the answer to another
question (another problem's words, a sibling question's key points, another story).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from app.content.models import RoundSpec
from app.engine.evidence import AnswerUnit, answer_units
from app.engine.hits import find_hits, strongest
from app.engine.matching import phrase_tokens, tokens
from app.engine.topics import EVERYDAY, Topic

# an answer to another problem: most of its words are foreign to this question
FOREIGN_WORDS = 4
FOREIGN_SHARE = 0.6
# words of the question's statement an answer must use to be about it: one ("score", "posts")
# is shared by many problems of a round
STATED_WORDS = 2


@lru_cache(maxsize=64)
def _generic(spec: RoundSpec) -> frozenset[str]:
    """The round's generic checklist words ("api", "table", "cache"): every question's."""
    return frozenset(
        t for s in spec.checklist for p in (*s.phrases, *s.paraphrases) for t in tokens(p)
    )


@lru_cache(maxsize=1024)
def _stated(title: str, prompt: str, spec: RoundSpec) -> frozenset[str]:
    """The words of a question's statement beyond the round's generic checklist words."""
    return frozenset(tokens(f"{title} {prompt}")) - _generic(spec)


# points of another question of the round an answer must make to be that question's answer
SIBLING_POINTS = 2
SIBLING_PHRASES = 3


def sibling_answer(topic: Topic, evidence: Sequence[AnswerUnit]) -> bool:
    """True when the answer, touching none of this question's key points, makes two or more of
    another question's in that question's own words (L2's penalty, its gradient and its prior,
    asked about dropout, answer "L1 vs L2", though they share "overfitting" with this one), or
    one of them in three of its words (a random forest's bootstrap samples, random feature
    subsets and averaging, asked what a language model is). Never where the candidate picks the
    subject ("an idea you were sure would work"): an ASR story is then this question's answer,
    whatever the ASR question's key points are."""
    if topic.any_subject:
        return False
    for points in topic.siblings:
        made = [
            hits
            for phrases in points
            if strongest(hits := find_hits(evidence, phrases))[0] == "covered"
        ]
        phrases = {h.phrase for hits in made for h in hits}
        if len(made) >= SIBLING_POINTS or len(phrases) >= SIBLING_PHRASES:
            return True
    return False


# words of a title that name no subject of it ("does not reproduce", "why dropout?")
_NOT_A_SUBJECT = frozenset(
    {"not", "no", "nor", "never", "why", "what", "how", "which", "when", "where", "who"}
)


def names_its_scenario(topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> bool:
    """True when the prose tells the question's own scenario: two or more words of its
    statement beyond the round's generic ones, one of them of its title ("a contrastive paper
    we were 4 points below on", to a paper that does not reproduce). Another question's words
    in it are then the candidate's example ("contrastive", "linear probe"), not that answer."""
    words = {
        t
        for e in evidence
        if e.unit.kind == "prose"
        for t in e.tokens
        if t.isalpha() and len(t) > 2 and t not in EVERYDAY
    }
    shared = words & _stated(topic.title, topic.prompt, spec)
    titled = shared & _stated(topic.title, "", spec) - _NOT_A_SUBJECT
    return len(shared) >= STATED_WORDS and bool(titled)


def elsewhere(topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> bool:
    """True when the prose, touching none of the question's key points, no word of its title
    and at most one other word of its statement beyond the round's generic ones, is mostly
    words this question never uses ("sort the intervals, merge the overlapping ones" to
    two-sum): the round's generic words ("sort", "approach") make it look on topic, but it is
    not; one word of the statement ("score" in a fraud question) is shared by many problems,
    one of its title ("video") is what the question is about."""
    words = {
        t
        for e in evidence
        if e.unit.kind == "prose"
        for t in e.tokens
        if t.isalpha() and len(t) > 2 and t not in EVERYDAY
    }
    if topic.any_subject or len(words) < FOREIGN_WORDS:
        return False
    stated = _stated(topic.title, topic.prompt, spec)
    # code that defines or calls what the question names ("def logsumexp(x, axis=-1):") is an
    # answer to it, whatever the prose around it says
    coded = {t for e in evidence if e.unit.kind == "code" for t in e.tokens}
    if coded & _stated(topic.title, "", spec):
        return False
    # the round's generic words ("API", "table", "key-value store") say nothing about which
    # problem is answered: the share is of the rest
    specific = words - _generic(spec)
    foreign = specific - topic.vocabulary
    shared = words & stated
    return (
        len(shared) < STATED_WORDS
        and not shared & _stated(topic.title, "", spec)
        and len(foreign) >= FOREIGN_WORDS
        and len(foreign) >= FOREIGN_SHARE * len(specific)
        # words of another problem, not words of none ("many ways to approach it, depending on
        # the business"): a vague answer is off the question, not another question's answer
        and _another_problems(foreign, topic)
    )


def _another_problems(foreign: set[str], topic: Topic) -> bool:
    """True when the foreign words are another question's of the round (two of one question's
    key point words), or when the round's other questions are not known (a topic built alone)."""
    others = _elsewhere_words(topic)
    return not others or any(len(foreign & other) >= ELSEWHERE_WORDS for other in others)


# words of one of the round's other questions an answer must use to be that question's answer
ELSEWHERE_WORDS = 2


@lru_cache(maxsize=1024)
def _elsewhere_words(topic: Topic) -> tuple[frozenset[str], ...]:
    """Per other question of the round, the words its key points use and this question never
    does."""
    return tuple(
        frozenset(t for phrases in points for p in phrases for t in phrase_tokens(p)) - EVERYDAY
        for points in topic.siblings
    )


# fewer words, or fewer checklist parts (situation, action, result...), than this are a
# scene still being set, not a story told through yet
STORY_TOKENS = 15
STORY_PARTS = 3


def _touches(topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> bool:
    """True when the words name the question's theme or any of its key points (even negated:
    "I didn't take the feedback well" is about feedback). A key point's phrase made only of the
    round's generic words ("I learned", "shipped", "percent") says a story has a lesson or a
    result, not what it is about."""
    return bool(find_hits(evidence, (*topic.theme, *_specific_phrases(topic, spec))))


@lru_cache(maxsize=1024)
def _specific_phrases(topic: Topic, spec: RoundSpec) -> tuple[str, ...]:
    """The question's key point phrases with a word beyond the round's checklist words."""
    generic = _generic(spec)
    return tuple(
        p
        for point in topic.key_points
        for p in (*point.phrases, *point.paraphrases)
        if set(phrase_tokens(p)) - generic
    )


def answer_under_way(topic: Topic, spec: RoundSpec, earlier: Sequence[str]) -> bool:
    """Whether an answer on the question is under way: an earlier message touched it, or, in a
    behavioral round, began a story (set its scene, told a part of it), which the interviewer
    took up. A story goes on in words of its own, and is never called another one midway."""
    for said in earlier:
        told = answer_units(said)[0]
        if _touches(topic, spec, told):
            return True
        if spec.past_experience and any(
            find_hits(told, (*s.phrases, *s.paraphrases)) for s in spec.checklist
        ):
            return True
    return False


def another_story(topic: Topic, spec: RoundSpec, evidence: Sequence[AnswerUnit]) -> bool:
    """True when a behavioral story (an outage, told to "a time you received critical
    feedback") names nothing of the question's theme and none of its key points: the story
    answers another question (the caller checks nothing said before on the question did). A
    question without a theme ("pick a significant project") takes any story."""
    if not topic.theme:
        return False
    prose = [e for e in evidence if e.unit.kind == "prose"]
    return sum(len(e.tokens) for e in prose) >= STORY_TOKENS and not _touches(topic, spec, prose)


def on_topic(topic: Topic, evidence: Sequence[AnswerUnit]) -> bool:
    """True when any unit uses a word of the question's vocabulary."""
    return any(set(piece.tokens) & topic.vocabulary for piece in evidence)

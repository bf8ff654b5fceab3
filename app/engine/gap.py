"""The gap a candidate names when they ask for help, and the hint aimed at it.

"I'm stuck on how to handle duplicates, hint?" asks about the key point that handles
duplicates, not the next step of the question's ladder. Each key point's words (its text,
phrases, paraphrases, follow-up and challenge) are weighed by how few points share them, so a
word that names one point ("duplicates", "twice") counts more than one every point uses. A
ladder step is about the key point its question states (`HintStep.about`), else the one these
weights lean to (`subject_of`).
Pure text, no I/O. Weights are summed exactly (`fsum`): a sum of thirds taken in a set's
order, which changes from process to process, is 1.0 in one and 0.999... in another.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from functools import lru_cache
from math import fsum

from app.content.models import KeyPoint
from app.engine.matching import tokens
from app.engine.topics import Topic

# words of asking for help, not of the subject
REQUEST_WORDS = frozenset(
    tokens(
        """hint hints clue nudge pointer tip help stuck lost sure idea handle deal approach
        start begin please thanks sorry maybe think know get give could can bit part thing
        question problem answer case how what which why when where not no on off in am is are
        i we you me my our us it this that there like even something anything kind sort stuff
        really actually whole general still another more again else look blank blanking
        honestly focus suggest recommend"""
    )
)
# a point is named when its distinctive words add up to this (one word only it uses, or two
# it shares with one other point)
NAMED = 1.0
# a ladder hint is about a point when it shares this much of the point's distinctive weight
ABOUT = 1.0
# ... and, when it is most about another point, twice that
ALSO_ABOUT = 2 * ABOUT
# a question sharing this share of its own words with the one just asked is that question again
SAME_QUESTION = 0.5
# a challenge about the candidate's own version of the point ("your structure", "your heap"),
# not about their solution as a whole ("your version", "your code")
_PRESUMES = re.compile(
    r"(^|[.?!] )You (?!(would|could|can|should|might|may|have|need|want|are|get)\b)|"
    r"\byour (?!(version|code|solution|approach|answer|design|plan|function|implementation|"
    r"program|algorithm|example|numbers|system|model|story)\b)\w+",
    re.IGNORECASE,
)


def _words_of(point: KeyPoint, topic: Topic) -> set[str]:
    # not the nudge: it is given by its point, never found by its words, and its everyday words
    # ("step", "after", "one") would move the ladder's steps to other points
    follow_ups = [f.prompt for f in topic.follow_ups if f.key_point == point.id]
    wrong = [w for version in point.wrong for w in (*version.phrases, version.note)]
    texts = [point.id.replace("-", " "), point.text, *point.phrases, *point.paraphrases]
    texts += [*follow_ups, point.challenge or "", *wrong]
    return {t for text in texts for t in tokens(text) if t not in REQUEST_WORDS and len(t) > 1}


@lru_cache(maxsize=1024)
def _weights(topic: Topic) -> dict[str, dict[str, float]]:
    """Per key point, each of its words weighed by 1 / the number of points using it."""
    words = {p.id: _words_of(p, topic) for p in topic.key_points}
    used = Counter(w for found in words.values() for w in found)
    return {pid: {w: 1 / used[w] for w in found} for pid, found in words.items()}


def named_points(topic: Topic, text: str) -> tuple[str, ...]:
    """The key points a message names, best first (empty when it names none)."""
    said = set(tokens(text)) - REQUEST_WORDS
    scores = {
        pid: fsum(weight for word, weight in found.items() if word in said)
        for pid, found in _weights(topic).items()
    }
    named = [pid for pid, score in scores.items() if score >= NAMED]
    return tuple(sorted(named, key=lambda pid: -scores[pid]))


def hint_for(
    topic: Topic,
    point_id: str,
    given: Sequence[str],
    asked: Sequence[str],
    *,
    own_question: bool = False,
    held: Collection[str] = (),
    covered: Collection[str] | None = None,
    attempted: Collection[str] | None = None,
    also_about: bool = False,
    just_asked: str | None = None,
) -> str | None:
    """A hint about one key point not given yet: its follow-up when not asked yet, else its
    challenge (both push without answering; a challenge that presumes a wrong claim belongs to
    that wrong version), else its nudge, else the ladder's step about it. A candidate whose
    request asks that very follow-up (`own_question`) gets the nudge, the step or nothing: the
    follow-up is their own question back, and the challenge presumes an answer they have not
    given yet ("what does a lookup in your structure cost?"). Steps `held` back (too near the
    answer) are not given. A follow-up that builds on a point not `covered` yet ("which kind of
    heap?" before any heap) is not given either (when `covered` is known). A bare request right
    after the point's follow-up is stuck on that question: when `attempted` (the points said
    tentatively, wrongly or challenged) is known and this one is not among them, a challenge
    about their version of the point would push back on an answer not given yet, and its
    challenge, often written against a named myth ("what does accuracy say?"), is no help: the
    nudge, then the step (with `also_about`, a step clearly about it even if most about
    another), the challenge only when nothing else is left. The question `just_asked` is no
    hint, nor a follow-up that asks it in other words ("How do gradients get through that
    random draw?" right after "How does the gradient get through a random sample?")."""
    point = next((p for p in topic.key_points if p.id == point_id), None)
    if point is None:
        return None
    ask = next((f for f in topic.follow_ups if f.key_point == point_id), None)
    follow_up = ask.prompt if ask is not None else None
    premature = (
        ask is not None and ask.after is not None and covered is not None
        and ask.after not in covered
    )
    if not follow_up or point_id in asked or follow_up in given or premature:
        follow_up = None
    if follow_up is not None and _same_question(follow_up, just_asked):
        follow_up = None
    # the earliest step about it (the ladder goes from a nudge to nearly the answer); a step
    # about another point would hand over that point's answer, not help with this one
    left = [h for h in topic.hints if h not in given and h not in held]
    step = next((h for h in left if subject_of(topic, h) == point_id), None)
    if step is None and also_about:
        # asked about this point in particular: the first step clearly about it too
        step = next((h for h in left if _also_about(topic, h, point_id)), None)
    # the point's own nudge, written for a candidate stuck on it, comes before the ladder's
    # step, which may carry other points with it
    nudge = point.nudge if point.nudge not in given and point.nudge != just_asked else None
    if own_question:
        return nudge or step
    challenge = point.challenge if point.challenge not in given else None
    if challenge == just_asked:
        challenge = None
    if attempted is None or point_id in attempted:
        return next((h for h in (follow_up, challenge, nudge, step) if h), None)
    # stuck on a point they have not answered: a nudge or a step towards it helps; its
    # challenge is a push-back written for an answer (often a named myth: "what does accuracy
    # say?" to a candidate who never said accuracy), so only when nothing else is left and it
    # presumes nothing
    if _PRESUMES.search(challenge or ""):
        challenge = None
    return next((h for h in (follow_up, nudge, step, challenge) if h), None)


def _same_question(text: str, asked: str | None) -> bool:
    """True when most of a question's own words are those of the question just asked."""
    if asked is None:
        return False
    words = set(tokens(text)) - REQUEST_WORDS
    return bool(words) and len(words & set(tokens(asked))) / len(words) >= SAME_QUESTION


def _about(topic: Topic, hint: str, point_id: str) -> float:
    """How much of a point's distinctive weight a hint carries."""
    words = set(tokens(hint))
    return fsum(w for t, w in _weights(topic).get(point_id, {}).items() if t in words)


def _also_about(topic: Topic, hint: str, point_id: str) -> bool:
    """True when a step whose words are most about another point is clearly about this one
    too; a step whose subject the question states is about that point alone."""
    return hint not in topic.hint_about and _about(topic, hint, point_id) >= ALSO_ABOUT


def subject_of(topic: Topic, hint: str) -> str | None:
    """The key point a hint (a step of the ladder, or a follow-up, nudge or challenge given as
    one) leads to: the one its question states for the step (None: a general step), else the
    one its words are most about, if any."""
    if hint in topic.hint_about:
        return topic.hint_about[hint]
    words = set(tokens(hint))
    scores = {pid: fsum(w.get(t, 0.0) for t in words) for pid, w in _weights(topic).items()}
    best = max(scores, key=lambda pid: scores[pid], default=None)
    return best if best is not None and scores[best] >= ABOUT else None


def next_step(
    topic: Topic,
    given: Sequence[str],
    covered: Sequence[str],
    asked: Sequence[str] = (),
    attempted: Collection[str] = (),
) -> str | None:
    """The ladder's next hint not given yet, skipping steps about what is already covered
    (a hint towards the hash map is no help once the hash map was described). When every step
    left is about what is covered, a hint towards the weightiest point not covered yet; None
    when nothing left would help (every point the hints lead to is covered). A push-back that
    presumes the candidate's version of a point is not given for a point not `attempted`."""
    left = [h for h in topic.hints if h not in given]
    useful = [h for h in left if subject_of(topic, h) not in covered]
    if useful and useful[0] != left[0]:
        # the steps before it were about what is covered, and the ladder ends near the answer:
        # the point it is about gets a question that pushes without giving it away first
        subject = subject_of(topic, useful[0])
        pushed = hint_for(topic, subject, given, asked, covered=covered) if subject else None
        if pushed and subject not in attempted and _PRESUMES.search(pushed):
            pushed = None  # a push-back on a version of it the candidate never gave
        return pushed or useful[0]
    if useful or not left:
        return next(iter(useful), None)
    for point in sorted(topic.key_points, key=lambda p: -p.weight):
        if point.id not in covered:
            hint = hint_for(topic, point.id, given, asked, covered=covered)
            if hint is not None:
                return hint
    return None

"""What a candidate message asks for or does, read sentence by sentence, anywhere in it.

A long answer can end with "Can I get a hint?"; "I don't know, sorry. Hint please?" is a hint
request, not a shrug. `intents` finds every intent present; `PRIORITY` orders them for callers
that need a single reading of the whole message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache

from app.engine.matching import tokens
from app.engine.text import sentences
from app.engine.typos import VOCABULARY


class Intent(StrEnum):
    """One thing a candidate message does."""

    answer = "answer"
    hint = "hint"
    skip = "skip"
    finish = "finish"
    clarify = "clarify"
    # a question about the interview itself: the time left, how it is going, thinking aloud
    logistics = "logistics"
    question = "question"  # a question for the interviewer (the role, the team, their view)
    off_topic = "off_topic"
    instruct = "instruct"  # an attempt to instruct the interviewer or the grader
    dont_know = "dont_know"
    too_short = "too_short"
    gibberish = "gibberish"
    # thinking aloud and nothing else yet: "hmm", "give me a sec", "let me think"
    thinking = "thinking"


def _patterns(*expressions: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e})" for e in expressions), re.IGNORECASE)


_HELP = r"(hint|clue|nudge|pointer|tip|help|push|breadcrumb)s?"
# where one is stuck, named: "the bit I can't see is ...", "where I'm foggy is ..."; `named_gap`
# reads what follows them
_CANT_SEE = (
    r"(?:the (?:part|bit|piece|step)|what) i (?:can'?t|cannot|don'?t) (?:quite )?"
    r"(?:put together|figure out|work out|get|see)"
)
_UNSURE_WORDS = "foggy|fuzzy|stuck|lost|unsure|shaky"
_UNSURE = rf"(?:{_UNSURE_WORDS})"
_SOME = (
    r"(a |an |another |one more |some more |any more |more |some |any )?"
    r"(small |little |quick |tiny )?"
)
_HINT = _patterns(
    rf"\b(can|could|may|might) (i|we) (get|have|ask for|request) {_SOME}{_HELP}\b",
    rf"\b(can|could|would) you (give|offer|provide|spare|share)( me| us)? {_SOME}{_HELP}\b",
    rf"\b(would you |do you |^\W*)mind (giving|offering|sharing)( me| us)? {_SOME}{_HELP}\b",
    # "give me something to work with", "a little help?"
    r"\bgive me something to (work with|go on|start (with|from))\b",
    r"^\W*((ok(ay)?|so|hmm+),? )?(a little|a bit of|some|any) help( here| please)?\W*\?\W*$",
    r"\b(would you |do you )?mind (pointing|nudging|steering|guiding|helping) (me|us)\b",
    # "maybe you can steer me a bit?": the request put the other way round
    r"\b(maybe|perhaps) you (can|could|might) (help|nudge|steer|point|guide) (me|us)\b"
    r"(?! (understand|clarify|with the question))",
    r"\b(can|could|would) you (please |maybe |perhaps |just |kindly |possibly )?"
    r"(help|nudge|steer|point|guide) (me|us)\b"
    r"(?! (understand|clarify|with the question))",
    rf"\b{_HELP},? please\b",
    rf"\bplease,? (give me |just )?(a |an |another |some )?{_HELP}\b",
    r"^\W*(a |another |one more |any |some |quick |small |more |next |the next |a second )?"
    r"(hint|clue|nudge)s?\b",
    r"\b(a |some |another |one more )?(hint|clue|nudge|pointer|help)s? (would|could|might) "
    r"(really )?(help|be (nice|great|good|useful|welcome|appreciated))\b",
    # a request that ends the sentence after a comma: "no idea, a hint?", "ok so, hint please"
    r"^\W*(the|that|your) (hint|clue|nudge|pointer)s?( please| then| now){0,2}\W*$",
    # ... or asks for the one offered: "ok, so, that hint?"
    r"([,;:]|\b(so|maybe|perhaps|then),?) (a |another |one more |any |some |quick |small |"
    r"that |the |your )?(hint|clue|nudge|pointer)s?( please| maybe| perhaps| then| now){0,2}\W*$",
    rf"\b(give|show) me (a |an |another |one more |some |a small |a little )?{_HELP}\b",
    r"\b(i'?d |i would )?(need|want|like|love|use|appreciate) "
    r"(a |an |another |one more |some |a small |a little )(hint|clue|nudge|pointer|help)\b",
    r"\bany (more |other |further )?(hints?|pointers?|clues?|tips?)\b",
    # asked in passing: "..., a hint maybe on schedules?", "maybe a nudge about the loss?"
    r"(\b(a|an|another|some|one more)|^\W*|,|\b(maybe|perhaps)) (hint|clue|nudge|pointer)s?,? "
    r"(maybe |perhaps |possibly |please )?(on|about|for|regarding|with)\b[^.!]*\?",
    r"\b(i'?m|i am) (still )?(totally |completely |really |a bit |kind of )?(stuck|lost)\b",
    # the whole sentence says it: "hmm, kinda stuck", "pretty lost here"
    r"^\W*((hmm+|um+|uh+|ok(ay)?|so|well|honestly|yeah|sorry),?\s+){0,3}(still |kinda |kind of "
    r"|a bit |pretty |totally |really |so )*(stuck|lost)( here| now| on this( one)?)?"
    r"(,? (honestly|tbh|sorry))?\W*$",
    # ... and what on: "hmm, kinda stuck on why it helps optimisation"
    r"^\W*((hmm+|um+|uh+|ok(ay)?|so|well|honestly|yeah|sorry),?\s+){0,3}(still |kinda |kind of "
    r"|a bit |pretty |totally |really |so )+(stuck|lost) (on|with|about) [^.!?]{3,80}$",
    # "not sure where to go from here", "no idea how to proceed"
    r"\b(not sure|no idea|don'?t know|unsure) (where|how) to (go|proceed|continue|take it|go "
    r"next)( from here| next| with (this|it))?(,? (honestly|tbh|sorry|to be honest))?\W*$",
    # "got a hint?", "have you got a clue for me?", "..., you got a hint?"; not "I got a hint"
    r"(?:^|[,;:]\s*)\W*((so|ok(ay)?|hmm+|um+|and|but),? )?(do you have|have you got|you got|got) "
    r"(a |any |another |one more )?(hint|clue|nudge|pointer|tip)s?( for me| for this)?"
    r"( please)?\W*$",
    # "do you have a suggestion for where to look?"
    r"\b(do you have|have you got|got) (a |any )?(suggestions?|tips?|pointers?|hints?|ideas?) "
    r"(for|on|about|as to) (where|how|what)\b",
    # "what should I be thinking about for not hammering sites?": the candidate asks where to
    # look, not what the question means
    r"\bwhat should i (be )?(thinking about|think about|focusing on|focus on)\b",
    r"\b(point|nudge|steer|push) me in the right direction\b",
    r"\b(some|a little|a bit of) help would be\b",
    r"\b(i'?m|i am) (still |totally |completely |really |kind of |kinda |sort of |a bit )*"
    r"(blanking|drawing a blank)\b",
    r"\bhelp me (out|get started|along)\b",
    r"\b(give|offer|suggest)( me| us)? (a |some )?(starting point|place to start|way in)\b",
    r"\bwhere (should|do|would|could) i (even )?(start|begin)( with (this|it|that)( one| question"
    r"| problem)?)?\W*$",
    # in other words: "any chance of a pointer there?", "I'd appreciate a steer on ...",
    # "could you throw me a bone", "some guidance on the serving side would be welcome"
    rf"\bany chance (of|for) {_SOME}({_HELP}|steers?|guidance)\b",
    r"\bany chance you('?d| could| would| can)? (give|offer|nudge|steer|point|guide|help)\b",
    r"\b(need|want|like|love|use|appreciate) (a |some )?(steer|guidance|pointer)\b",
    r"\b(some |a little |a bit of )?guidance (on|about|with|for)\b[^.?!]*\b(would|'d)\b",
    r"\b(throw|toss) me a bone\b",
    # "is there a neater form you'd steer me towards?", "is there a trick I'm missing?", "can you
    # walk me through the first step?"
    r"\b(you'?d|you would|could you|can you|would you) (steer|point|nudge|guide|direct) me "
    r"(towards?|to|at)\b",
    r"\b(a|the|some) (trick|idea|step|insight) (i'?m|i am|that i'?m) (missing|not seeing)\b",
    r"\b(can|could|would) you (please )?(walk|talk|take) me through the (first|next) (step|bit|"
    r"part)\b",
    # non-native and chat wordings: "kindly provide hint", "please give some clue", "give me some
    # direction please", "can you help?", "my mind went blank"
    rf"\b(kindly|please),? (give|provide|share|suggest)( me| us)? {_SOME}{_HELP}\b",
    # "maybe you can give small hint?", "i need hint", "i want small clue"
    rf"\byou (can|could|may|might) (give|offer|provide|share)( me| us)? {_SOME}{_HELP}\b",
    r"\bi (need|want|would like|'d like)( a| some| one| small| little| tiny)* (hint|clue)s?\b",
    r"\b(give|show|need|want)( me| us)? (some|a|any) direction\b",
    r"\b(can|could|would) you (please )?help( me| us)?( out| here| please)?\W*$",
    r"\b(my mind|i) (just )?went blank\b|\b(i'?m|i am) (totally |completely )?blank\b",
    # help finding a story that fits: "what sort of example are you after?", "got an example of
    # what would count?", "nothing's coming to mind"
    r"\bwhat (sort|kind|type) of (example|story|situation)s? (are you (after|looking for)|"
    r"would (count|fit|work)|do you (want|mean))\b",
    r"\b(idea|example) of (the (kind|sort|type) of (story|example|situation)|what would count|"
    r"what fits)\b",
    r"\bwhat would count\b[^.?!]*\?",
    # the example the answer should bring, asked of the interviewer: "can you give me an example
    # of where this bites people?" (not "an example of what you mean", the question put another
    # way)
    r"\b(can|could|would) you (give|show|offer)( me| us)? (an?|one|some)( concrete| quick| "
    r"simple| real)? (example|case|instance|scenario)s?\b(?! of what you (mean|are asking|'re "
    r"asking))",
    r"\bnothing'?s? (is )?(really )?coming to mind\b",
    r"\b(any |some )?breadcrumbs?\b[^.?!]*\?",
    r"^\W*(a |some )?(small |little |tiny )?(push|nudge|hint|pointer|clue)s? would "
    r"(help|be (great|welcome|nice|good))( (me|here|now))?\W*$",
    r"\b(get|help) me (un)?stuck\b|\bunstick me\b",
    # "still stuck, another hint?", "if you have a pointer on that it'd help", "where I always get
    # lost", "one more pointer?", "which part do you want me to focus on first?"
    r"(^|[,;:-]|\bi'?m|\bi am)\W*((ok(ay)?|hmm+|yeah|so|sorry),? )?"
    r"(still|really|totally|completely) (stuck|lost)\b",
    r"(^|[,;:-])\W*((a |another |one more |any )(hint|clue|nudge|pointer|tip|steer)|"
    r"(hint|clue|nudge|pointer))s?\W*(please|pls)?\W*$",
    rf"\bif you (have|had|could give( me)?|can give( me)?|could spare) {_SOME}"
    r"(hint|clue|nudge|pointer|tip|steer)s?\b",
    r"\b(where|the (bit|part)( where)?) i (always|usually|still|keep) (get(ting)? )?"
    r"(lost|stuck|confused)\b",
    r"\b(which|what) (part|bit|aspect|area)s? (do|would|should) (you (want|like)( me)? to|i) "
    r"(focus on|start with|begin with|cover)( first)?\b",
    r"\b(give|offer) me something to go on\b",
    r"\b(walk|guide|lead) me (towards?|to) it\b",
    # the gap named as where one is stuck: "the part I can't put together is ...", "where I'm
    # foggy is ...", "I'm at a loss on ...", "I'm going around in circles on ..."
    rf"\b{_CANT_SEE}\b",
    rf"\bwhere i'?m {_UNSURE}\b",
    r"\b(i'?m|i am) (at a loss|going (a)?round in circles|foggy|fuzzy)\b",
    # opening the sentence: after a claim ("X, but I can't work out how") it disowns the claim
    r"^\W*(i|i'?m) (just )?(can'?t|cannot) (quite )?(figure|work) out how\b",
    # the interviewer's view asked for as the whole sentence: "hmm what would you suggest here?",
    # "any suggestions?", "what do you recommend I try?"
    r"^\W*((hmm+|ok(ay)?|so|well|honestly),? )*(what|anything) (would|do|could|can) you "
    r"(suggest|recommend|advise)( (here|i (do|try)|doing|trying)( (here|next|first))?)?\W*$",
    # ... or their place taken: "what would you do if you were me for the dupes?", "if you were
    # me, what would you try?", "what would you do in my shoes?"
    r"\bwhat would you (do|try|look at|start with)\b[^.?!]{0,30}\b(if you were me|in my "
    r"(shoes|place|position))\b",
    r"\b(if you were me|in my (shoes|place|position)),? what would you (do|try|look at|start "
    r"with)\b",
    r"\b(give|lend) me a hand\b",
    r"^\W*((hmm+|ok(ay)?|so|well),? )*any (suggestions?|ideas|recommendations?)"
    r"( (here|on (this|that)|on how to (start|proceed)))?\W*$",
    # "what am I missing?", "am I missing something obvious?", "what's the intuition I'm
    # missing?", "is there a trick here?", "throw me a lifeline", "what would a good answer
    # look like here?"
    r"^\W*((hmm+|ok(ay)?|so|sorry|honestly),? )*what am i (missing|not seeing)( here)?\W*$",
    r"\bam i missing something( obvious| here)*\W*\?",
    r"\bwhat'?s the (intuition|trick|idea|insight|key)( here)?( (that )?i'?m (missing|not seeing))"
    r"\W*\?",
    r"^\W*((hmm+|ok(ay)?|so),? )*is there a trick( here| to (it|this))?\W*\?\W*$",
    r"\b(throw|toss|give) me a (lifeline|rope)\b|\bphone a friend\b",
    r"\bwhat (would|does) a (good|strong|great|complete) answer (look like|include|cover)\b",
    r"\b(i'?m|i am) drawing a (total |complete )?blank\b",
    r"\bmy mind is (totally |completely )?blank\b",
)
# thinking aloud ("Hmm. OK. Let me think for a second."): no answer yet, and no drift either
# a moment taken to think: "hmm", "give me a sec", "let me think about it"
_THINKING_WORDS = (
    r"hmm+|um+|uh+|erm+|interesting|good question|"
    r"(let me|lemme) think( about (it|this|that))?( (for )?a (second|sec|moment|minute|bit))?|"
    r"(give me|gimme|just|(can|could|may) i (get|have|take)) a (second|sec|moment|minute|min)"
    r"( to think( about (it|this|that))?)?|one (second|sec|moment|min)"
)
_THINKING = re.compile(rf"\b({_THINKING_WORDS})\b", re.IGNORECASE)
_FILLER_WORDS = rf"{_THINKING_WORDS}|ok(ay)?|right|so|well|sure"
_FILLER = _patterns(
    # one or several: "hmm, let me think", "ok. um."
    rf"^\W*(({_FILLER_WORDS})\W+)*({_FILLER_WORDS})\W*$",
    # how they will go about it, with nothing of the answer yet: "Let me think. I'd start from
    # what the question is really asking.", "Let me break this down."
    r"^\W*((ok(ay)?|so|right|well|alright)\W+)*(let me|i'?d|i will|i'?ll|i want to|i'?m going to) "
    r"(first )?(break (this|it) down|organi[sz]e my thoughts|think (this|it) through|"
    r"take a (step back|moment|second)|make sure i understand (the|what the) (question|problem)"
    r"( is asking)?|(start|begin) (from|with|by) (thinking about |understanding |figuring out )?"
    r"(what the (question|problem) is (really |actually )?asking|the (question|problem) itself))"
    r"( first| for a (second|sec|moment|minute|bit))?\W*$",
)
# "no hints", "I don't need a hint": the negation governs the hint, not "no idea, a hint?" or
# "not sure so a hint would help"
_NO_HINT = _patterns(
    r"\b(no|without)( more| further| other| extra)? (hints?|help)\b",
    r"\b(not|don'?t|do not|never|won'?t)\b(?! (sure|certain|know|really sure)\b)"
    r"[^.?!,;]{0,20}\b(hints?|help)\b",
    # the denial after the hint: "hints are not needed", "a hint isn't necessary"
    r"\b(hints?|help) (is|are|was|were)( not|n'?t) (needed|necessary|required)\b",
)
_SKIP = _patterns(
    r"\b(i'?m|i am) done with this (question|one)\b",
    r"^\W*(next|another|different) question\b",
    # "I give up, next question please", "ok, another question?"
    r"[,;]\s*(the |a )?(next|another|different) question( please)?\W*$",
    r"\b(go|move|skip|jump) (on |ahead )?to (the )?(next|another) question\b",
    # the request is the whole sentence: "Skip the augmentation in one run" describes an
    # experiment, "For the MVP I'd skip it" a design choice
    r"^\W*((ok(ay)?|alright|all right|right|sure|yeah|fine|so|well|hmm+),? )?"
    r"(can we |could we |can i |could i |let'?s |i'?d like to |i want to |i'?d rather |"
    r"please )?(just )?(skip|move on|pass)( on)?( (this|it|that)( one| question| part)?)?"
    r"( to the next( one| question)?)?( for now| please)?\W*$",
    r"\b(can|could|may) (we|i) (please )?(skip|pass on) (this|it|that)\b",
    # "can we do another one?", "let's do a different question", "next one please": another
    # question, not another example
    r"\b((can|could) we|let'?s) (do|try|have|get|move on to|go to) (another|a different|"
    r"the next) (one|question)\b",
    r"^\W*((ok(ay)?|alright|so),? )?(another|the next|next) one,?( please)?\W*$",
    # after a comma, the rest of the sentence: "no idea, can I skip?", "honestly, let's skip"
    r"[,;]\s*(can we |could we |can i |could i |let'?s |maybe )?(just )?(skip|move on)"
    r"( (this|it)( one)?)?( please)?\W*$",
    r"\b(let'?s|i'?d like to|i want to|i'?d rather|i would rather) (skip|pass on) (this|it|that)\b",
    # "I'd rather not answer this one"
    r"\b(i'?d|i would) rather not (answer|do|talk about|go into) (this|that|it)( one| question)?\b",
    r"\bpass on this\b",
    # the candidate's own decision about the question itself, not a design choice ("I'll skip
    # the cache for now"): "I'll skip this one", "I'm going to skip this question", "skipping
    # this one", "mind if we skip this one?"
    r"\b(i'?ll|i will|i'?m going to|i am going to|i'?m gonna|i'?m) (just )?(skip|skipping|pass "
    r"on|passing on) (this|that) (one|question|problem)\b"
    r"(?!\s+(?!(for|and|please|now|then|if you)\b)[a-z])",
    r"^\W*((ok(ay)?|alright|so|sorry|honestly),? )?(i'?m )?(just )?(skipping|passing on) "
    r"(this|that)( one| question)?\W*$",
    r"\bmind if (we|i) (skip|pass on|move on from) (this|that|it)\b",
    # "can we skip to something else", "could we move on to something else?"
    r"\b(can|could|may|shall) (we|i) (please )?(just )?(skip|move on|go|jump|switch)( on)? to "
    r"(something|anything) else\b",
    # "can we come back to this later?", "let me come back to that", "im good, next"
    r"\b(can|could) we (come back|return|get back) to (this|that|it)( one)? later\b",
    r"^\W*let me come back to (this|that|it)( one)?( later)?\W*$",
    r"^\W*(i'?m|im) good,? (next|let'?s move on|move on)\W*$",
    # "let's park this one", "can we leave this one?", "park it", "move along", "ask me
    # something else", "can I get a different one?", "I'd rather do another one"
    r"^\W*((ok(ay)?|alright|so|honestly|sorry),? )?(can we |could we |let'?s |mind if we |"
    r"i'?d like to )?(just )?((park|shelve) (this|that|it)|(leave|drop) (this|that))"
    r"( one| question)?"
    r"( for now| for later| here)?(,? please)?\W*$",
    r"^\W*move along\W*$",
    r"\bask me (something|anything) else\b",
    r"\b(can|could|may) (i|we) (get|have|do|try) a different (one|question)\b",
    r"\b(i'?d )?rather (do|have|try) (another|a different) (one|question)\b",
    # done with the question: "that covers what I know", "nothing more to add"
    r"\bthat('?s| is| covers) (all|everything|what) i('?ve got| got| know| have| can say)\b",
    # "I'm out of ideas on this one, next?"
    r"[,;]\s*(next|next one|another one)( please| then)?\s*\?*\W*$",
    r"\b(i have|i'?ve got) nothing (more|else) to (add|say)\b",
    r"^\W*((i think|i guess|ok(ay)?|yeah|so|well|alright),? )?"
    r"(that'?s (about |pretty much )?(it|all)|nothing more|i'?m done)"
    r"(,? (i think|i guess|honestly|from me|for (this|that) one|on (this|that)( one)?|here))?"
    r"(,? (thanks|thank you))?\W*$",
    # "I give up", and "what's next?" said as the whole message
    r"^\W*((ok(ay)?|fine|honestly|sorry),? )?i give up( on (this|that)( one)?)?\W*$",
    r"^\W*((ok(ay)?|so),? )?(what'?s next|what now|next( one)?( please)?)\W*$",
    # "whats the next question", "so what's the next one?": asking for it, as a whole message
    r"^\W*((ok(ay)?|so|alright|fine),? )?(what'?s|what is) the next (question|one|problem)"
    r"( then)?\W*$",
)
_FINISH = _patterns(
    r"\b(end|finish|stop|wrap up|conclude|close) (the|this|our) interview\b",
    r"^\W*let'?s (wrap up|end here|stop here|finish here)\W*$",
    r"\bi'?d like to (stop|end|finish) (now|here)\b",
    # the word alone, or "let's finish" with nothing after it but where or when
    r"^\W*(finish|end)( (the|this) interview)?( (now|here|please))?\W*$",
    r"^\W*((ok(ay)?|alright|right),? )?((i'?m|i am|we'?re) done,? )?let'?s (finish|end|stop|"
    r"wrap up|wrap it up|call it)( it)?( (now|here|there|a day|for today))?\W*$",
)
# an offer to end, clear in a sentence of any length: "I'm happy to wrap up the interview here"
_FINISH_ANYWHERE = _patterns(
    r"\b(i'?m|i am) (happy|fine|ok|okay|glad) to (wrap (it |things )?up|end|finish)"
    r"( (the|this|our) interview| (it )?(here|now))\b",
    r"\b(we|you) can (wrap (it |things )?up( here| now| there)?|(end|finish) the interview)\b",
    # asked: "I think that's all I can do today, can we wrap up?"
    r"\b(can|could|shall|should) we (please )?(wrap (it |things )?up|stop|finish|end)"
    r"( here| now| there| for today)?\W*$",
    r"\b(i|we) (have|need|must|'ll have) to (stop|end|finish|leave) (the|this|our) "
    r"(interview|call|session)\b",
    r"\bi (have|need|must|'ll have) to (go|leave|drop off|run)( now| early| soon)?"
    r"(,? (sorry|unfortunately|apologies))?\W*$",
    # "done for today", "ok I'm calling it", "let's call it a day"
    r"^\W*((ok(ay)?|so|alright|right|well),? )?(i'?m |i am |we'?re )?(done|finished) for "
    r"(today|the day|now)\W*$",
    r"^\W*((ok(ay)?|so|alright|right|well),? )?(i'?m |let'?s )?call(ing)? it( a day| here| "
    r"quits)?\W*$",
)
_DONT_KNOW = _patterns(
    r"\b(i )?(do ?n[o']?t|dont) know\b",
    r"\bno (idea|clue)\b",
    r"\b(i'?m|i am) (not sure|unsure|clueless)\b",
    r"\bi have no (idea|clue)\b",
    r"\bnot familiar with\b",
    r"\bnever (heard|used)\b",
    r"\bhaven'?t (heard|seen|used)\b",
    r"\b(i'?m|i am) not knowing\b",
    r"^\W*not a clue\b",
    r"\bi (forget|forgot|can'?t remember|don'?t remember) how (this|it|that) (works|goes)\b",
    r"\bi used to know (this|that|it)\b",
    # nothing more to offer: "can't think of anything else", "nothing comes to mind"
    r"\b(i )?(can'?t|cannot|couldn'?t) think of anything( else| more)?\b",
    r"\bnothing (else |more )?(comes|springs) to mind\b",
    # the whole sentence is the doubt: "hmm not sure", "honestly not sure about this one"
    r"^\W*((hmm+|umm*|uh+|well|honestly|sorry|ok(ay)?|so|yeah|really|tbh),?\s+){0,3}"
    r"(not sure|unsure|not certain|no clue)( at all)?( (about|on) (this|that|it)( one)?)?"
    r"(,? (honestly|tbh|sorry|to be honest))?\W*$",
    # in everyday words: "beats me", "I'm stumped", "I've got nothing", "this one's beyond me",
    # "no freaking idea", "I'm not gonna get this one"
    r"^\W*((honestly|sorry|ok(ay)?|yeah|well),? )?(beats me|search me|zero idea|"
    r"(i )?(have ?n[o']?t|have not) (got )?the (foggiest|faintest|slightest)( idea)?)\W*$",
    r"\b(i'?m|i am) (totally |completely |a bit )?(stumped|out of my depth)\b",
    r"^\W*(totally |completely |a bit )?out of my depth( here| on this( one)?)?\W*$",
    r"\b(this|that)( one)?('?s| is) (beyond|over) (me|my head)\b",
    r"\bno (freaking|fucking|earthly|real) (idea|clue)\b",
    r"\bnot the (slightest|faintest|foggiest) (idea|clue)\b",
    r"^\W*((honestly|sorry|ok(ay)?|yeah|well|so),? )?(i'?ve got|i got|i have|got) nothing"
    r"( (on|for) (this|that|it)( one)?)?( here)?(,? (sorry|honestly))?\W*$",
    r"\b(i'?m|i am) (not gonna|not going to|never going to|never gonna) get (this|it|that)"
    r"( one)?\b",
)
# no story to tell, where one was asked for: "I can't think of a time I failed", "I've never
# really had a conflict with anyone, I get along with everybody"; not "I'd never had a conflict
# with her before that sprint, and then ...", where the story starts
_NO_STORY = _patterns(
    r"\b(i )?(can'?t|cannot|couldn'?t) (think of|recall|remember|come up with) (a|any|one|an) "
    r"(time|example|situation|instance|case|story)\b(?![^.]*\b(when|where) (it|we|i|the)\b)",
    r"^\W*((honestly|to be honest|hmm+|well|so|truthfully),? )?(i )?(i'?ve|i have|i) (never|not|"
    r"don'?t) (really |actually |truly |ever )?(had|have|been in|faced|run into|experienced) "
    r"(a|any|an|that|such an?)( real| serious| big| major)? (conflict|disagreement|argument|"
    r"clash|fight|falling out|failure|setback|situation like that|problem like that|"
    r"experience like that)s?\b(?![^.]*\b(before|until|till|prior to|then)\b)",
    r"^\W*((honestly|to be honest|hmm+|well|so|truthfully),? )?i (have |'ve )?(never|don'?t) "
    r"(really |actually |truly )?(fail|failed|fight|argue|clash)\b"
    r"(?![^.]*\b(before|until|till|prior to|then)\b)",
    r"\bi (do ?n[o']?t|do not) (really )?(have|remember|recall) (a|an|any|one) (good |real |"
    r"specific )?(example|story|time|situation|instance)\b",
)
# asking to hear the question again: a clarifying question, even though it says "you"
_REPEAT = _patterns(
    r"^\W*(sorry,? )?(what do you mean|(can|could|would) you (please )?"
    r"(clarify|repeat|rephrase|restate|say that again|explain the question))",
    r"^\W*(sorry,? )?(i )?(did ?n[o']?t|don'?t) (understand|get|catch) the question",
    # the whole message: "not sure I follow", "sorry, I don't follow"
    r"^\W*((sorry|hmm+|uh+),? )?((i'?m )?not sure i|i (do ?n[o']?t|don'?t)) (follow|get it)"
    r"( you)?\W*$",
    r"\b(repeat|rephrase|restate) the question\b",
    r"\b(say|read|give|ask)( me)? (the|that) question (again|once more)\b",
    r"\b(run|walk|take) me through (the|that) (problem|question)( again| once more)\b",
    r"\bgo over (the|that) (question|problem) again\b",
    # "could you remind me what the question was?", "I lost my train of thought"
    r"\bremind me (what|of) (the|that|your) question\b|\bwhat was the question\b",
    # "can u remind me what u asked", "wait, what did you ask?", "remind me the question?"
    r"\bremind me (of )?(what you (just )?asked|the question)\b",
    r"^\W*((wait|sorry|hmm+|uh+|um+|ok(ay)?),? )*what did you (just )?ask( me)?( again)?\W*$",
    r"\bwhat was i (answering|supposed to (answer|say))\b",
    r"\b(lost|forgot) (my train of thought|the question|what (the|your) question was)\b",
    # the question put another way: "can you give me an example of what you mean?"
    r"\bexample of what you mean\b|\bwhat do you mean (by that|exactly)\b",
    r"\b(put|say|phrase|ask) (that|it) (another|a different) way\b",
    # "could you put the question in plainer words?", "ask that in a simpler way?", "what do you
    # mean by inductive biases?", "what does 'swap out the softmax' mean here?", "what was the
    # rest of the question again?"
    r"\b(put|say|phrase|ask|explain|word) (that|it|this|the question)( again)? (in|with|using) "
    r"(a )?(simpler|plainer|easier|normal|other|different|plain|more simple) (way|words|terms|"
    r"english|language)\b",
    r"\b(put|say|phrase|ask|explain) (that|it|this|the question) (more )?(simply|plainly)\b",
    r"\bwhat are you (actually |really |exactly )?asking( for| me)?\b",
    # "can you tell me what you are looking for?" (not the check-in "is this what you're after?")
    r"\b(tell me )?what (are|were) you (actually |really |exactly )?(looking for|after|"
    r"expecting)\b(?! here\W*$)",
    r"\b(tell me|say|explain) what you('re| are) (actually |really |exactly )?(looking for|after|"
    r"expecting)\b",
    r"\bwhat (do )?you mean by\b[^.!?]{0,60}\?",
    r"^\W*(sorry,? )?what does\b[^.!?]{1,50}\bmean( here| exactly| in this (question|case))?\W*$",
    r"\bwhat (was|were|is|are) the (rest|other parts?|second (half|part)|remaining parts?|"
    r"last part|first part) of (the|your|that) question\b",
    # in speech and in other Englishes: "can you say it again", "whats the question again",
    # "sorry I didn't catch that", "pardon?", "please tell the question once more"
    r"\b(say|tell|ask|repeat|explain)( me)?( (it|that|the question))?( once)? "
    r"(again|once more|one more time)\b",
    r"\bwhat'?s the question( again)?\b",
    r"\b(did ?n[o']?t|don'?t|couldn'?t) (catch|hear) (that|it|you|the question)\b",
    r"\b(did ?n[o']?t|don'?t) get you\b",
    r"^\W*(sorry,? |pardon,? )?(come again|pardon( me)?|sorry\s*\?)\W*(what was that\W*)?$",
    r"^\W*(please |can you |could you )?repeat\b[^.?!]{0,25}$",
    # "you lost me there", "say that differently?", "what are you getting at?", "huh?"
    r"^\W*((sorry|hmm+|uh+|ok(ay)?),? )?(you'?ve |you )?lost me( there| a bit| on that)?\W*$",
    r"\b(put|say|phrase|ask|word) (that|it|this)( question)? differently\b",
    r"\bwhat are you (getting|driving) at\b",
    r"^\W*(huh|what)\s*\?+\W*$",
    r"\bone more time\b[^.?!]{0,20}\bquestion\b",
    r"^\W*(sorry,? )?(i |i'?m |i am )?(not able to|unable to|did ?n[o']?t|don'?t|couldn'?t|"
    r"can'?t) (understand|follow|get)( (the|your) question| (it|that|you))?"
    r"( properly| fully| clearly| well)?\W*$",
)
# the interview itself: "how much time do we have left?", "how am I doing so far?", "is it ok if
# I think out loud?", "can I write it in Java?"
_LOGISTICS = _patterns(
    r"\bhow (much|long) (more )?(time|longer)\b[^?]*\?",
    r"\b(time|minutes) (left|remaining)\b[^?]*\?",
    # "how long do we have left?", "how many minutes have I got?"; not "how long do we have to
    # keep the logs?", which asks about the problem
    r"\bhow (long|many minutes|much time) (do|have|did|will) (we|i)( still)? (have|got|get)\b"
    r"(?! to (keep|store|retain|hold|support|serve|cache|wait|answer|respond|process))",
    r"\b(are we|am i) (almost |nearly |about )?(running )?(out of|short on|low on|over|behind on|"
    r"tight on) time\b",
    r"\b(is it )?(ok|okay|fine|alright) if i (write|code|do) (it|this|the code) in \w+\b",
    r"\bhow are we (doing )?(on|for) time\b",
    r"\bhow am i doing\b|\bam i doing (ok|okay|well|alright|all right|fine)\b",
    r"\bhow('?s| is) (it|this|the interview) going\b",
    r"\b(ok|okay|fine|alright|all right) (if|to|for me to) (i )?(think|talk|reason) "
    r"(out loud|aloud)\b",
    r"\b(can|may|should|could) i (think|talk|reason) (out loud|aloud)\b",
    r"\b(can|may|could|should) i (use|write (it |this |the code )?in|code (it )?in) "
    r"(python|java|c\+\+|c#|go|golang|rust|javascript|typescript|kotlin|pseudo ?code|"
    r"any language)\b",
    r"\b(how|where) (do|should|am) i (supposed to )?(submit|write (the |my )?code|"
    r"type (the |my )?code)\b",
    r"\bshould i (write|code) (it|this)( out)? or (just )?(talk|explain|describe)\b",
)
_CLARIFY = _patterns(
    r"\b(can|may|should|could) i assume\b",
    # announcing them: "Let me clarify scope first.", "A few questions before I start."
    r"^\W*((ok(ay)?|so|first|before (i|we) (start|begin)),? )?(let me|i'?d like to|i want to|"
    r"i'?ll|can i) (first )?(clarify|ask|check|confirm|pin down)( (a few|some|a couple of|two|"
    r"three) (things|questions|details))?( (the )?(scope|requirements|goal|objective|problem|"
    r"constraints))?( first| before (i|we) (start|begin|dive in))?\W*$",
    r"^\W*((ok(ay)?|so|alright|right|sure),? )?((before (i|we) (start|begin|answer|dive in)|"
    r"first),? )?(a few|some|a couple of|"
    r"couple( of)?|two|three|quick) (clarifying )?(questions|qs|things)"
    r"( first| before (i|we) (start|begin|dive in))?\W*$",
    r"\bjust to (clarify|confirm|check)\b",
    r"\bis it (safe|ok|okay|fine) to assume\b",
    # about the input: "would the string ever come in empty?"
    r"^\W*(and |so )?would (the|a|an|it|they|there|any|each|some)\b[^?]{0,80}\bever\b"
    r"[^?]{0,60}\?",
    r"\b(am i|are we) (allowed|supposed|expected|meant|free|permitted) to\b[^?]{0,160}\?",
    r"^\W*(sorry,? )?(i )?(did ?n[o']?t|don'?t) (understand|get) the question",
    # a preface before a comma, or a longer one before a colon ("Quick check before I write
    # anything: ...")
    r"^\W*([^?:]{0,30}, ?|[^?:]{0,60}: ?|[^?:]{0,60} [-\u2013\u2014] ?)?"
    r"(so |and |also |first,? |quick question,? |one question,? )?"
    # "Quick check first: if one interval ends at 4 and the next begins at 4, do those count?"
    r"(is|are|was|were|has|have|do|does|did|will|would|can|could|should|must|if|any|"
    r"what (if|happens|about|is|are|should|kind|type)|what'?s|how'?s|"
    r"how (big|many|large|long|much|often|fast)|which) [^?]{0,160}\?",
    # "What request volume should I design the limiter for?": the size of the problem
    r"^\W*([^?:]{0,60}: ?)?((and|so|also|then),? )?(what|which)\b[^?]{0,60}\b(volume|traffic|"
    r"load|scale|size|qps|throughput|latency|budget|constraints?|range|format|numbers?)\b"
    r"[^?]{0,80}\?",
)
_FOR_INTERVIEWER = _patterns(
    r"\b(what|how|which|who|where|when|why|do|does|is|are|did|would|could|can)\b[^?]{0,80}"
    r"\b(you|your|yours|the team|your team|the company|the role|this role|the position|"
    r"this position|the job|this job|the salary|salary|compensation)\b"
    r"[^?]{0,80}\?",
    # the interviews themselves: "how long are these rounds usually?", "what are the next steps?"
    r"\b(these|the|such|other|your) (rounds|interviews|interview loops?|onsites?)\b"
    r"[^?]{0,60}\b(usually|normally|typically|take|last|long|many)\b[^?]{0,40}\?",
    r"\b(what|when) (are|is|will be) the next steps?\b[^?]{0,60}\?",
)
_INSTRUCT = _patterns(
    r"\bignore (all |any |the |your )*(previous |prior |above |earlier )*"
    r"(instructions?|rubric|rules|prompt|criteria)",
    r"\b(give|award|grade|score|rate|mark) (me|this|this answer|the candidate|my answer|it)\b"
    r".{0,40}\b(full|max(imum)?|perfect|top|highest|strong hire|4|10|100)\b",
    r"\b(full|maximum|perfect|top) (marks|score|points)\b",
    r"\b[0-9]+ ?/ ?[0-9]+ on (every|all|each)\b",
    r"\bstrong(ly)? hire\b",
    # naming a system prompt is content ("the system prompt sets the model's role"); writing
    # one, or asking for it, is an instruction
    r"\b(new|updated|real|your|the following) (system|developer) prompt\b",
    r"^\W*(system|developer)( prompt)?\s*:",
    r"\byou are (now|no longer)\b",
    r"\b(reveal|print|show|repeat|tell me) (your|the) "
    r"(instructions|prompt|key points|rubric|model answer)",
    r"\bdisregard\b.{0,40}\b(instructions?|rubric|rules)\b",
    r"</?(candidate|interviewer|system)\b",
)
# checking in ("does that make sense?", "right?") is part of an answer, not a question
_CHECKING_IN = _patterns(
    r"\b(does (that|this) (make sense|sound right|work for you)|"
    r"is (that|this) (right|correct|ok|okay|fine|reasonable|what you (meant|mean|want)))\b",
    r"^\W*(right|ok|okay|correct|yes)\W*\?\W*$",
    r"\b(makes sense|sound good|sounds right)\W*\?\W*$",
    r"\b(is|was) (that|this) (the (kind|sort) of thing|what) you('re| are| were)? "
    r"(looking for|after|expecting)\b",
    r"\b(am i|are we) on the right track\b|\bdoes (that|this) answer (your|the) question\b",
    # checking the answer was to the question asked: "is that what you were asking about?",
    # "did I cover what you wanted there?", "did that answer it?"
    r"\b(is|was) (that|this) (the (part|bit|thing) )?(what )?you (were |are )?"
    r"(asking|getting at|meant|wanted|had in mind)\b",
    r"\bdid (i|that|this) (cover|answer|address|get at) (it|that|this|your question|the question|"
    r"what you (wanted|asked|meant|were asking|were after))\b",
    r"\bis (that|this) (enough|enough detail|deep enough|detailed enough)\b",
    # checking the level of detail with the listener: "does that level of detail work for you,
    # or should I zoom in?", "should I go deeper?", "any questions so far?"
    r"\b(does|did) (that|this|the) (level of detail|depth|pace) (work|suit)\b",
    r"\bshould i (zoom in|go deeper|go into more detail|slow down|go on)\b",
    r"\bany questions (so far|before i go on)\b",
)
# asking what the interviewer wants to hear: "what else would you want me to cover?", "what are
# you looking for here?", "is there anything specific you want me to go into?". Inside an answer
# it checks in; alone, the candidate asks for the question on the table (a clarifying question)
_STEER = _patterns(
    r"\bwhat (else )?(would|do|should|did) (you|i) (want|like|need|expect)( me)? to "
    r"(cover|say|hear|talk about|go into|add|discuss|focus on|mention|explain|dig into)\b",
    r"\bwhat (else )?should i (cover|say|talk about|go into|add|discuss|focus on|mention)\b",
    r"\bwhat (else )?(are|were) you (actually |really |exactly |mostly |mainly )?"
    r"(looking for|after|expecting|hoping (for|to hear))\b",
    r"\b(is there )?anything (else|specific|in particular|particular)( in particular)? "
    r"(you'?d|you would|you) (like|want) (me )?to (cover|hear|add|go into|talk about|focus on|"
    r"discuss|dig into)\b",
    r"\bwhere (do|would) you (want|like) me to go (next|from here)\b",
    r"\bwhere (do|would) you (want|like) me to (begin|start)\b",
    # "not sure what else you want?", "did I miss anything?", "anything I left out?"
    r"\bwhat else (do |would |did )?you (want|need|expect|like)\b(?![^?]*\b" + _HELP + r"\b)",
    r"\b(did|have) i (miss|missed|leave out|left out|forget|forgotten|skip|skipped) "
    r"(anything|something)\b",
    r"\banything (else )?(that )?i (missed|left out|forgot|should (add|cover|mention))\b",
    # what to cover, asked of a subject: "should I also talk about layer norm here?"
    r"\bshould i (also |even )?(talk about|cover|mention|go into|discuss|bring up|get into)\b",
)
# a choice of the design put to the interviewer: "would a fixed window counter work instead?",
# "is a fixed window simpler here?", "should I use a heap?", "token bucket or sliding window,
# what do you think?": the candidate's call, not a given of the problem ("is a small overshoot
# fine?", "would that be enough?" ask what the problem tolerates)
_VERDICT = (
    r"(simpler|easier|better|overkill|preferable|cheaper|faster|safer|smarter|worth it|"
    r"the (right|better|best) (choice|call|approach|option|way|tool)|"
    r"a (good|better|bad) (idea|choice|fit|option|approach))"
)
# ... and what the option is weighed against, or for: "would it be better to use Kafka instead
# of direct calls?", "would Cassandra be a better fit if we kept 90 days?", "would it make
# sense to email the authors rather than keep digging?"
# (an assumption checked, "would it make sense if I assume 10k users?", is no choice)
_AGAINST = (
    r" (to|if|when|since|given|rather than|instead of|over|compared to|versus|vs\.?) "
    r"(?![^?]*\bassum)[^?]{2,70}"
)
_WHERE = (
    rf"( here| instead| too| as well| for this| for us)?( than [\w' -]{{2,30}}?)?({_AGAINST})?\s*\?"
)
_CHOICE = _patterns(
    r"\b(would|will|could|does|do|can)( using| just)? (a|an|the|just|plain|simple|simply)? ?"
    rf"[\w' -]{{2,40}}? (work|suffice|do the (job|trick)|make (more )?sense|be {_VERDICT})"
    rf"{_WHERE}",
    rf"\b(is|are|isn'?t|aren'?t) (a|an|the|just|plain|simple|using|going with)? ?[\w' -]{{2,40}}? "
    rf"{_VERDICT}{_WHERE}",
    r"\bis it (ok|okay|fine|better|alright|all right) (to|if (i|we)) (just )?(use|go with|pick|"
    r"choose|do|try|stick with|switch to)\b[^?]{0,60}\?",
    r"\bshould (i|we) (just )?(use|go with|pick|choose|try|prefer|stick with|switch to)\b"
    r"[^?]{0,60}\?",
    r"\b(which|what)( one| option| approach)? (would|do) you (prefer|pick|choose|recommend|go "
    r"with|suggest|use)\b",
    # options put side by side to the interviewer: "is 3 seeds enough, or would you want 5?",
    # "would you go with a heap or a sorted list?"
    r"\bor would you (want|prefer|go with|pick|choose|use|rather|do|run|suggest|recommend)\b"
    r"(?! (me|us)\b)[^?]{0,60}\?",
    r"\bwould you (want|prefer|go with|pick|choose|use|run|suggest|recommend) (?!(me|us)\b)"
    r"[^?]{1,50}"
    r"\bor\b[^?]{1,50}\?",
    r"\bwhat do you think\b[^?]{0,60}\b(or|vs\.?|versus)\b[^?]{0,60}\?|"
    r"\b(or|vs\.?|versus)\b[^?]{0,60}\bwhat do you think\b",
)
_CODE = re.compile(r"[=(){}\[\]:;]|\b(def|return|for|while|class|import|np\.)\b")
_VOWEL = re.compile(r"[aeiouy]")
SHORT_SENTENCE_WORDS = 12
# a sentence saying there is no story to tell may explain why, up to this long
NO_STORY_WORDS = 25
# a question about the task, though it says "you": "can I assume ...?", "do you want me to use
# DFS or BFS?", "would you rather see it iterative?"
# a question stated as part of the answer: the research question, the one the candidate would ask
_POSED = re.compile(
    r"\b(the|our) (central|main|key|core|research|open|real|big|natural|interesting|underlying) "
    r"questions? (is|are|was|becomes|would be)\b"
    r"|\bthe question (i'?d ask|i would ask|we'?d ask|to ask|here|then) (is|becomes|would be)\b"
    # the questions the candidate would put to someone else: "I'd ask the student: did both ...?"
    r"|\b(i'?d|i would|i'?ll|i will|we'?d|we would) (first )?ask (them|the student|the authors?|"
    r"him|her|the team|my colleague|the colleague)\b",
    re.IGNORECASE,
)
_ASSUME = re.compile(
    r"\bassume\b|\b(do|would) you (want|like|prefer) (me|us) to\b|\bwould you rather\b|"
    # the form of the answer: "do you want the actual equations or just intuition?"
    r"\b(do|would) you (want|like|prefer|need|expect)\b[^?]{0,40}\b(equations?|maths?|"
    r"formulas?|formulae|derivations?|intuitions?|pseudo-?code|code|high[- ]level|proofs?|"
    r"update rules?)\b",
    re.IGNORECASE,
)


def _looks_like_words(text: str) -> bool:
    # one letter stuck to a figure is a unit ("40/s", "20k r/s", "100M"), not a word to judge
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 1]
    if not words:
        return bool(re.search(r"\d", text)) and len(text.split()) > 2
    # a word with no vowel may be a term of the trade the bank or English knows ("tpr vs fpr")
    plausible = [
        w
        for w in words
        if len(w) <= 20 and (_VOWEL.search(w.lower()) or VOCABULARY.known(w.lower()))
    ]
    long_consonant_runs = re.search(r"[bcdfghjklmnpqrstvwxz]{6,}", text.lower())
    return len(plausible) / len(words) >= 0.6 and not long_consonant_runs


# cheap gates: most sentences of an answer carry none of these words, so skip the patterns
_MAY_INSTRUCT = re.compile(
    r"ignore|grade|score|mark|hire|prompt|you are|reveal|print|show|repeat|disregard|<|"
    r"full|perfect|give|award|rate|max|top|highest|/",
    re.IGNORECASE,
)
_MAY_HINT = re.compile(
    r"hint|clue|were me|my shoes|my place|my position|hand|nudge|pointer|point|tip|help|push|"
    r"steer|guid|stuck|lost|direction|blank|start|"
    r"begin|way in|chance|bone|go on|toward|to it|loss|circles|foggy|fuzzy|shaky|can'?t|cannot|"
    r"crumb|don'?t|sort|kind|type|count|mind|idea|part|bit|aspect|area|trick|walk|talk|take|"
    r"insight|example|case|instance|scenario|suggest|recommend|advis|missing|lifeline|rope|"
    r"friend|answer|blank|work with|think|focus|go from here|where to go|proceed",
    re.IGNORECASE,
)


# "lost" as a state ("I'm a bit lost on"), not the verb of a loss ("we lost about 300 orders")
_LOST = (
    r"(?:(?:'m|am|was|were|are|is|got|get|getting|feel|feeling|felt|bit|little|totally|"
    r"completely|pretty|quite|so|kind of|sort of|kinda|honestly|just|still)\s+lost|^lost)"
)
_GAP = re.compile(
    rf"\b(?:foggy|fuzzy|stuck|unsure|shaky|{_LOST}|not sure|confused|struggling|blanking|"
    r"at a loss|in circles)\s+"
    r"(?:on|with|about|at)\s+([^,.;?!]+)"
    rf"|\b{_CANT_SEE}\s+is\s+([^,.;?!]+)"
    # "I keep mixing up in which order ...", "I'm not sure how to get that estimate ...": the
    # what and the how are the gap
    r"|\b(?:keep |kept )?(?:mixing up|getting confused about|confusing)\s+([^,.;?!]+)"
    r"|\b(?:not sure|unsure|don'?t know|can'?t see) how\s+([^,.;?!]+)"
    # "I can't work out what the recurrence is": what they cannot work out is the gap
    r"|\b(?:can'?t|cannot|couldn'?t) (?:quite )?(?:work|figure) out (?:what|how|which|where|why)"
    r"\s+([^,.;?!]+)"
    rf"|\bwhere i'?m {_UNSURE} is\s+([^,.;?!]+)",
    re.IGNORECASE,
)


def named_gap(sentence: str) -> str | None:
    """What a request for help says the candidate is stuck on ("..., but I'm stuck on the
    scaling detail, could you point me at it?" is about the scaling detail), if it says."""
    found = _GAP.search(sentence)
    return found.group(found.lastindex or 0) if found else None


def instructs(sentence: str) -> bool:
    """True for a sentence that tries to instruct the interviewer or the grader."""
    return bool(_MAY_INSTRUCT.search(sentence) and _INSTRUCT.search(sentence))


def checks_in(sentence: str) -> bool:
    """True for a question that checks in with the listener ("does that make sense?")."""
    return "?" in sentence and bool(_CHECKING_IN.search(sentence) or _STEER.search(sentence))


# how people type and speak, for reading requests only: fillers between words ("uh can i like
# get a hint") and chat spellings ("im kinda stuck", "whats the question again", "idk")
# "like" as a filler ("can i like get a hint"), not the verb ("would you like me to", "I'd like
# to ask", "I like that")
_FILLERS = re.compile(
    r"\b(um+|uh+|erm*|you know|like(?! (me|us|to|it|that|this|a|an|the|them)\b)|tbh|ngl|lol|"
    r"lmao|haha)\b,?\s*",
    re.IGNORECASE,
)
_CHAT = {
    "im": "i'm",
    "whats": "what's",
    "didnt": "didn't",
    "dont": "don't",
    "cant": "can't",
    "couldnt": "couldn't",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "idk": "i don't know",
    "dunno": "don't know",
    "kinda": "kind of",
    "sorta": "sort of",
    "gimme": "give me",
    "lil": "little",
    "wanna": "want to",
    "gonna": "going to",
    "lemme": "let me",
}
_CHAT_WORD = re.compile(r"\b(" + "|".join(_CHAT) + r")\b", re.IGNORECASE)


# softeners between the one who asks and the verb of the request: "could you maybe point me",
# "could I possibly get", "can you sort of nudge me" ask what "could you point me" asks
_SOFTENED = re.compile(
    r"\b(you|i|we)\s+(?:(?:maybe|perhaps|possibly|kind of|sort of|just|quickly|please)\s+)+",
    re.IGNORECASE,
)


def _casual(sentence: str) -> str:
    """The sentence without speech fillers and softeners and with chat spellings written out."""
    plain = _CHAT_WORD.sub(lambda m: _CHAT[m.group().lower()], _FILLERS.sub("", sentence))
    plain = _SOFTENED.sub(lambda m: f"{m.group(1)} ", plain)
    return re.sub(r"\s{2,}", " ", plain).strip()


@lru_cache(maxsize=8192)
def sentence_intent(sentence: str) -> Intent | None:
    """The request or move one sentence makes, or None for a sentence of answer; a sentence
    typed or spoken casually is read again without its fillers and chat spellings (and a
    request for help read that way outranks the question it looked like: "could you kinda
    point me somewhere?")."""
    found = _sentence_intent(sentence)
    if found is not Intent.hint and (plain := _casual(sentence)) != sentence and plain:
        again = _sentence_intent(plain)
        if found is None or again is Intent.hint:
            found = again
    return found


def _sentence_intent(sentence: str) -> Intent | None:
    count = len(sentence.split())
    short = count <= SHORT_SENTENCE_WORDS
    asks = "?" in sentence
    if checks_in(sentence):
        return None
    if instructs(sentence):
        return Intent.instruct
    if _MAY_HINT.search(sentence) and _HINT.search(sentence) and not _NO_HINT.search(sentence):
        return Intent.hint
    if (short and _FINISH.search(sentence)) or _FINISH_ANYWHERE.search(sentence):
        return Intent.finish
    if short and _SKIP.search(sentence):
        return Intent.skip
    if count <= 40 and _REPEAT.search(sentence):
        return Intent.clarify
    if count <= 40 and asks and _LOGISTICS.search(sentence):
        return Intent.logistics
    if asks and _POSED.search(sentence):
        return None  # a question the answer poses ("the central question is: how far ...?")
    if count <= 40 and asks and _CHOICE.search(sentence):
        return Intent.clarify  # a choice put to the interviewer: answered "your call"
    if asks and _FOR_INTERVIEWER.search(sentence) and not _ASSUME.search(sentence):
        return Intent.question
    if count <= 40 and _CLARIFY.search(sentence):
        return Intent.clarify
    if short and _DONT_KNOW.search(sentence):
        return Intent.dont_know
    if count <= NO_STORY_WORDS and _NO_STORY.search(sentence):
        return Intent.dont_know
    return None


# the whole message asks for more of the same: "another?", "still nothing, one more pls",
# "next one?"; what it asks for more of is what the interviewer just gave
_MORE = re.compile(
    r"^\W*((still nothing|still stuck|nope|no|hmm+|ok(ay)?|sorry|thanks|right),?\s*)*"
    r"(and )?(another|one more|more|next|the next|another one|the next one|a second)( one)?"
    r"( hint| clue| nudge| pointer)?( then)?( please| pls| plz)?\W*$",
    re.IGNORECASE,
)


def asks_for_more(text: str) -> bool:
    """True when the whole message asks for more of what it was just given ("one more pls")."""
    return _MORE.match(text.strip()) is not None


def asks_to_repeat(text: str) -> bool:
    """True when a sentence of the message asks to hear the question again, or asks what the
    interviewer wants to hear (the question on the table is the answer); typed casually too
    ("can u remind me what u asked")."""
    return any(
        _REPEAT.search(said) or _STEER.search(said)
        for s in sentences(text)
        for said in {s, _casual(s)}
    )


# the question again, put more simply: "in simpler terms", "more plainly", "dumb it down"
_SIMPLER = _patterns(
    r"\b(simpler|plainer|easier|simple|plain|layman'?s?|everyday)( english| language| words| "
    r"terms| way)\b",
    r"\b(more )?(simply|plainly)\b",
    r"\b(other|different) words\b|\banother way\b",
    r"\b(dumb|break) (it|that|this) down\b|\beli5\b|\bshorter version\b",
)


def asks_to_choose(text: str) -> bool:
    """True when a sentence of the message puts a choice of the design to the interviewer
    ("would a fixed window work instead?", "should I use a heap?")."""
    return any("?" in s and _CHOICE.search(s) for s in sentences(text))


def asks_for_simpler(text: str) -> bool:
    """True when a request to hear the question again asks for it in plainer words."""
    return any(_REPEAT.search(s) and _SIMPLER.search(s) for s in sentences(text))


# the rest of a question typed without its question mark: "whats the expected traffic? like how
# many new links per day", "...? e.g. daily users"; the candidate's own claims ("like I'd guess
# 40 a second") are no part of it
_GOES_ON = re.compile(
    r"^\W*(like|as in|i mean|e\.?g\.?|i\.?e\.?|for (example|instance)|say|roughly|ballpark|"
    r"and|or|so)?,?\s*(how|what|which|who|when|where|whether|is|are|do|does|will|would|should|"
    r"can)\b|^\W*(like|as in|i mean|e\.?g\.?|i\.?e\.?|for (example|instance))\b",
    re.IGNORECASE,
)
_OWN_CLAIM = re.compile(r"\b(i|i'[a-z]+|we'[a-z]+|let'?s|my|me)\b", re.IGNORECASE)
# the requests whose question may go on past its question mark
_GOES_ON_FROM = (Intent.clarify, Intent.question, Intent.logistics)


def goes_on(sentence: str, before: Intent | None) -> bool:
    """True when a sentence is the rest of the question the sentence before it asked."""
    return (
        before in _GOES_ON_FROM
        and "?" not in sentence
        and len(sentence.split()) <= 15
        and bool(_GOES_ON.search(sentence))
        and not _OWN_CLAIM.search(sentence)
    )


# a message that only asks about the problem is a clarifying question, whatever its question
# word: "What fraction of the mail is spam?", "Roughly how many advertisers do we have?",
# "Since the auction multiplies by it, how often do people click?", "When must it be ready?";
# a question inside an answer ("What does that give us? A lower bound.") is not the message
_ASKS_ABOUT = re.compile(
    r"^\W*([^?]{0,80}[,:] ?)?((so|ok|okay|and|also|first|quick question),? )?"
    r"((roughly|approximately|about|just|and|so) )?"
    r"(what|which|how|when|where|whether|is|are|do|does|did|will|would|should|can|could|may|"
    r"must|has|have)\b[^?]*\?\W*$",
    re.IGNORECASE,
)
# ... typed without its question mark: "how big are we talking", "what kind of latency are we
# looking at" (the verb before its subject makes it a question, unlike "what I'd do is shard")
_ASKS_UNMARKED = re.compile(
    r"^\W*((so|ok|okay|and|also|roughly|approximately),? )*(how|what|which|when|where)\b"
    r"[^.!?]{0,40}\b(are|is|do|does|should|will|can|would) (we|i|you|it|they|there|the|this|"
    r"that|these|those|our|users|people)\b[^.!?]*$",
    re.IGNORECASE,
)
# ... or a given asked for again: "whats the max file size again", "how many users was it again"
_ASKS_AGAIN = re.compile(
    r"^\W*((so|ok|okay|sorry|and|remind me),? )*(how|what|which|when|where)('?s|s)?\b"
    r"[^.!?]{0,60}\bagain\W*$",
    re.IGNORECASE,
)
# ... or asked yes/no without its question mark, the verb before its subject: "do I need to worry
# about scaling the features", "are the features normalized already"
_ASKS_INVERTED = re.compile(
    r"^\W*((so|ok|okay|and|also|hmm+|quick question),? )*((do|should|can|could|must) (i|we|they)|"
    r"(does|is|are|will|can|could|should|must|would) (it|there|the|these|those))\b[^.!?]*$",
    re.IGNORECASE,
)
# ... or a given checked with a tag: "ok so labels 0/1 right?", "the input fits in memory, yeah?"
# (a longer one is the candidate checking their own answer: "so the gradient is ..., right?")
_TAGGED = re.compile(
    r"^[^?]{2,100}?[ ,]\s*(right|correct|yeah|yes|true|isn'?t (it|that)|aren'?t (they|these|"
    r"those)|i (assume|take it|guess|suppose))\s*\?\W*$",
    re.IGNORECASE,
)
# ... but not a question that is the answer thinking aloud ("Where should I start the pointers,
# at both ends?"), one for the interviewer ("What would you like me to go into next?"), or one
# the answer poses ("the central question is: ...?")
_NOT_ASKING = re.compile(
    r"\byou\b|\bshould (i|we) (?!(expect|assume|design|plan|target|support|care|worry)\b)\w+",
    re.IGNORECASE,
)
ASKING_WORDS = 30
UNMARKED_WORDS = 15
TAGGED_WORDS = 8
# ... or one more thing asked about, after a first question: "and multiple currencies?", "what
# about refunds?"
_ASKS_MORE = re.compile(
    r"^\W*(and|also|plus|or|what about|how about)\b[^?.!]{1,40}\?\W*$", re.IGNORECASE
)
MORE_WORDS = 6


def only_asks(sentences_: Sequence[str]) -> bool:
    """True when every sentence is a short question about the problem (the message asks, it
    does not answer)."""
    if any(_NOT_ASKING.search(s) or _POSED.search(s) for s in sentences_):
        return False
    return bool(sentences_) and all(
        _asks(s, last=i == len(sentences_) - 1) for i, s in enumerate(sentences_)
    )


# words that take the answer back to something said before ("I said 500 tokens, but ...", "I
# should have said", "going back to the storage"): a correction or an addition to an earlier
# answer, not an answer to the question just asked
_GOES_BACK = _patterns(
    r"\bi said\b(?! (to|that to)\b)",
    r"\bi should (have )?(said|say|mention(ed)?|add(ed)?)\b",
    r"\bi forgot (to (say|mention|add)|the|about)\b",
    r"\b(going|go|coming|come) back to\b",
    r"\bearlier i\b|\bwhat i said (before|earlier)\b",
    r"\b(to )?correct myself\b|\bscratch that\b",
)


def goes_back(text: str) -> bool:
    """True when the message takes up something the candidate said before."""
    return any(_GOES_BACK.search(s) for s in sentences(text))


def only_checks_in(text: str) -> bool:
    """True when every sentence of the message checks in on the answer just given ("does that
    answer your question?"): it asks whether the answer was what was asked, nothing else."""
    said = [s for s in sentences(text) if not _FILLER.search(s)]
    return bool(said) and all(checks_in(s) and not _STEER.search(s) for s in said)


def only_steers(sentences_: Sequence[str]) -> bool:
    """True when every sentence asks what the interviewer wants to hear ("what are you looking
    for here?"): the message asks for the question on the table, it does not answer."""
    return bool(sentences_) and all("?" in s and _STEER.search(s) for s in sentences_)


def _asks(sentence: str, *, last: bool) -> bool:
    """True for a short question about the problem; only the last may go without its mark."""
    count = len(sentence.split())
    unmarked = (
        _ASKS_UNMARKED.search(sentence)
        or _ASKS_INVERTED.search(sentence)
        or _ASKS_AGAIN.search(sentence)
    )
    return bool(
        (count <= ASKING_WORDS and _ASKS_ABOUT.search(sentence))
        or (count <= TAGGED_WORDS and _TAGGED.search(sentence))
        or (count <= MORE_WORDS and _ASKS_MORE.search(sentence))
        or (last and count <= UNMARKED_WORDS and unmarked)
    )


def intents(text: str) -> tuple[set[Intent], list[str]]:
    """Every intent in the message, and the sentences that are answer rather than requests."""
    found: set[Intent] = set()
    answer: list[str] = []
    before: Intent | None = None
    thinking = False
    for sentence in sentences(text):
        if _FILLER.search(sentence):
            thinking = thinking or bool(_THINKING.search(sentence))
            continue
        intent = sentence_intent(sentence)
        if intent is None and goes_on(sentence, before):
            intent = before
        before = intent
        if intent is None:
            answer.append(sentence)
        else:
            found.add(intent)
    if thinking and not found and not answer:
        # nothing to assess yet (too short), and a moment asked for: the interviewer waits
        return {Intent.thinking, Intent.too_short}, []
    if not found - {Intent.clarify} and "```" not in text and only_asks(answer):
        return {Intent.clarify}, []
    if not found and (only_steers(answer) or only_checks_in(text)):
        return {Intent.clarify}, []
    stripped = text.strip()
    rest = " ".join(answer)
    if not _CODE.search(stripped) and not _looks_like_words(stripped):
        found.add(Intent.gibberish)
    elif (answer and sum(len(tokens(s)) for s in answer) >= 3) or _CODE.search(rest):
        found.add(Intent.answer)
    elif not found:
        found.add(Intent.too_short)
    return found, answer


# what a message is, when it must be one thing: requests first, then answers
PRIORITY = (
    Intent.finish,
    Intent.hint,
    Intent.skip,
    Intent.clarify,
    Intent.logistics,
    Intent.question,
    Intent.instruct,
    Intent.answer,
    Intent.dont_know,
    Intent.thinking,
    Intent.gibberish,
    Intent.too_short,
)

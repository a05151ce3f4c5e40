"""Which move of the catalogue a typed line is: rules over the words and their form.

Each rule is a pattern and a weight for one move; a line's score for a move
is its best rule there. The forms are the ones the domain teaches to tell
apart: an open question asks what/how/why, a closed one starts with a verb,
a leading one tags an answer on ("…, isn't it?"); a reflection starts from
what was heard ("so you…", "it sounds like…"), an emotion label names a
feeling. When no rule fires the sentence form decides (question or not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from negtrainer.understand.text import normal, stem

# What the learner may name as a feeling (an emotion label's core).
EMOTIONS = (
    "angry|anger|annoyed|anxious|anxiety|afraid|ashamed|betrayed|bitter|brushed off|concerned|"
    "cross|disappointed|disappointing|distressed|dreading|embarrassed|excited|exhausted|"
    "fed up|frightened|frustrated|frustrating|furious|gutted|hurt|hurts|hurtful|humiliated|"
    "let down|lonely|nervous|on edge|overwhelmed|pressured|proud|rattled|relieved|resentful|"
    "sad|scared|shaken|stressed|stung|sting|tired|torn|uneasy|upset|upsetting|weighs on|"
    "worried|worry|worrying|worn out|worn down|wound up|a lot to carry|a lot riding|personal|"
    "painful|hard for you|hard on you|tough on you|difficult for you|felt like|feels like|"
    "caught between|stuck in the middle|in the middle|dumped on you|landed on you|done to them|"
    "decided without you|eating at you|keeps you up"
)

# Talk about life rather than the deal.
CHAT_TOPICS = (
    "weekend|holiday|trip|journey|drive|train|flight|flying|traffic|roadworks|weather|"
    "rain|exams?|mocks?|son|daughter|lad|kids?|family|dog|cat|climbing|hills?|walk|garden|"
    "lisbon|football|match|under[- ]?twelves|team win|canteen|coffee machine|"
    "biscuit|holidays|break|away at all|fly|cycling|bike|season|pitch|game|sheep"
)

_N = r"(?:n't|not)"

RULES: list[tuple[str, float, str]] = [
    # -- silence ---------------------------------------------------------------
    ("silence", 10.0, r"^[\s.…]*$"),
    (
        "silence",
        10.0,
        (
            r"^[(\[].*\b(say nothing|silen\w*|pause|wait|quiet|let (him|her|them) "
            r"(think|go on|read|look)|give (him|her|them) (space|room)|nothing)\b"
        ),
    ),
    ("silence", 9.0, r"^\(?(pause|silence|wait|nod|\.\.\.)\)?\.?$"),
    # -- apology -----------------------------------------------------------------
    ("apology", 6.0, r"\b(i'm|i am|we're|we are|i'm really|i'm so|so|really|truly) sorry\b"),
    ("apology", 6.0, r"^sorry\b"),
    ("apology", 6.5, r"(?<!don't )\bapologi[zs]e|\bapology\b"),
    ("apology", 5.0, r"\b(my|our) (fault|mistake)\b|\bthat's on (me|us)\b"),
    ("apology", 4.5, r"\bshould have (heard it|told you|said|spoken|talked)"),
    # -- ultimatum ---------------------------------------------------------------
    ("ultimatum", 9.0, r"take it or leave it"),
    ("ultimatum", 8.0, r"\b(final|last) (offer|version|word|answer|chance)\b"),
    ("ultimatum", 7.0, r"\bor (it's|its) off the table\b|\bor nothing\b|\bor we walk\b"),
    ("ultimatum", 7.5, r"\bwith (you )?or without you\b"),
    (
        "ultimatum",
        7.0,
        (
            r"\bor (we|i) (go to|put it out to|tender)|\bor we tender\b|"
            r"\bor this goes (out )?to tender"
        ),
    ),
    ("ultimatum", 6.5, r"\b(answer|decision) by (five|5|friday|tonight|tomorrow|today|end)"),
    ("ultimatum", 6.5, r"\b(goes|going) to (friday's |the )?board as (it is|it stands)"),
    ("ultimatum", 6.0, r"\bsign (it |this )?(by|this week|today)\b.*\bor\b"),
    ("ultimatum", 6.0, r"\bor (it's|its|the price goes back to) list\b"),
    # -- threat ------------------------------------------------------------------
    (
        "threat",
        6.5,
        (
            r"\bif (we|you|this|the|that)\b.*\b(i'll|we'll|i will|we will|they'll|"
            r"claire will|it'll|loses?)\b.*\b(other|another|else|elsewhere|press|paper|"
            r"star|competitors?|imposed?|forced|tender|their job|rota|rethink|"
            r"quot(e|ing)|someone|somebody|direct|lose)"
        ),
    ),
    (
        "threat",
        6.0,
        (
            r"\b(two|three|other|another) (strong )?(finalists|candidates|suppliers|"
            r"clients?|distributors|trust|firms?|buyers)\b.*\b(waiting|running|quoting|"
            r"asked|wants?|interested|like)"
        ),
    ),
    ("threat", 6.0, r"\b(you should|just so you) know\b.*\b(other|another)\b"),
    ("threat", 6.5, r"\b(drop|delist) us\b|\bdon't make me\b|\bcan't (hold|keep) it\b"),
    ("threat", 5.5, r"\b(asked|want|wants) (about )?(that|our|the) \w+ slot\b"),
    ("threat", 5.0, r"\bif (you|we) (push|keep pushing|make a fuss)"),
    ("threat", 5.0, r"\b(i'll|we'll) (go|take|sell) .*\b(instead|with them|elsewhere|direct)\b"),
    ("threat", 5.0, r"\b(loses?|lose) (its|your) say\b"),
    (
        "threat",
        6.5,
        (
            r"\bif (it|this|that|we|you|they)\b[^.?!]*\b(isn't|doesn't|don't|can't|won't|"
            r"not)\b[^.?!]*\b(i|we|i'll|we'll) (lose|go|walk|take|have to|will)\b"
        ),
    ),
    (
        "threat",
        5.5,
        (
            r"\b(two|three|four|other|several) (other )?(strong )?(finalists|candidates|"
            r"bidders|suppliers|offers)\b"
        ),
    ),
    ("threat", 6.0, r"\band (we'll|i'll) (find|look for|go to)\b.*\b(another|else|other)\b"),
    # -- refusals ------------------------------------------------------------------
    (
        "bare_refusal",
        7.0,
        (
            r"^(no|nope|never|no way|absolutely not|not a chance|not happening)"
            r"\b[.! ]*$"
        ),
    ),
    ("bare_refusal", 6.0, r"^(no|nope)\b[.,!]"),
    (
        "bare_refusal",
        6.0,
        (
            r"\b(isn't|is not|not) (happening|changing|up for discussion)\b|"
            r"\bis impossible\b|\bis a no\b|\bthe answer is (still )?no\b"
        ),
    ),
    (
        "bare_refusal",
        6.0,
        (
            r"\b(not|won't be) (moving|budging)\b|\bend of\.?$|\bfull stop\b|"
            r"\bthat's (it|final|the end of it)\b|\bi've (said|told you) no\b"
        ),
    ),
    (
        "bare_refusal",
        5.5,
        (
            r"\bthere (will be|won't be) no\b|\bthere won't be any\b|"
            r"\bcan't have\b|\bwe're not (moving|changing)\b|\bis final\b|"
            r"\bsay(ing)? no\b|\bno,? (we|the)\b"
        ),
    ),
    ("bare_refusal", 5.0, r"\bstays with\b.*\bend of\b"),
    (
        "bare_refusal",
        5.5,
        (
            r"\bit's final\b|\bi meant it\b|\bi'm not (going to|revisiting|moving|"
            r"changing|budging)\b|\bdon't owe you\b"
        ),
    ),
    (
        "refusal_with_reasons",
        6.5,
        (
            r"\b(can't|cannot|won't|will not|not going to|don't think "
            r"(we|i)'ll|don't think (we|i) can|isn't going to)\b.*"
            r"\b(because|since|as|:|would|rather|but|so|budget|loss|"
            r"sink|customers|today|tonight|quarter|well|within|this|"
            r"there)\b"
        ),
    ),
    (
        "refusal_with_reasons",
        6.0,
        (
            r"\b(sleep on it|take a day|pause here|stop (here|there)|"
            r"leave it there|pick (this|it) up|revisit|come back in|"
            r"talk again|speak next week|meet again|not rush|"
            r"don't want to rush)\b"
        ),
    ),
    (
        "refusal_with_reasons",
        6.5,
        (
            r"\bi'll have to pass\b|\bis a no from me\b.*\bbut\b|\bno from me\b.*\bbut\b|"
            r"\bi won't sign\b"
        ),
    ),
    (
        "refusal_with_reasons",
        5.5,
        (
            r"\bwon't (happen|close)\b|\bnot going to (agree|close)\b|"
            r"\bisn't going to close\b|\bwon't solve\b"
        ),
    ),
    # -- closing -----------------------------------------------------------------
    (
        "proposal_to_close",
        6.5,
        (
            r"\b(shall|can|could) we (just )?(write|put|shake|sign|wrap|"
            r"confirm|agree|note|get (it|this) signed|close)"
        ),
    ),
    (
        "proposal_to_close",
        6.5,
        (
            r"\blet's (just )?(sign|shake|write (it|this|that) up|put "
            r"(it |this |that )?(down |in writing|on paper)|wrap|close)"
        ),
    ),
    (
        "proposal_to_close",
        6.0,
        (
            r"\bare we agreed\b|\bcovered (everything|the ground)\b|"
            r"\bnearly there\b|\bsign (the contract |it |what we have )?"
            r"as (it is|drafted)\b|\bshake on\b"
        ),
    ),
    # -- promises -----------------------------------------------------------------
    (
        "promise",
        6.0,
        (
            r"\b(i'll|i will|we'll|we will|let me) (send|get|bring|have|check|ask|"
            r"email|e-mail|make sure|find out|come back|call|ring|go upstairs|chase|"
            r"sort|put|dig|forward)\b"
        ),
    ),
    (
        "promise",
        6.5,
        (
            r"\bas (i )?promised\b|\bi promise\b|\bpromise\b$|\byou have my word\b|"
            r"\blet me take (this|it) away\b|\bcome back on \w+day\b"
        ),
    ),
    (
        "promise",
        6.0,
        (
            r"\b(has|have|has just|have just|just|'s|'s just) (sent|come back|come in|"
            r"confirmed|replied)\b|\bjust came in\b|\bin your inbox\b|"
            r"\bi've (actually )?brought\b|\bhere (is|are) (the|our)\b.*\b(promised|"
            r"forecast|orders|figures)\b|\bi've forwarded\b"
        ),
    ),
    ("promise", 5.0, r"\bin writing\b|\bguarantee\b"),
    (
        "promise",
        5.0,
        (
            r"\b(i'll|we'll) (get|have) (it|that|them|some|our|the) .*\b(to you|over|"
            r"before|by|tomorrow|tonight)\b"
        ),
    ),
    # -- offers and concessions --------------------------------------------------------
    (
        "offer",
        6.0,
        (
            r"\b(how about|what if we|what if i|i propose|propose:|here's (my|our|what i "
            r"can|the plan|a fair)|i (can|could) offer|my offer|our offer is|i can do "
            r"\w+ (cents|pence|percent|%|thousand)|i could do|we could do|let's (just )?"
            r"keep the same|same (deal|terms) as now)\b"
        ),
    ),
    (
        "offer",
        4.0,
        (
            r"[£€$]\s?\d|\b\d+(\.\d+)?\s?(k|m|cents|pence|percent|%|thousand|million|"
            r"days|years?|weeks)\b"
        ),
    ),
    (
        "concession",
        6.0,
        (
            r"^(okay|alright|all right|fine|oh go on|go on|oh,? go on)\b.*\b(we can|"
            r"we'll|you win|have (it|that|scotland)|i can|accept|yours|fifteen|"
            r"ninety)\b"
        ),
    ),
    ("concession", 5.5, r"\b(could|can|shall) we meet (at|in the middle|halfway)\b|\bis yours\b"),
    (
        "concession",
        6.0,
        (
            r"\bwe can (move|stretch|push|hold|go|meet|do)\b|\byou win\b|"
            r"\byou've earned it\b|\bis yours\b|\b(knock|take) .* off\b|"
            r"\bwe'll accept\b|\bhave scotland\b"
        ),
    ),
    (
        "concession",
        5.5,
        (
            r"\bnot (starting|start) (again|over)\b|\bnot haggle\b|"
            r"\b(i can|we can) do it for\b|\bcould take\b.*\boff\b"
        ),
    ),
    # -- listening ------------------------------------------------------------------
    (
        "summary",
        7.0,
        (
            r"\b(sum up|summari[sz]e|summary|recap|pull together|pull that together|"
            r"where we('ve got| are| stand)|the whole picture|everything you've told)\b"
        ),
    ),
    (
        "summary",
        6.5,
        (
            r"\blet me (just )?(check|make sure) (i|i've|i have) (got|understood|"
            r"understand|the)\b"
        ),
    ),
    ("summary", 6.0, r"\b(so )?to (sum|recap)\b"),
    (
        "summary",
        4.0,
        (
            r"\b(come back|go back|get back) to (the|our) (plan|contract|package)\b.*"
            r"\b(with|in mind)\b|\bin mind\b"
        ),
    ),
    (
        "paraphrase",
        5.5,
        (
            r"^so,? (you|the|your|it|what|a|leaving|keeping|if|our|everyone|it's|"
            r"people|june)\b"
        ),
    ),
    (
        "paraphrase",
        6.0,
        (
            r"\bif i('ve)? (hear|heard|understood|understand|follow|got (this|that|"
            r"it) right)\b|\bif i'm hearing\b|\bwhat you're (saying|after)\b|"
            r"\bwhat you want\b|\bit's not (change|the|that)\b|\bit's less about\b"
        ),
    ),
    ("paraphrase", 5.0, r"\b(it|this) sounds like (you|it's|you're|the|this)\b"),
    ("paraphrase", 4.5, r"\byou're not against\b|\bsounds like it's not\b"),
    (
        "emotion_label",
        7.0,
        (
            r"\b(you|you're|he's|she's|they|they're|it|that|this) (sound|sounds|"
            r"seem|seems|look|looks|feel|feels|felt|must have|must be|must feel)"
            r"\b.*\b(" + EMOTIONS + r")"
        ),
    ),
    (
        "emotion_label",
        6.5,
        (
            r"\b(sounds like|i (get the sense|can hear|think)|i sense|"
            r"i imagine)\b.*\b(" + EMOTIONS + r")"
        ),
    ),
    ("emotion_label", 5.5, r"\bi (get the sense|sense)\b.*\babout you\b"),
    (
        "emotion_label",
        6.0,
        (
            r"\b(that|it) must have (really )?(hurt|stung|been (hard|awful|painful|"
            r"difficult|horrible))\b|\bmust have (brought|felt)\b"
        ),
    ),
    ("emotion_label", 6.0, r"\bmust have (really )?(hurt|stung|been hard|been awful|been painful)"),
    ("emotion_label", 5.5, r"\bi can hear (that|it)\b|\beating at you\b"),
    ("emotion_label", 5.5, r"^(" + EMOTIONS + r")\b.*\b(and|but)\b"),
    (
        "emotion_label",
        5.5,
        (
            r"\b(you|you're|you've) (really )?(had to|watch|carried|"
            r"stand there)\b"
        ),
    ),
    # -- rapport ---------------------------------------------------------------------
    ("appreciation", 4.5, r"\bthanks\b"),
    (
        "appreciation",
        6.0,
        (
            r"\b(thank you|thanks (for|so much|a lot)|thank|appreciate|grateful|we value|"
            r"that means a lot|that counts|congratulations|impressive|well done)\b"
        ),
    ),
    (
        "appreciation",
        6.0,
        (
            r"\bwithout you\b|\b(always|keep) tell(ing)? (people|the)\b|"
            r"\bthe first to\b|\btook a chance on us\b|\byou took\b|\bsupported us\b|"
            r"\bbacked us\b|\bit's why\b"
        ),
    ),
    ("appreciation", 5.0, r"\b(go and|go) see to\b|\bi'll wait\b"),
    (
        "appreciation",
        5.5,
        (
            r"\bthe best (we've|i've|we have|i have)\b|\bpeople noticed\b|"
            r"\bout of a hole\b|\bwelcome to\b|\bwell done\b|\bcredit to\b|"
            r"\bplease tell (him|her|them)\b|\byou're right\b|\bsold more\b"
        ),
    ),
    (
        "self_disclosure",
        6.0,
        (
            r"\b(i'll be (honest|straight|open)|to be (honest|frank)|honestly|"
            r"truthfully|i'll admit|i have to admit|i must admit|between us)\b"
            r".*\b(i|i'm|i've|my|we're|we|me)\b"
        ),
    ),
    (
        "self_disclosure",
        5.0,
        (
            r"\b(i've|i have) (been|never)\b|\bi (made|did) the same\b|\bi'm a (one|small|new)|"
            r"\bwhen i (moved|started|was)\b|\bmy (first|boss|finance|"
            r"director|team|manager)\b|\bi know the feeling\b|"
            r"\bhere's what i (know|don't)\b|\bi don't know (if|yet|whether)\b|"
            r"\bi need (help|your)\b|\bwhat i (can and can't|need)\b|"
            r"\bthis (account|deal) is\b"
        ),
    ),
    (
        "self_disclosure",
        4.5,
        (
            r"^(it's|this is) my first\b|\bbe gentle with me\b|"
            r"\bbear with me\b"
        ),
    ),
    (
        "small_talk",
        5.0,
        (
            r"\b("
            + CHAT_TOPICS
            + r")\b.*\?|^(how|did|are|is|was|were|have) .*\b("
            + CHAT_TOPICS
            + r")\b"
        ),
    ),
    (
        "small_talk",
        5.5,
        (
            r"\b(get|got) (away|up)\b|\bhow was (the|your) (trip|drive|journey|"
            r"train|flight|weekend|holiday|lisbon)\b|\bhow's (biscuit|lisbon)\b|"
            r"\bnot flying\b"
        ),
    ),
    ("small_talk", 6.5, r"\blet's get you a (drink|coffee|tea|cuppa)\b"),
    (
        # A pleasantry said as a statement: the weather, the coffee, the room.
        "small_talk",
        4.5,
        (
            r"^(what a |such a )?(lovely|nice|great|beautiful|gorgeous|glorious|awful|"
            r"terrible|horrible|miserable) (weather|day|morning|afternoon|view|coffee|tea|"
            r"office|place|spot|room|building)\b|\b(weather|coffee|tea|view|office)\b.{0,30}"
            r"\b(lovely|nice|great|beautiful|amazing|gorgeous|glorious|awful|terrible)\b|"
            r"\bi love what you('ve| have) done\b"
        ),
    ),
    (
        "small_talk",
        5.0,
        (
            r"^(hi|hello|hey|good (morning|afternoon|evening)|morning|"
            r"nice to see you|good to see you|lovely to see you)\b"
        ),
    ),
    # -- arguments ---------------------------------------------------------------------
    (
        "argument",
        4.5,
        (
            r"\b(because|the reason|for context|speaks for itself|our record|"
            r"benchmarked|the law|that's how we|we're an?|which helps|"
            r"is that|means)\b"
        ),
    ),
    ("argument", 6.5, r"^i'll get straight\b"),
    (
        "argument",
        4.5,
        (
            r"^(let's get (into|started|down)|straight to|"
            r"let's talk about|now,? about|great\.? let's talk|good\.? now)\b|"
            r"\bi should be clear\b|\bi should say\b|\bif we (wait|delay)\b|"
            r"\bevery week we\b"
        ),
    ),
    (
        "argument",
        5.5,
        (
            r"\bshall we (talk|look at|get to|discuss)( about)? (the )?(numbers|"
            r"budget|price|money|exclusivity|terms|package)\b"
        ),
    ),
    (
        "argument",
        4.0,
        (
            r"\b(your|the) (price|prices) (went|rose|go)\b|\bwe're low[- ]risk\b|"
            r"\bgives us\b|\bbrings?\b|\bneeds its own\b|\ba lot of work\b"
        ),
    ),
]

_COMPILED = [(m, w, re.compile(p)) for m, w, p in RULES]


@lru_cache(maxsize=1)
def cue_stems() -> frozenset[str]:
    """The stems of the words the rules listen for (the letters of their patterns):
    a line that says one of them is not noise, whatever the scenario's own words."""
    found: set[str] = set()
    for pattern in [p for _m, _w, p in RULES] + [EMOTIONS, CHAT_TOPICS]:
        letters = re.sub(r"\\[a-zA-Z]", " ", pattern)  # not the b of \b, the w of \w
        found.update(stem(w) for w in re.findall(r"[a-z]{2,}", letters))
    return frozenset(found)


_WH = re.compile(
    r"^(?:\w+[,:]? ){0,6}?(what|what's|how|how's|where|where's|which|who|why|"
    r"when|whose)\b"
)
# Without a question mark, only a wh-word followed by a verb asks ("what do you…").
_WH_UNASKED = re.compile(
    r"^(what|how|where|which|who|why|when)('s|'re| is| are| do| does| did| "
    r"would| could| will| can| should| was| were| has| have| about| else)\b"
)
_TELL = re.compile(
    r"^(tell me|describe|help me understand|talk me through|walk me through|"
    r"can you (tell|describe|walk|talk)|could you (tell|describe|walk|talk)|"
    r"i'd (like|love) to (hear|know|understand))\b"
)
_AUX = re.compile(
    r"^(?:\w+[,.!:]? ){0,3}?(is|are|was|were|do|does|did|can|could|will|would|"
    r"shall|should|have|has|had|may|might|any|fancy|want|anything|isn't|aren't|"
    r"don't|doesn't|didn't)\b"
)
_AUX_FIRST = re.compile(
    r"^(is|are|was|were|do|does|did|can|could|will|would|shall|should|"
    r"may|might|fancy|isn't|aren't|don't|doesn't|didn't)\b"
)
_TAG_END = re.compile(
    r", (isn't|aren't|hasn't|haven't|don't|doesn't|wouldn't|won't|didn't) "
    r"(it|you|they|we|he|she)\.?\s*$"
)
_TAG = re.compile(
    r"(,|\bthough|\bsurely)\s*(isn't|aren't|don't|doesn't|wouldn't|won't|can't|"
    r"didn't|haven't|hasn't|right|surely|can|is|do|would|will|eh|no|yes)\b"
    r"[\w' ]{0,12}\?*\s*$|\bsurely\b|\byou('d| would) agree\b|"
    r"\byou (do )?(know|realise|realize)\b.*\?|\bright\?\s*$"
)


@dataclass(frozen=True)
class MoveGuess:
    move: str
    confidence: float  # 0..1: how far the best reading beats the next one
    scores: dict[str, float]


_SENTENCE = re.compile(r"(?<=[.?!])\s+")


def question_move(line: str) -> str | None:
    """open / closed / leading for a line shaped as a question, None otherwise.

    In a line of several sentences the question decides ("Nineteen years.
    What's kept you there?"), so the last one that asks is read."""
    parts = [p for p in _SENTENCE.split(line.strip()) if p]
    asked_parts = [p for p in parts if p.rstrip().endswith("?")]
    if asked_parts:
        t = asked_parts[-1]
    elif parts and _TAG_END.search(parts[-1]):
        return "leading_question"
    else:
        t = next((p for p in parts if _TELL.search(p)), parts[0] if parts else line)
    asked = t.rstrip().endswith("?")
    if "do you think" in t and _WH.search(t):
        return "open_question"
    if _TAG.search(t) and (asked or "surely" in t or "agree" in t):
        return "leading_question"
    if _TELL.search(t):
        return "open_question"
    if _WH.search(t) and (asked or _WH_UNASKED.match(t)):
        return "open_question"
    if asked or _AUX_FIRST.match(t):
        return "closed_question"
    return None


def rule_scores(t: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for move, weight, rx in _COMPILED:
        if weight > scores.get(move, 0.0) and rx.search(t):
            scores[move] = weight
    q = question_move(t)
    if q is not None:
        # Question form is strong evidence; rapport topics make it small talk instead.
        scores[q] = max(scores.get(q, 0.0), 5.2 if q != "closed_question" else 4.8)
        if "small_talk" in scores:
            scores["small_talk"] += 0.5
    return scores


def classify(text: str) -> MoveGuess:
    t = normal(text)
    scores = rule_scores(t)
    if not scores:
        scores = {"argument": 1.0}  # a plain statement about the matter at hand
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = max(0.0, min(1.0, (top - second) / 3.0 + (0.3 if top >= 6 else 0.0)))
    return MoveGuess(best, round(confidence, 3), scores)

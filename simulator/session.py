"""A practice session: the one place that ties reading, the coachee's state, knowledge and the voice together.

    session = Session(persona, lang="id", voice=ScriptedVoice(), searcher=None, recorder=None)
    result = session.coach_says("Selamat siang, Bu. Apa yang ingin Ibu bicarakan hari ini?")
    result.reply, result.state, result.plan, result.hint
    session.states        # the initial state, then one per coach turn
    session.fork(2)       # a new session with the turns before the third coach turn, state replayed
    Session.from_dict(session.to_dict(), voice=...)

A recorder (anything with `record(session)`, e.g. the app's store) is called after the coach turn is appended
and again after the reply, so a crashed model call loses no turn. A failing voice falls back to the scripted
voice with a notice; the session goes on.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

from simulator.coachee import state as coachee
from simulator.coachee.asked import ASKS_FEELING, QUESTION_SENTENCE, asks_forward, names_in, says_who
from simulator.coachee.memory import (
    MATCH_FLOOR,
    Hit,
    PersonaMemory,
    load_memory,
    memory_index,
    stem_set,
    synonyms,
    warm_in_background,
)
from simulator.coachee.persona import Persona, get_persona
from simulator.coachee.said import lower_words, norm
from simulator.coachee.state import CoacheeState, Plan
from simulator.coachee.voices import TOLD_MARGIN, Reply, ScriptedVoice, Voice
from simulator.errors import InputError
from simulator.evaluation.transcript import Transcript, Utterance
from simulator.reading.facts import kind_value, kinds_named, tense_asked, tense_told
from simulator.reading.focus import focus, has_form, item_kinds, rerank
from simulator.reading.moves import Move, classify
from simulator.reading.reader import Reading, content_words, read_turn
from simulator.retrieval.search import Passage

MAX_CHARS = 4000
_MESSAGES = {
    "empty": {"id": "Pesan kosong: tulis apa yang ingin Anda katakan kepada coachee.",
              "en": "Empty message: type what you want to say to the coachee."},
    "long": {"id": "Pesan terlalu panjang ({n:,} karakter; paling banyak {max:,}). Persingkat giliran Anda.",
             "en": "Message too long ({n:,} characters; at most {max:,}). Shorten your turn."},
    "fallback": {"id": "Suara '{voice}' gagal ({why}); coachee dijawab oleh suara skrip.",
                 "en": "The '{voice}' voice failed ({why}); the scripted voice answered instead."},
}


class Recorder(Protocol):
    def record(self, session: Session) -> None: ...


@dataclass(frozen=True)
class Turn:
    speaker: str                   # "coach" | "coachee"
    text: str
    reading: Reading | None = None  # coach turns
    notice: str | None = None      # coachee turns: e.g. the model failed and the scripted voice answered
    voice: str | None = None       # coachee turns: which voice spoke

    def to_dict(self) -> dict:
        return {"speaker": self.speaker, "text": self.text,
                "reading": self.reading.to_dict() if self.reading else None,
                "notice": self.notice, "voice": self.voice}

    @classmethod
    def from_dict(cls, d: dict) -> Turn:
        return cls(speaker=d["speaker"], text=d["text"], reading=reading_from_dict(d.get("reading")),
                   notice=d.get("notice"), voice=d.get("voice"))


@dataclass(frozen=True)
class TurnResult:
    reply: str
    reading: Reading
    state: CoacheeState
    plan: Plan
    notice: str | None = None
    hint: str | None = None
    passages: tuple[Passage, ...] = field(default=())

    def to_dict(self) -> dict:
        return {"reply": self.reply, "reading": self.reading.to_dict(), "state": self.state.to_dict(),
                "plan": self.plan.to_dict(), "notice": self.notice, "hint": self.hint,
                "passages": [asdict(p) for p in self.passages]}


def reading_from_dict(d: dict | None) -> Reading | None:
    if d is None:
        return None
    d = dict(d)
    for key in ("acts", "key_words"):
        d[key] = tuple(d.get(key, ()))
    d["evidence"] = tuple(tuple(e) for e in d.get("evidence", ()))
    return Reading(**d)


def check_text(text: str, lang: str) -> str:
    """The coach's text, stripped; InputError (in the session's language) when empty or too long."""
    msg_lang = lang if lang in ("id", "en") else "en"
    if not isinstance(text, str) or not text.strip():
        raise InputError(_MESSAGES["empty"][msg_lang])
    if len(text) > MAX_CHARS:
        raise InputError(_MESSAGES["long"][msg_lang].format(n=len(text), max=MAX_CHARS))
    return text.strip()


class Session:
    def __init__(self, persona: Persona | str, lang: str = "id", voice: Voice | None = None, searcher=None,
                 recorder: Recorder | None = None, session_id: str | None = None, rules=None,
                 memory: PersonaMemory | None | bool = True):
        self.persona = get_persona(persona) if isinstance(persona, str) else persona
        if lang not in self.persona.languages:
            raise InputError(f"Persona '{self.persona.id}' speaks {', '.join(self.persona.languages)}, "
                             f"not '{lang}'.")
        self.lang = lang
        self.voice = voice or ScriptedVoice()
        self.searcher = searcher
        self.recorder = recorder
        self.id = session_id or uuid.uuid4().hex
        self.rules = rules or coachee.load_rules()
        # The persona's memory (personas/memory/<id>.yaml): True = load the shipped file if there is one.
        self.memory = load_memory(self.persona.id) if memory is True else (memory or None)
        if self.memory is not None:
            warm_in_background(self.memory, lang)
        self.turns: list[Turn] = []
        self.states: list[CoacheeState] = [coachee.initial_state(self.persona, self.rules)]
        self.forked_from: dict | None = None

    # ---------------------------------------------------------------------------------------- views
    @property
    def state(self) -> CoacheeState:
        return self.states[-1]

    @property
    def readings(self) -> list[Reading]:
        return [t.reading for t in self.turns if t.speaker == "coach" and t.reading is not None]

    @property
    def coach_turns(self) -> int:
        return sum(t.speaker == "coach" for t in self.turns)

    def last_coachee_text(self) -> str:
        return next((t.text for t in reversed(self.turns) if t.speaker == "coachee"), "")

    def to_transcript(self) -> Transcript:
        return Transcript(lang=self.lang, turns=[Utterance(t.speaker, t.text) for t in self.turns])

    # ---------------------------------------------------------------------------------------- a turn
    def coach_says(self, text: str) -> TurnResult:
        reading, state, plan = self._take_coach_turn(text)
        passages = self._search(plan)
        reply = self._say(plan, state, passages)
        return self._finish(reply, reading, state, plan, passages)

    def coach_says_stream(self, text: str) -> Iterator[str | TurnResult]:
        """Yields the reply so far (growing strings) while the voice streams, then the TurnResult."""
        reading, state, plan = self._take_coach_turn(text)
        passages = self._search(plan)
        stream = getattr(self.voice, "stream", None)
        reply = None
        if stream is not None:
            parts: list[str] = []
            try:
                args = self._voice_args(plan, state, passages)
                if not _accepts_memories(self.voice, "stream"):
                    args.pop("memories", None)
                for chunk in stream(**args):
                    parts.append(chunk)
                    yield "".join(parts)
                if "".join(parts).strip():
                    reply = Reply(text="".join(parts).strip(), voice=self.voice.name)
            except Exception as exc:  # noqa: BLE001 - any voice failure falls back; the session goes on
                reply = self._fallback(plan, state, passages, exc)
        if reply is None:
            reply = self._say(plan, state, passages)
        result = self._finish(reply, reading, state, plan, passages)
        yield result.reply
        yield result

    def respond(self) -> TurnResult | None:
        """Answer a coach turn left without a reply (e.g. after a crash or restart); None if none is pending."""
        if not self.turns or self.turns[-1].speaker != "coach":
            return None
        reading, state = self.turns[-1].reading, self.state
        move = self._classify(reading.text, self.turns[:-1])
        plan = self._plan(state, reading, move, self._hits(move, self._coachee_text_before(len(self.turns) - 1)))
        passages = self._search(plan)
        return self._finish(self._say(plan, state, passages), reading, state, plan, passages)

    def _take_coach_turn(self, text: str) -> tuple[Reading, CoacheeState, Plan]:
        text = check_text(text, self.lang)
        move = self._classify(text)
        # A turn written in the other language is read in that language (and answered in the session's).
        read_lang = move.lang if move.lang in ("id", "en") and len(text.split()) >= 3 else self.lang
        before = self.last_coachee_text()
        reading = read_turn(text, before, read_lang)
        hits = self._hits(move, before)
        state = coachee.update(self.state, reading, self.persona, self.rules, move=move, topic=_topic(move, hits),
                               heard=_heard(self.turns, self.lang), near=self._near(hits))
        plan = self._plan(state, reading, move, hits)
        self.turns.append(Turn("coach", text, reading))
        self.states.append(state)
        self._record()
        return reading, state, plan

    def _classify(self, text: str, before: Sequence[Turn] | None = None) -> Move:
        """The kind of turn. Before the coachee has said a word (`before`: the turns so far), thanks for the time
        opens the talk ("Terima kasih sudah meluangkan waktu, Pak"): a greeting, never a goodbye (round 7)."""
        move = classify(text, self.lang, names=coachee._names(self.persona))
        turns = self.turns if before is None else before
        if move.kind == "goodbye" and not any(t.speaker == "coachee" for t in turns):
            move = replace(move, kind="greeting")
        return move

    def _coachee_text_before(self, index: int) -> str:
        return next((t.text for t in reversed(self.turns[:index]) if t.speaker == "coachee"), "")

    def _plan(self, state: CoacheeState, reading: Reading, move: Move, hits: list[Hit]) -> Plan:
        hits = self._about_someone_mentioned(state, move, hits)
        if move.question == "yes_no":
            hits = _of_the_kind_asked(hits, move.focus, move.lang if move.lang in ("id", "en") else self.lang)
        if move.question in ("yes_no", "factual", "open"):
            hits = _of_the_time_asked(hits, move.focus, move.lang if move.lang in ("id", "en") else self.lang,
                                      wish_only=move.question == "open")
        truth = None
        if state.reaction in ("deflect", "judgement", "advice"):
            hits = []   # the coachee reacts to HOW it was asked; nothing from memory
        elif state.reaction == "why":
            # A why-question costs trust (the state took it), but a reason the coachee holds and may say is still
            # given: "Why don't they come?" answered with a line about something else is a non-sequitur.
            may = {*coachee.allowed_layers(state), "surface"}   # its own concern is always answerable
            hits = [h for h in hits if h.score >= MATCH_FLOOR and h.layer in may][:1]
        elif move.question == "yes_no" and hits and hits[0].score >= MATCH_FLOOR \
                and (hits[0].layer in coachee.allowed_layers(state)
                     or hits[0].layer == "surface" and hits[0].item.kind in ("fact", "episode")):
            index = memory_index(self.memory, move.lang if move.lang in ("id", "en") else self.lang)
            truth = index.yes_no(move.focus, hits[0].item)
        off_topic = None
        if self.memory is not None and not move.ordinary:
            index = memory_index(self.memory, move.lang if move.lang in ("id", "en") else self.lang)
            off_topic = index.unknown_share(move.asked or move.focus) >= OFF_TOPIC
        plan = coachee.plan(state, reading, self.persona, lang=self.lang, move=move, hits=hits, truth=truth,
                            match_floor=MATCH_FLOOR, remembers=self.memory is not None, off_topic=off_topic)
        if plan.reaction == "reveal" and plan.reveal and not any(i["layer"] == plan.reveal for i in plan.memory_items):
            plan = self._opening(plan, move)
        elif plan.reaction in ("reveal", "answer") and not plan.reveal:
            plan = self._past_the_telling(plan, move, state)
        return self._second_part(plan, reading.text, move)

    def _past_the_telling(self, plan: Plan, move: Move, state: CoacheeState) -> Plan:
        """The turn's best match is a telling already given in full, and nothing untold came near it: the coach asks
        past that telling ("Jadi ada setengah jam sampai buku IPAS terbuka, dengan anak yang melapor sambil menangis.
        Biasanya apa yang mereka laporkan?"), and the summary's words drew the search to what was just said. Asked
        alone, the question may find what answers it among what is not told yet; that item, when it comes within
        the told item's margin and near enough to answer from, rather than "haven't thought about it" (rounds 31 and
        33: a person knows what the children report)."""
        if self.memory is None or move.ordinary or move.question == "yes_no" or not plan.memory_items \
                or not move.asked or _POINTS_AT.search(move.asked) or move.focus.count("?") > 1:
            # ("What do you make of that?" asks about the telling itself; of two questions, "Tidak baiknya seperti
            # apa, Bu? Waktu itu Ibu coba dengan cara apa?", the telling may answer the other one)
            return plan
        told = self._told()

        def said(item: dict) -> bool:
            return norm(item["long"]) in told

        best = plan.memory_items[0]
        if not said(best) or any(not said(i) and i["score"] >= best["score"] - TOLD_MARGIN
                                 for i in plan.memory_items[1:]):
            return plan   # (an untold item as near as that is what the voice answers from)
        lang = move.lang if move.lang in ("id", "en") else self.lang
        may = {*coachee.allowed_layers(state), *(("surface",) if plan.reaction == "answer" else ())}
        if move.deep:
            may.discard("open")   # asked what it means: no plain fact (as the plan does)
        index = memory_index(self.memory, lang)
        hits = index.search(self._unnamed(move.asked), layers=tuple(may), k=len(self.memory.items))
        reference = next((h.score for h in hits if h.item.id == best["id"]), hits[0].score if hits else 0.0)
        feeling = bool(ASKS_FEELING.search(move.asked))   # asked how it feels: a feeling, not another story
        fresh = next((h for h in hits if norm(h.item.long(self.lang)) not in told
                      and (h.item.kind == "feeling" or not feeling)), None)
        if fresh is None or fresh.score < coachee.NEAREST or fresh.score < max(reference, hits[0].score) - TOLD_MARGIN \
                or fresh.lexical < PAST_WORDS:
            return plan   # (an embedding's likeness alone is no answer: "What did you do just before they joined in?")
        held = f"{fresh.item.short(self.lang)} {fresh.item.long(self.lang)}".lower()
        if any(mark.lower() not in held for mark in (*_MARKS.findall(move.asked), *names_in(move.asked))):
            return plan   # "Apa yang terjadi di VIII-A?" is not answered by a memory about something else
        item = coachee.plan_item(fresh, self.lang)
        return replace(plan, memory_items=[item, *plan.memory_items],
                       memories=[(fresh.item.short if plan.reaction == "answer" else fresh.item.long)(self.lang),
                                 *plan.memories])

    def _opening(self, plan: Plan, move: Move) -> Plan:
        """A layer opens this turn and none of its items was among the turn's best matches: the item of that layer
        that answers the turn best, when it comes near it, rather than the layer's stock opening ("What makes it
        feel important that they're written from scratch?" opened the worry underneath and heard "Sometimes I cry
        on my motorbike" beside the item about needing perfect documents: judged sets 25-26)."""
        if self.memory is None:
            return plan
        lang = move.lang if move.lang in ("id", "en") else self.lang
        told = self._told()
        hits = [h for h in memory_index(self.memory, lang).search_turn(
                    self._unnamed(move.focus), self._unnamed(move.asked or move.focus), layers=(plan.reveal,), k=3)
                if norm(h.item.long(self.lang)) not in told
                and not (move.deep and h.item.kind in ("fact", "history"))   # asked what it means: no date or count
                and (h.item.kind == "feeling" or not ASKS_FEELING.search(move.asked or move.focus))]   # how it feels
        if not hits or (hits[0].score < OPENING_NEAR and hits[0].lexical < OPENING_WORDS) \
                or plan.reveal == "surface" and hits[0].lexical < SURFACE_WORDS:
            # (the presenting problem's authored opening answers "How's your week been?" better than a memory the
            # embedding alone puts near it: paired comparison 40, the first replies)
            return plan
        return replace(plan, memory_items=[*plan.memory_items, coachee.plan_item(hits[0], self.lang)],
                       memories=[*plan.memories, hits[0].item.long(self.lang)])

    def _second_part(self, plan: Plan, text: str, move: Move) -> Plan:
        """"Di VIII-C ada berapa murid? Dibagi jadi berapa kelompok?": two linked questions for plain facts are
        both answered when memory holds both (a blind panel found the second one dropped). Only a fact (open or
        surface layer, with the asked-for form) is added; anything deeper keeps its pacing."""
        questions = [q.strip() for q in QUESTION_SENTENCE.findall(text) if q.strip()]
        if self.memory is None or plan.reaction != "answer" or plan.question != "factual" or len(questions) != 2 \
                or not plan.memory_items:
            return plan
        lang = move.lang if move.lang in ("id", "en") else self.lang
        second = questions[1]
        if focus(second, lang) not in ("number", "time", "who", "where"):
            return plan
        first_id = plan.memory_items[0]["id"]
        for hit in memory_index(self.memory, lang).search(second, k=3):
            if hit.score >= MATCH_FLOOR and hit.layer in ("open", "surface") and hit.item.id != first_id \
                    and has_form(f"{hit.item.short(self.lang)} {hit.item.long(self.lang)}", second, lang):
                text = hit.item.short(self.lang) if has_form(hit.item.short(self.lang), second, lang) \
                    else hit.item.long(self.lang)
                return replace(plan, also=(text,))
        return plan

    def _about_someone_mentioned(self, state: CoacheeState, move: Move, hits: list[Hit]) -> list[Hit]:
        """"Hartono itu siapa?" right after the coachee named Pak Hartono: what the coachee may say about them comes
        first (it brought them up itself, so it does not deflect the question)."""
        if self.memory is None or move.ordinary or not hits:
            return hits
        earlier = [t.text for t in self.turns if t.speaker == "coachee"]
        named = {n for text in earlier for n in _MENTIONED.findall(text)}
        asked = {w.lower() for w in re.findall(r"[A-Za-z]+", move.asked or move.focus)}
        if asked & _SOMEONE:
            # "Salsa, is she a colleague? Tell me a bit about her.": the question names her only as "her"; the
            # name is in the turn (round 12: the reply was about someone else).
            asked |= {w.lower() for w in re.findall(r"[A-Za-z]+", move.focus)}
        common = lower_words(self.persona.id, self.lang)   # "Guru" in "Guru Penggerak" is no one's name
        # the coachee's own name is how it is addressed ("Raka sendiri mau nilai berapa?"), not someone mentioned
        own = {w.lower() for n in coachee._names(self.persona) for w in n.split()}
        # (a day, a subject, an app is no one: "where should I sit on Thursday?" after "... on Thursday" asks the seat -
        # round 41 heard that the class had been told of a visitor on Thursday)
        wanted = [n for n in named if n.lower() in asked and n.lower() not in common | own and not kind_value(n, self.lang)]
        who = _WHO_IS.search(move.asked or move.focus)
        whom = next((g for g in who.groups() if g), "") if who else ""
        if whom in wanted:
            wanted = [whom]   # "Rara itu siapa, dan apa hubungannya dengan rahasia Salsa?" asks who Rara is (round 36)
        if not wanted:
            return hits
        allowed = set(coachee.allowed_layers(state))
        index = memory_index(self.memory, self.lang)
        about = [h for h in index.search(move.asked or move.focus, k=len(self.memory.items))
                 if h.layer in allowed and any(n in f"{h.item.short(self.lang)} {h.item.long(self.lang)}"
                                               for n in wanted)]
        if not about:
            return hits
        if _ASKS_WHO.search(move.asked or move.focus) and focus(move.asked or move.focus, self.lang) == "who":
            # "Pak Darmawan itu siapa?": the telling that says who he is first ("Pengawas kita, Pak Darmawan, ...")
            about.sort(key=lambda h: not says_who(f"{h.item.short(self.lang)} {h.item.long(self.lang)}",
                                                  move.asked or move.focus, self.lang))
        first = [Hit(h.item, max(h.score, MORE_SCORE), h.dense, h.lexical) for h in about[:3]]
        return first + [h for h in hits if h.item.id not in {f.item.id for f in first}]

    def _hits(self, move: Move, before: str, turns: list[Turn] | None = None) -> list[Hit]:
        """The memory items that answer the turn, any layer, best first (the plan decides what may be said)."""
        if self.memory is None:
            return []
        meant = self._what_a_phrase_means(move, turns)
        if meant:
            return meant
        if move.kind in ("clarify", "repeat"):
            # "What do you mean?": the memory item behind what the coachee just said, to say it in other words.
            said = norm(before)
            return [Hit(item, 1.0, 1.0, 1.0) for item in self.memory.items
                    if norm(item.short(self.lang)) in said
                    or norm(item.long(self.lang)) in said][:1]
        if move.ordinary and move.kind != "small_talk":
            return []   # small talk is searched: "What do you do at the weekend?" has an answer in memory
        if move.more and before:
            # "Tell me more": more on the topic of what the coachee just said. "Tell me more about what happens after
            # break." names what it asks about: searched as any question when memory holds something untold that
            # answers it (round 24 heard the goal the reply before had touched on).
            more = self._more_of(before, turns)
            if not _names_a_new_topic(move, before):
                return more
            searched = self._hits(replace(move, more=False), before, turns)
            told = self._told(turns)
            may = set(coachee.allowed_layers(self.state))
            untold = [h for h in searched if h.score >= MATCH_FLOOR and h.layer in may
                      and norm(h.item.long(self.lang)) not in told]
            return searched if untold else more
        # A turn in the other language is searched in that language (the items are the same in both).
        index = memory_index(self.memory, move.lang if move.lang in ("id", "en") else self.lang)
        # The coachee's own name in the turn is how it is addressed, never what is asked about ("Try what exactly,
        # Mrs Siti?" found the item where she introduces herself: round 9).
        turn = self._unnamed(move.focus)
        # (what the coach sets aside is not what it asks about: "Kalau kita kesampingkan dulu soal keluhan itu, bagian
        # mana dari mengajar Sejarah yang paling Bapak nikmati?" - round 36 heard the complaint)
        unnamed = self._unnamed(move.asked or move.focus)
        asked = _SET_ASIDE.sub("", unnamed).strip() or unnamed
        content = [w for w in content_words(asked, move.lang) if w not in _PRO_FORMS]
        question = asked if content or not _POINTS_AT.search(asked) else _named_before(turn, asked, move.lang)
        plain = _WHEN_AT_END.sub("", question).strip()
        if plain != question and _WH_OPENS.match(plain) and content_words(plain, move.lang):
            # A "when" clause at the end about the coach's own doing says when, not what is asked: "So what would you
            # like me to focus on when I observe on Thursday?" (round 41 heard which class is observed on Thursday)
            question = plain + "?"
        if before and (not content or len(content) == 1 and len(asked.split()) <= 3
                       and content[0] in before.lower()):
            turn = f"{before} {turn}"   # "Out of how many?": about what the coachee just said
        # What the question asks for (a number, a time, a person...) weighs against items that merely share a word.
        lang = move.lang if move.lang in ("id", "en") else self.lang
        hits = rerank(index.search_turn(turn, question, k=8), asked, lang, synonyms(lang))[:5]
        if before and len(content) <= 2 and len(asked.split()) <= 6 and _ANAPHOR.search(asked):
            # "What happened that time?" asks about what the coachee just said: with it, the search finds the topic
            # better than the two bare words do (round 13: the morning routine answered "that time", the grouping
            # tried once); "What usually starts it?" finds its answer on its own and keeps it.
            told = self._told(turns)
            # (the coach's own sentence that names it, if the question only points: "Ibu lihat kamu jarang bareng
            # teman-teman yang dulu. Boleh cerita soal itu?" - not her family, whose example question is "Boleh cerita
            # soal keluarga kamu?")
            near = [h for h in rerank(index.search_turn(f"{before} {turn}", question, k=8), asked, lang, synonyms(lang))
                    if norm(h.item.long(self.lang)) not in told][:5]
            if near and (not hits or near[0].score > hits[0].score):
                hits = near
        named = self._card_words(turn.replace(asked, " ")) if len(content) <= 3 and _POINTS_BACK.search(asked) else []
        if named:
            # "Jadi Ibu ingin melihat masalah komunitas belajar dari sudut lain. Boleh Ibu ceritakan seperti apa
            # kondisinya sekarang?": "-nya" is what the coach's own sentence before named (round 21: her children)
            meant = rerank(index.search(f"{' '.join(named)}. {asked}", k=8), asked, lang, synonyms(lang))[:5]
            if meant and (not hits or meant[0].score > hits[0].score):
                hits = meant
        asks_who = _ASKS_WHO_YOU_ARE.search(asked) and not _ASKS_OTHER.search(asked) and (
            move.question != "open" or _ASKS_NAME.search(asked) or len(asked.split()) <= SHORT_QUESTION)
        if hits and not asks_who and any(_introduces(h.item) for h in hits):
            # The coachee's self-introduction answers who it is and how long in its post; "Boleh Ibu ceritakan dulu
            # seperti apa kondisinya sekarang?" is no such question (round 21: "Saya Endang, kepala SMP ...").
            hits = sorted((Hit(h.item, round(h.score - INTRODUCTION_PENALTY, 4), h.dense, h.lexical)
                           if _introduces(h.item) else h for h in hits), key=lambda h: -h.score)
        if _WHATS_UP.match(asked) and len(asked.split()) <= 5:
            # "Ada apa, Nak?", "What's up?": asks what brings the coachee, its concern (round 20: "belum pulang? Ada
            # apa?" found the timetable's "sebelum pulang"): the first concern the memory holds that is not told yet
            told = self._told(turns)
            first = next((i for i in self.memory.items if i.layer == "surface"
                          and norm(i.long(self.lang)) not in told), None)
            if first is not None:
                hits = [Hit(first, MATCH_FLOOR, 0.0, 0.0)]
        if hits and MATCH_FLOOR > hits[0].score >= CLEAR_FLOOR and hits[0].lexical >= CLEAR_WORDS and (
                len(hits) == 1 or hits[0].score - hits[1].score >= CLEAR_MARGIN):
            # A short question ("Muridnya ada berapa?") scores low, but one item stands clearly apart and shares
            # its words: that is what was asked.
            hits[0] = Hit(hits[0].item, MATCH_FLOOR, hits[0].dense, hits[0].lexical)
        return self._what_lies_behind(hits, asked, before, turns)

    def _more_of(self, before: str, turns: list[Turn] | None) -> list[Hit]:
        """More on the topic of what the coachee just said (same topic first, then what is closest to it), never
        the same item again."""
        index = memory_index(self.memory, self.lang)
        said = norm(before)
        just = {i.topic for i in self.memory.items if norm(i.short(self.lang)) in said
                or norm(i.long(self.lang)) in said}
        earlier = self._told(turns)
        hits = [h for h in index.search(before, k=len(self.memory.items))
                if norm(h.item.short(self.lang)) not in earlier
                and norm(h.item.long(self.lang)) not in earlier]
        hits.sort(key=lambda h: (h.item.topic not in just, -h.score))
        return [Hit(h.item, max(h.score, MORE_SCORE), h.dense, h.lexical) if h.item.topic in just else h
                for h in hits[:5]]

    def _card_words(self, text: str) -> list[str]:
        """The words of `text` that the scenario card also uses (what the talk is about: "komunitas", "belajar")."""
        card = {w for lang in self.persona.languages for w in content_words(
            f"{self.persona.title(lang)} {self.persona.scenario(lang)}".lower(), lang)}
        return [w for w in content_words(text.lower(), self.lang) if w in card]

    def _what_a_phrase_means(self, move: Move, turns: list[Turn] | None) -> list[Hit]:
        """"Yang mengerjakan itu-itu saja, maksudnya gimana?", "Spectators? What do you mean by that?": the coachee's
        own words asked about are explained by the item that holds them, in its fuller telling (rounds 17-19: 42 of 74
        such turns got a reply about something else or a stock "hard to explain")."""
        if move.kind not in ("clarify", "coaching") or self.memory is None:
            return []
        m = _ASKS_MEANING.search(move.focus)
        phrase = next((g for g in (m.groups() if m else ()) if g), "")
        words = [w for w in content_words(phrase.lower(), self.lang) if w not in _PRO_FORMS and len(w) >= 3]
        said = self._told(turns) if words else ""
        if not words or not all(w in said for w in words):
            return []   # only the coachee's own words: "Maksudnya, Pak?" alone is the plain clarification
        index = memory_index(self.memory, self.lang)
        asked = stem_set(" ".join(words), self.lang)
        hits = [h for h in index.search(phrase, k=len(self.memory.items))
                if asked <= stem_set(f"{h.item.short(self.lang)} {h.item.long(self.lang)}", self.lang)
                and norm(h.item.long(self.lang)) not in said]
        return [Hit(h.item, max(h.score, MORE_SCORE), h.dense, h.lexical) for h in hits[:3]]

    def _what_lies_behind(self, hits: list[Hit], asked: str, before: str, turns: list[Turn] | None) -> list[Hit]:
        """"Hasilnya tidak baik." - "Apa yang bikin hasilnya tidak baik?": a question for the cause or the story
        of what the coachee just said finds that very telling first (it shares all its words); what lies behind
        it is the rest of its topic, not yet told (round 18: her self-introduction, then the telling again)."""
        said = norm(before)
        # (a cause word in quotation marks is no question for a cause: "di soal 'mengapa' itu")
        if not hits or not said or not _ASKS_BEHIND.search(re.sub(r"['\"‘’“”][^'\"‘’“”]{1,40}['\"‘’“”]", "", asked)):
            return hits
        top = hits[0].item
        if norm(top.short(self.lang)) not in said \
                and norm(top.long(self.lang)) not in said:
            return hits
        told = self._told(turns)
        rest = [i for i in self.memory.items if i.topic == top.topic and i is not top
                and norm(i.short(self.lang)) not in told]
        if not rest:
            return hits
        index = memory_index(self.memory, self.lang)
        ranked = [h for h in index.search(f"{before} {asked}", k=len(self.memory.items))
                  if h.item in rest and h.score >= MATCH_FLOOR]
        if not ranked:
            return hits   # nothing of that topic answers it: the telling stands (said again or put off)
        h = ranked[0]
        return [Hit(h.item, max(h.score, hits[0].score), h.dense, h.lexical), *(x for x in hits if x.item is not h.item)]

    def _told(self, turns: list[Turn] | None = None) -> str:
        """Everything the coachee has said so far (`turns`, default the session's), lower case, one space."""
        return " ".join(norm(t.text) for t in (self.turns if turns is None else turns)
                        if t.speaker == "coachee")

    def _near(self, hits: list[Hit]) -> frozenset[str] | None:
        """The memory layers of the items closest to the turn (None: this persona has no memory to search)."""
        return None if self.memory is None else frozenset(h.layer for h in hits)

    def _unnamed(self, text: str) -> str:
        """The text without the coachee's name (with or without its title: "Bu Siti", "Mrs Siti", "Siti")."""
        names = sorted({n for n in coachee._names(self.persona) if n}, key=len, reverse=True)
        if not names:
            return text
        pattern = r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b"
        out = re.sub(r"\s*,?\s*" + pattern + r"\s*,?", " ", text).strip()
        return re.sub(r"\s+([?.!])", r"\1", out) or text

    def _search(self, plan: Plan) -> tuple[Passage, ...]:
        if self.searcher is None or not plan.knowledge_queries:
            return ()
        passages: list[Passage] = []
        for query in plan.knowledge_queries:
            try:
                passages += self.searcher.search(query, k=2, lang=self.lang)
            except Exception:  # noqa: BLE001 - knowledge only adds realism; the turn goes on without it
                return tuple(passages)
        return tuple(passages)

    def _voice_args(self, plan: Plan, state: CoacheeState, passages, voice=None) -> dict[str, Any]:
        args = dict(persona=self.persona, plan=plan, state=state, history=list(self.turns), lang=self.lang,
                    passages=passages)
        if _accepts_memories(voice or self.voice):
            args["memories"] = list(plan.memories)   # agreed with the model voice: localised texts, best first
        return args

    def _say(self, plan: Plan, state: CoacheeState, passages) -> Reply:
        try:
            reply = self.voice.say(**self._voice_args(plan, state, passages))
            if not reply.text or not reply.text.strip():
                raise ValueError("empty reply")
            return reply
        except Exception as exc:  # noqa: BLE001 - any voice failure falls back; the session goes on
            return self._fallback(plan, state, passages, exc)

    def _fallback(self, plan: Plan, state: CoacheeState, passages, exc: Exception) -> Reply:
        why = (str(exc).splitlines() or [type(exc).__name__])[0][:160] or type(exc).__name__
        fallback = ScriptedVoice()
        reply = fallback.say(**self._voice_args(plan, state, passages, fallback))
        notice = _MESSAGES["fallback"][self.lang].format(voice=getattr(self.voice, "name", "?"), why=why)
        return Reply(text=reply.text, voice=reply.voice, notice=notice)

    def _finish(self, reply: Reply, reading: Reading, state: CoacheeState, plan: Plan, passages) -> TurnResult:
        self.turns.append(Turn("coachee", reply.text, notice=reply.notice, voice=reply.voice))
        self._record()
        return TurnResult(reply=reply.text, reading=reading, state=state, plan=plan, notice=reply.notice,
                          hint=_hint(reading, self.lang), passages=tuple(passages))

    def _record(self) -> None:
        if self.recorder is not None:
            self.recorder.record(self)

    # ---------------------------------------------------------------------------------------- history
    def replay_states(self) -> list[CoacheeState]:
        """The state history recomputed from the coach turns' readings (deterministic)."""
        states = [coachee.initial_state(self.persona, self.rules)]
        before = ""
        for i, turn in enumerate(self.turns):
            if turn.speaker == "coachee":
                before = turn.text
                continue
            reading = turn.reading or read_turn(turn.text, before, self.lang)
            done = self.turns[:i]   # exactly what the live turn saw
            move = self._classify(turn.text, done)
            hits = self._hits(move, before, done)
            states.append(coachee.update(states[-1], reading, self.persona, self.rules, move=move,
                                         topic=_topic(move, hits), heard=_heard(done, self.lang),
                                         near=self._near(hits)))
        return states

    def fork(self, coach_turn_index: int, session_id: str | None = None) -> Session:
        """A new session holding the turns before coach turn `coach_turn_index` (0-based), state replayed."""
        positions = [i for i, t in enumerate(self.turns) if t.speaker == "coach"]
        if not 0 <= coach_turn_index < len(positions):
            raise InputError(f"No coach turn {coach_turn_index + 1}: this session has {len(positions)}.")
        new = Session(self.persona, self.lang, self.voice, self.searcher, self.recorder, session_id, self.rules,
                      memory=self.memory)
        new.turns = list(self.turns[: positions[coach_turn_index]])
        new.states = new.replay_states()
        new.forked_from = {"session_id": self.id, "coach_turn": coach_turn_index}
        new._record()
        return new

    def to_dict(self) -> dict:
        return {"session_id": self.id, "persona": self.persona.id, "lang": self.lang,
                "voice": getattr(self.voice, "name", None), "forked_from": self.forked_from,
                "turns": [t.to_dict() for t in self.turns], "states": [s.to_dict() for s in self.states]}

    @classmethod
    def from_dict(cls, d: dict, voice: Voice | None = None, searcher=None, recorder: Recorder | None = None,
                  persona: Persona | None = None) -> Session:
        """Rebuild a session (turns, readings, states). Missing readings are re-read; missing states replayed."""
        try:
            session = cls(persona or d["persona"], d.get("lang", "id"), voice, searcher, recorder,
                          d.get("session_id"))
            session.turns = [Turn.from_dict(t) for t in d.get("turns", [])]
        except (KeyError, TypeError) as exc:
            raise InputError(f"Not a saved session: missing or bad field {exc}.") from None
        session.forked_from = d.get("forked_from")
        stored = d.get("states")
        if stored and len(stored) == session.coach_turns + 1:
            session.states = [CoacheeState.from_dict(s) for s in stored]
        else:
            session.states = session.replay_states()
        if any(t.speaker == "coach" and t.reading is None for t in session.turns):
            before, turns = "", []
            for t in session.turns:
                if t.speaker == "coach" and t.reading is None:
                    t = Turn("coach", t.text, read_turn(t.text, before, session.lang))
                before = t.text if t.speaker == "coachee" else before
                turns.append(t)
            session.turns = turns
        return session


_SOMEONE = frozenset({"her", "him", "she", "he", "dia", "beliau", "ia"})   # a person named only by a pronoun
_MENTIONED = re.compile(r"(?<=[\w,] )(?:(?:Bu|Pak|Mrs|Mr|Ms|Miss|Kak|Mas|Mbak) )?([A-Z][a-z]{2,})\b")
OFF_TOPIC = 0.5   # half the weight of the question's words unknown to the whole memory: about something else
CLEAR_FLOOR, CLEAR_MARGIN, CLEAR_WORDS = 0.3, 0.1, 0.5   # a clear winner below the match floor (see _hits)
# A question for the cause or the story of something ("Apa yang bikin ...?", "What went wrong?", "Tidak baiknya gimana?")
_ASKS_BEHIND = re.compile(r"\b(apa yang (bikin|membuat|menyebabkan|terjadi)|kenapa|mengapa|kok bisa|gimana bisa|"
                          r"(tidak|nggak|kurang) \w+nya (gimana|bagaimana|seperti apa)|what (made|caused|happened|went wrong)|"
                          r"why|how come|what do you mean)\b", re.I)
# "X maksudnya gimana?", "Maksudnya X itu apa?", "What do you mean by X?", "X? What do you mean?": X, the words asked about
_ASKS_MEANING = re.compile(
    r"(?:^|[.?!,]\s*)([^.?!,]{3,40})\?\s*what do you mean"
    r"|(?:^|[.?!,]\s*)(?:tapi |terus |lalu |jadi |nah )?(?:yang )?([^.?!,]{3,60}?),?\s+(?:itu\s+)?maksud(?:nya)?\s+(?:gimana|bagaimana|apa)"
    r"|\bmaksud(?:nya|\s+ibu|\s+bapak|\s+kamu)?\s+(?!gimana|bagaimana|apa\b|saya\b)([^.?!,]{3,50}?)\s+(?:itu\s+)?(?:gimana|bagaimana|apa|seperti apa)"
    r"|\bwhat do you mean by\s+([^.?!,]{3,60})", re.I)
OPENING_NEAR = 0.2   # a layer opening now speaks from its own item that comes this near the turn...
OPENING_WORDS = 0.2   # ... or shares this much of its words (else from the layer's authored opening)
SURFACE_WORDS = 0.1   # the presenting problem opens from a memory only if it shares some of the turn's words
PAST_WORDS = 0.3   # asked past a telling, an untold memory answers only if it shares this much of the question's words
_MARKS = re.compile(r"\b(?:[IVX]{1,4}-?[A-H]|\d+[A-Za-z]?)\b")   # a class (VIII-A, 7B) or a number in the question
MORE_SCORE = 0.6   # "tell me more": the rest of the topic just talked about counts as a strong match


# how something named earlier in the turn stands now: "kondisinya", "keadaannya", "How is it going?"
_POINTS_BACK = re.compile(r"\b(kondisi|keadaan|situasi|suasana|perkembangan|jalan|hasil|proses)nya\b|"
                          r"\bhow (is|are) (it|that|things) (going|now|at the moment)\b", re.I)
# what the self-introduction answers: who the coachee is at school - name, post, class, subject, school, how long
# ("Ibu wali kelas VI, kan?", "What level of school is this?", "How long have you been principal?")
INTRODUCTION_PENALTY = 0.15
_ASKS_WHO_YOU_ARE = re.compile(
    r"\b(siapa|nama|kenal\w*|perkenalkan|memperkenalkan|jabatan|posisi|berapa lama|sudah lama|sejak kapan|tahun ke\w*|"
    r"sekolah|kelas|mapel|mata pelajaran|pelajaran|\w*ajar|guru|wali|kepala|jenjang|sd|smp|sma|"
    r"who|name|introduce|role|position|how long|since when|which year|what year|school|class|subject|teach\w*|"
    r"teacher|principal|level|primary|secondary|junior|senior)\b", re.IGNORECASE)


# A long open question that mentions the class or the school asks about them, not who the coachee is ("Kalau Bapak
# bandingkan dengan kelas IX Bapak sekarang, seberapa jauh anak-anak ...?" - round 25 heard "Saya Bambang, ..."); a
# short one may ("What level of school is this?").
SHORT_QUESTION = 8
_ASKS_NAME = re.compile(r"\b(siapa|nama|perkenalkan|memperkenalkan|who|name|introduce)\b", re.IGNORECASE)
# ... unless it asks about someone else: "Siapa, Pak, kalau boleh tahu? Dan seperti apa dia di kelas?" after "Is there
# still a pupil like Arif?" (round 27 heard "Saya Bambang, ...")
_ASKS_OTHER = re.compile(r"\b(dia|ia|beliau|anaknya|muridnya|orangnya|she|he|her|him|his|they|them|that (student|pupil|kid|one))\b"
                         r"|^\W*(siapa|who)\W*((pak|bu|nak|mas|mbak|kak|sir|miss)\W*)?(kalau boleh tahu\W*)?$"
                         # who does something: "Siapa yang biasanya paling tahu perkembangan tiap kelompok, Bapak sendiri
                         # atau wali kelas?" (round 34 heard "Saya Agus, ...")
                         r"|\bsiapa (saja |aja )?yang\b|\bwho (usually |normally |actually |else )?(knows|does|did|keeps|decides|"
                         r"leads|runs|answers|talks|speaks|helps|would|will|could)\b", re.IGNORECASE)


# (only the coach's own doing: "What happens when they come back in?" asks about that moment)
_WHEN_AT_END = re.compile(r"\s*,?\s*\b(when|while|whenever|saat|ketika|sewaktu|selagi)\s+(i|we|i'm|we're|saya|aku|kita|kami)\b"
                          r"[^,?]*\??\s*$", re.I)
_WH_OPENS = re.compile(r"^\W*((so|and|but|then|okay|ok|jadi|lalu|terus|nah|kalau begitu),?\s+)?(what|who|which|where|how|"
                       r"apa|siapa|bagaimana|gimana|mana|berapa)\b", re.I)
_SET_ASIDE = re.compile(r"^\W*((kalau|jika|coba|sekarang) )?(kita )?(kesampingkan|sisihkan|lupakan|tinggalkan|lepaskan) (dulu |sejenak |sebentar )?"
                        r"[^,?]{0,60},\s*|^\W*((but |so |and )?(leaving|setting|putting) [^,?]{0,50}\baside|(apart|aside) from "
                        r"[^,?]{0,50}|(selain|di luar) (soal |masalah |urusan )[^,?]{0,50}),\s*", re.I)
_WHO_IS = re.compile(r"\b([A-Z][a-z]+) (?:itu |ini )?siapa\b|\bsiapa(?:kah)? (?:itu |ini )?([A-Z][a-z]+)\b|\bwho(?:'s| is| was) ([A-Z][a-z]+)\b")
# asks who someone is, not "were you the one who told?"
_ASKS_WHO = re.compile(r"\b(who(?:'s| is| was| are| were)|siapa)\b", re.I)
_POINTS_AT = re.compile(r"\b(that|it|this|those|these|them|itu|ini|tersebut)\b", re.I)


def _named_before(turn: str, asked: str, lang: str) -> str:
    """A question with nothing in it but "that" or "it" ("How did that go?", "is it still going?") asks about what the
    coach's own words just before it name: the nearest sentence or clause before it that names something, with the
    question ("Oh, the futsal tournament too? How did that go?" - round 30 heard "I usually just dive straight in"; "And
    the group chat - is it still going?"). The question alone when nothing before it names anything."""
    head = turn[:turn.rfind(asked)] if asked and asked in turn else ""
    for piece in reversed([p for p in re.split(r"(?<=[.!?])\s+|\s+[-–—]+\s+", head) if p.strip()]):
        if [w for w in content_words(piece, lang) if w not in _PRO_FORMS]:
            return f"{piece.strip()} {asked}"
    return asked


def _introduces(item) -> bool:
    """The coachee's self-introduction (name, post, school): topic "introduction", or an item named name*."""
    return item.topic == "introduction" or item.id.startswith("name")


_WHATS_UP = re.compile(r"^\W*(ada apa|ada masalah apa|ada yang bisa (saya|ibu|bapak) bantu|what.s up|what.s the matter|"
                       r"what.s wrong|what.s going on|what brings you|what can i do for you|is everything (ok|okay|all right))\b",
                       re.IGNORECASE)
# A question ending on a word that points back ("What happened that time?", "Terus gimana waktu itu?").
_ANAPHOR = re.compile(r"\b(that time|at the time|back then|then|there|that|it|waktu itu|saat itu|tadi|tersebut|itu|di sana|"
                      r"di situ)(\s+(exactly|again|persisnya|tepatnya|lagi))?\W*$|\b(that time|back then|waktu itu|saat itu)\b"
                      r"|\b(they|them|those|these|mereka)\b", re.I)   # "Which subjects are they for?" (round 18)
_ABOUT = re.compile(r"\b(about|on|tentang|soal|mengenai|terkait|seputar)\s+(.+)", re.I)


def _names_a_new_topic(move: Move, before: str) -> bool:
    """"Tell me more about the learning community": the turn names what it wants more of, and a word of it is not in
    what the coachee just said ("Tell me more about them" / "about that" names nothing new)."""
    m = _ABOUT.search(move.asked or move.focus)
    if not m:
        return False
    said = before.lower()
    return any(len(w) >= 4 and w not in _PRO_FORMS and w not in said
               for w in content_words(m.group(2), move.lang if move.lang in ("id", "en") else "id"))


# Words that point back at what was just said ("Which ones?", "Yang mana saja?"), not at a new topic.
_PRO_FORMS = {"ones", "one", "them", "those", "these", "that", "this", "itu", "ini", "tersebut", "mereka", "saja",
              "semua", "semuanya", "lagi", "else", "more", "mana", "apa", "siapa", "berapa", "kapan", "which",
              "what", "who", "how", "many", "much",
              # the asking itself: "Boleh cerita soal itu?" names nothing (round 35 heard her family, asked about
              # the friends the coach had just named)
              "cerita", "ceritakan", "ceritain", "bercerita", "jelaskan", "bilang", "tell", "talk", "say", "describe",
              "explain", "share",
              # nor does what it points with ("can you tell me that story again properly?": round 36 heard "I don't
              # know", asked about the girl in 7C it had just named)
              "story", "stories", "moment", "thing", "incident", "example", "part", "bit", "kejadian", "momen", "hal",
              "contoh", "peristiwa", "bagian", "sorry", "maaf", "properly", "again", "once", "exactly", "persisnya"}


def _heard(turns: list[Turn], lang: str) -> frozenset[str]:
    """The content words of everything the coachee has said in these turns."""
    return frozenset(w for t in turns if t.speaker == "coachee" for w in content_words(t.text, lang))


KIND_NEAR = 0.1   # items this close to the best one compete to answer a yes/no that names a day, an app, ...


def _of_the_kind_asked(hits: list[Hit], question: str, lang: str) -> list[Hit]:
    """"Is the observation on Monday?": of the close matches that name a day at all, the one nearest in meaning
    (the observation on Thursday) answers it - not the timetable that lists Monday among other days because it
    shares more words. Its yes or no and its words go together."""
    kinds = kinds_named(question, lang)
    if not kinds or not hits:
        return hits
    near = [h for h in hits if h.score >= hits[0].score - KIND_NEAR and kinds & item_kinds(h.item, lang)]
    if not near:
        return hits
    best = max(near, key=lambda h: h.dense)
    return [best, *(h for h in hits if h is not best)]


TIME_NEAR = 0.2   # a match this close to the best one that tells the time asked about answers instead
_WISH = re.compile(r"\b(saya (cuma |hanya )?(ingin|mau|pengin|berharap)|(cuma |hanya )?(ingin|pengin|berharap)|harapan saya|"
                   r"i.d (just |really )?(like|love)|i (just |really )?(want|wish|hope))\b", re.I)


def _of_the_time_asked(hits: list[Hit], question: str, lang: str, wish_only: bool = False) -> list[Hit]:
    """"Do you teach at a private school?" asks about now: her first school (a history) does not answer it when
    a close match speaks of now or of no time at all; "Dulu Bapak dikenal ...?" asks about then, not about now.
    Nor does a wish answer what happened ("The last time it happened, what did it look like?"): for an open
    question (`wish_only`) only that."""
    asked = tense_asked(question)
    if asked is None or not hits or hits[0].score < MATCH_FLOOR:
        return hits
    wishes = asked == "past" and not asks_forward(question, lang)   # ("... waktu itu. Kamu mau ngobrol kapan?")
    if wish_only and (not wishes or (hits[0].layer not in ("goal", "action_plan")
                                          and not _WISH.search(hits[0].item.short(lang)))):
        return hits

    def told(h: Hit) -> str | None:
        if wishes and (h.layer in ("goal", "action_plan") or _WISH.search(h.item.short(lang))):
            return "wish"   # "The last time it happened, what did it look like?" is no wish (round 35)
        return tense_told(h.item.short(lang), history=h.item.kind == "history")

    if told(hits[0]) in (None, asked):
        return hits
    fits = [h for h in hits[1:] if h.score >= max(MATCH_FLOOR, hits[0].score - TIME_NEAR) and told(h) in (None, asked)]
    if not fits:
        return hits
    # (a wish put aside, the nearest that is none: "when it started" is past but not what it looked like)
    best = fits[0] if told(hits[0]) == "wish" else next((h for h in fits if told(h) == asked), fits[0])
    return [best, *(h for h in hits if h is not best)]


def _topic(move: Move, hits: list[Hit]) -> str | None:
    """The memory layer the coaching turn is about (its best match), None when nothing matches."""
    if move.ordinary or not hits or hits[0].score < MATCH_FLOOR:
        return None
    return hits[0].layer


def _accepts_memories(voice, method: str = "say") -> bool:
    """Does the voice's say()/stream() take the `memories` keyword (or **kwargs)? Older voices do not."""
    try:
        params = inspect.signature(getattr(voice, method)).parameters
    except (TypeError, ValueError, AttributeError):
        return False
    return "memories" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _hint(reading: Reading, lang: str) -> str | None:
    try:
        from simulator.reading.hints import hint_for
    except ImportError:
        return None
    try:
        return hint_for(reading, lang)
    except Exception:  # noqa: BLE001 - a hint is optional; never let it break a turn
        return None

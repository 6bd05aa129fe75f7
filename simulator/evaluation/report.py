"""Render an Evaluation as a JSON-ready dict, JSON text, Markdown or self-contained HTML.

    to_dict(evaluation, lang=None) -> dict     # `scores` has exactly presence, active_listening,
    to_json(evaluation, lang=None) -> str      #   powerful_questions and overall
    to_markdown(evaluation, lang=None) -> str
    to_html(evaluation, lang=None) -> str      # inline CSS, prints well, no external assets

`lang` is the report's language for labels and notes ("id" | "en"; default: the transcript's). Quotes and
better phrasings stay in the transcript's language. Every string that came from a person (transcript
text, knowledge passages, rubric files) is escaped: html.escape in HTML, backslash escapes in Markdown —
user text is never rendered as markup.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from string import Template

from simulator.evaluation.feedback import labels
from simulator.evaluation.judge import JudgedEvaluation, JudgeScore, _label, _lg  # the judge's own words
from simulator.evaluation.markers import TEMPLATES
from simulator.evaluation.results import Evaluation, Evidence
from simulator.evaluation.rubric import DIMENSIONS

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")  # after html.escape: no raw <, >, &


def _lang(evaluation: Evaluation, lang: str | None) -> str:
    lang = lang or evaluation.lang
    return "en" if lang == "en" else "id"


def _L(key: str, lang: str) -> str:
    return labels()["report"][key][lang]


def _ev(e: Evidence, lang: str) -> dict:
    return {"turn": e.turn_index + 1, "turn_index": e.turn_index, "quote": e.quote, "note": e.note.get(lang),
            "positive": e.positive}


def to_dict(evaluation: Evaluation, lang: str | None = None) -> dict:
    lg = _lang(evaluation, lang)
    ev = evaluation
    return {
        "rubric": {"id": ev.rubric_id, "name": ev.rubric_name.get(lg)},
        "lang": ev.lang,
        "report_lang": lg,
        "scores": dict(ev.scores),
        "scale": [{"level": lv, "name": name.get(lg)} for lv, name in ev.scale],
        "overall": {"score": ev.overall, "level": ev.overall_level.get(lg), "reason": ev.overall_reason.get(lg)},
        "dimensions": {
            k: {"name": d.name.get(lg), "score": d.score, "level": d.level_name.get(lg), "reason": d.reason.get(lg),
                "evidence": [_ev(e, lg) for e in d.evidence],
                "signals": [{"signal": s.signal, "value": s.value, "level": s.level, "weight": s.weight}
                            for s in d.signals]}
            for k, d in ((k, ev.dimensions[k]) for k in DIMENSIONS)},
        "criteria": [{"id": c.id, "name": c.name.get(lg), "dimension": c.dimension, "met": c.met, "value": c.value,
                      "evidence": [_ev(e, lg) for e in c.evidence]} for c in ev.criteria],
        "went_well": [{"note": w.note.get(lg), "evidence": [_ev(e, lg) for e in w.evidence]} for w in ev.went_well],
        "improvements": [
            {"kind": im.kind, "title": im.title.get(lg), "turn": im.turn_index + 1, "turn_index": im.turn_index,
             "quote": im.quote, "why": im.why.get(lg), "better": im.better,
             "passage": None if im.passage is None else {"text": im.passage.text, "source": im.passage.source,
                                                         "heading": im.passage.heading, "cite": im.passage.cite}}
            for im in ev.improvements],
        "stats": {**vars(ev.stats)},
        "signals": dict(ev.signals),
        "notes": [n.get(lg) for n in ev.notes],
        "turns": [{"turn": t.index + 1, "speaker": t.speaker, "text": t.text, "acts": t.acts, "flags": t.flags}
                  for t in ev.turns],
        "judged_by": ev.judged_by,
        "judge": None if ev.judge is None else ev.judge.to_dict(lg),
    }


def to_json(evaluation: Evaluation, lang: str | None = None) -> str:
    return json.dumps(to_dict(evaluation, lang), ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- Markdown


def md_escape(text: str, *, lines: bool = False) -> str:
    """Plain text made inert for any Markdown renderer (the report, the app's panels): HTML-escaped (no raw HTML
    survives), then every Markdown character backslash-escaped, so `[x](javascript:…)` is shown, never linked.
    Whitespace is flattened to one line unless `lines` keeps the line breaks (a message shown as written)."""
    if lines:
        return "\n".join(_MD_SPECIAL.sub(r"\\\1", html.escape(line, quote=False)) for line in str(text).split("\n"))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(re.sub(r"\s+", " ", str(text)).strip(), quote=False))


def _stat_rows(d: dict, lg: str) -> list[tuple[str, str]]:
    s = d["stats"]
    stages = ", ".join(s["tirta_stages"]) or _L("none", lg)
    return [(_L("turns", lg), f"{s['turns']} ({s['coach_turns']} coach, {s['coachee_turns']} coachee)"),
            (_L("coach_talk_share", lg), f"{round(100 * s['coach_talk_share'])}%"),
            (_L("open_closed", lg), s["open_closed"]),
            (_L("why_count", lg), str(s["why_count"])),
            (_L("reflections_per_question", lg), f"{s['reflections_per_question']:.2f}"),
            (_L("advice_count", lg), str(s["advice_count"])),
            (_L("tirta_stages", lg), stages)]


def to_markdown(evaluation: Evaluation, lang: str | None = None) -> str:
    from simulator.evaluation.report_view import plain_reason

    lg = _lang(evaluation, lang)
    d = to_dict(evaluation, lg)
    e = md_escape
    out = [f"# {e(_L('title', lg))}", "",
           f"**{e(_L('rubric', lg))}:** {e(d['rubric']['name'])}  ",
           f"**{e(_L('overall', lg))}:** {d['overall']['score']} / {len(d['scale'])} — {e(d['overall']['level'])} "
           f"({e(d['overall']['reason'])})", "",
           f"| {e(_L('dimension', lg))} | {e(_L('score', lg))} | {e(_L('level', lg))} |", "|---|---|---|"]
    for k in DIMENSIONS:
        dim = d["dimensions"][k]
        out.append(f"| {e(dim['name'])} | {dim['score']} | {e(dim['level'])} |")
    for k in DIMENSIONS:
        dim = d["dimensions"][k]
        why = plain_reason(dim["signals"], lg) or dim["reason"]  # words, not figures (those are in the JSON)
        out += ["", f"## {e(dim['name'])}: {dim['score']}/{len(d['scale'])} — {e(dim['level'])}", "",
                f"*{e(_L('reason', lg))}:* {e(why)}", ""]
        for ev in dim["evidence"]:
            mark = "+" if ev["positive"] else "−"
            out.append(f"- {mark} {e(_L('turn', lg))} {ev['turn']}: “{e(ev['quote'])}” — {e(ev['note'])}")
    if d["criteria"]:
        out += ["", f"## {e(_L('criteria', lg))}", ""]
        for c in d["criteria"]:
            out.append(f"- [{'x' if c['met'] else ' '}] {e(c['name'])}")
    out += ["", f"## {e(_L('went_well', lg))}", ""]
    for w in d["went_well"]:
        quotes = "; ".join(f"{e(_L('turn', lg))} {x['turn']}: “{e(x['quote'])}”" for x in w["evidence"])
        out.append(f"- {e(w['note'])}" + (f" ({quotes})" if quotes else ""))
    if not d["went_well"]:
        out.append(f"- {e(_L('went_well_none', lg))}")
    out += ["", f"## {e(_L('improvements', lg))}", ""]
    if not d["improvements"]:
        out += [f"- {e(_L('improvements_none', lg))}", ""]
    for n, im in enumerate(d["improvements"], start=1):
        out += [f"{n}. **{e(im['title'])}** — {e(_L('turn', lg))} {im['turn']}", "",
                f"   - {e(_L('you_said', lg))}: “{e(im['quote'])}”",
                f"   - {e(_L('try_instead', lg))}: “{e(im['better'])}”",
                f"   - {e(im['why'])}"]
        if im["passage"]:
            p = im["passage"]
            out.append(f"   - {e(_L('learn_more', lg))} ({e(p['cite'])}): {e(_excerpt(p['text']))}")
        out.append("")
    out += [f"## {e(_L('stats', lg))}", "", "| | |", "|---|---|"]
    out += [f"| {e(a)} | {e(b)} |" for a, b in _stat_rows(d, lg)]
    if d["notes"]:
        out += ["", f"## {e(_L('notes', lg))}", ""] + [f"- {e(n)}" for n in d["notes"]]
    if evaluation.judge is not None:
        out += ["", judge_section_markdown(evaluation.judge, lg).rstrip("\n")]
    out += ["", f"## {e(_L('transcript', lg))}", ""]
    for t in d["turns"]:
        who = _L("coach" if t["speaker"] == "coach" else "coachee", lg)
        out.append(f"{t['turn']}. **{e(who)}:** {e(t['text'])}")
    return "\n".join(out) + "\n"


def _excerpt(text: str, limit: int = 400) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


# ---------------------------------------------------------------- HTML


@lru_cache(maxsize=1)
def _html_template() -> Template:
    return Template((TEMPLATES / "report.html").read_text(encoding="utf-8"))


def to_html(evaluation: Evaluation, lang: str | None = None, *, states: list | None = None,
            meta: dict | None = None) -> str:
    """A self-contained, print-ready page: the same report body as the app (report_view.report_body), every fold
    open, then the transcript. meta: {"trainee", "scenario", "date"} for the page's header."""
    from simulator.evaluation.report_view import CSS, report_body

    lg = _lang(evaluation, lang)
    d = to_dict(evaluation, lg)
    h = html.escape
    parts = [f"<h1>{h(_L('title', lg))}</h1>", report_body(d, lg, states=states, meta=meta, prefix="t",
                                                           folded=False)]
    if evaluation.judge is not None:
        parts.append(judge_section_html(evaluation.judge, lg))
    parts.append(f"<section class=transcript><h2>{h(_L('transcript', lg))}</h2><ol>")
    for t in d["turns"]:
        who = _L("coach" if t["speaker"] == "coach" else "coachee", lg)
        parts.append(f"<li id=\"t-turn-{t['turn']}\" class={h(t['speaker'])} value={t['turn']}><b>{h(who)}:</b> "
                     f"{h(t['text'])}</li>")
    parts.append("</ol></section>")
    return _html_template().substitute(lang=lg, title=h(_L("title", lg)), body="\n".join(parts), css=CSS)


def from_stored(data: dict) -> Evaluation:
    """An Evaluation rebuilt from the dict the store keeps (Evaluation.to_dict), so a facilitator reads the very
    report the trainee read, in the facilitator's language. The judge's second opinion is not rebuilt."""
    from dataclasses import fields

    from simulator.evaluation.results import (
        Citation,
        CriterionResult,
        DimensionScore,
        Improvement,
        SessionStats,
        SignalValue,
        Text,
        TurnView,
        WentWell,
    )

    def tx(v) -> Text:
        return Text(**v) if isinstance(v, dict) else Text(str(v or ""), str(v or ""))

    def evs(items) -> list[Evidence]:
        return [Evidence(x["turn_index"], x["quote"], tx(x["note"]), x.get("positive", True)) for x in items or []]

    dims = {k: DimensionScore(key=k, name=tx(v["name"]), score=v["score"], level_name=tx(v["level_name"]),
                              evidence=evs(v["evidence"]), reason=tx(v["reason"]),
                              signals=[SignalValue(**s) for s in v.get("signals") or []], raw=v.get("raw", 0.0))
            for k, v in data["dimensions"].items()}
    stats_fields = {f.name for f in fields(SessionStats)}
    return Evaluation(
        rubric_id=data["rubric_id"], rubric_name=tx(data["rubric_name"]), lang=data["lang"],
        scale=[(lv, tx(name)) for lv, name in data["scale"]], dimensions=dims, overall=data["overall"],
        overall_level=tx(data["overall_level"]), overall_reason=tx(data["overall_reason"]),
        went_well=[WentWell(tx(w["note"]), evs(w["evidence"])) for w in data.get("went_well") or []],
        improvements=[Improvement(kind=i["kind"], turn_index=i["turn_index"], quote=i["quote"], title=tx(i["title"]),
                                  why=tx(i["why"]), better=i["better"],
                                  passage=Citation(**i["passage"]) if i.get("passage") else None)
                      for i in data.get("improvements") or []],
        stats=SessionStats(**{k: v for k, v in data["stats"].items() if k in stats_fields}),
        signals=dict(data.get("signals") or {}),
        criteria=[CriterionResult(id=c["id"], name=tx(c["name"]), dimension=c["dimension"], met=c["met"],
                                  value=c["value"], evidence=evs(c["evidence"])) for c in data.get("criteria") or []],
        turns=[TurnView(**tv) for tv in data.get("turns") or []], notes=[tx(n) for n in data.get("notes") or []],
        judged_by=data.get("judged_by"), overall_raw=data.get("overall_raw", 0.0))


# -- the judge's section (an LLM's second opinion, when the evaluation carries one) ---------------------------


def _judge_level(j: JudgedEvaluation, score: int | None, lang: str) -> str:
    if score is None:
        return "—"
    names = dict(j.scale)
    return f"{score} ({names[score].get(lang)})" if score in names else str(score)


def _agreement(d: JudgeScore, lang: str) -> str:
    return _label("differs", lang, diff=d.diff) if d.agreement == "differs" else _label(d.agreement, lang)


def judge_section_markdown(judged: JudgedEvaluation, lang: str) -> str:
    e = md_escape
    lg = _lg(lang)
    L = lambda key, **kw: e(_label(key, lg, **kw))  # noqa: E731
    out = [f"## {L('title')}", "", L("intro", model=judged.model), "",
           f"| {L('dimension')} | {L('automatic')} | {L('judge')} | {L('agreement')} |", "|---|---|---|---|"]
    for d in judged.dimensions.values():
        out.append(f"| {e(d.name.get(lg))} | {e(_judge_level(judged, d.automatic, lg))} | {e(_judge_level(judged, d.score, lg))} | "
                   f"{e(_agreement(d, lg))} |")
    out.append(f"| {L('overall')} | {e(_judge_level(judged, judged.automatic_overall, lg))} | "
               f"{e(_judge_level(judged, judged.overall, lg))} | |")
    for d in judged.dimensions.values():
        turns = ", ".join(str(i + 1) for i in d.evidence)
        out += ["", f"### {e(d.name.get(lg))}: {d.score} — {e(d.level_name.get(lg))}", "", f"*{L('reason')}:* {e(d.reason)}", "",
                f"*{L('evidence')}:* {L('turn')} {e(turns)}"]
    if judged.corrections:
        out += ["", f"### {L('corrections')}", ""]
        for c in judged.corrections:
            out.append(f"- {L('turn')} {c.turn_index + 1}: {L('automatic_labels')} `{e(', '.join(c.automatic))}` → "
                       f"{L('judge_labels')} `{e(', '.join(c.acts))}` — {e(c.reason)}")
    if judged.feedback:
        out += ["", f"### {L('feedback')}", ""]
        for f in judged.feedback:
            out.append(f"{f.number}. {L('turn')} {f.turn_index + 1} (“{e(f.quote)}”): {e(f.text)}")
    return "\n".join(out) + "\n"


def judge_section_html(judged: JudgedEvaluation, lang: str) -> str:
    from html import escape as h

    lg = _lg(lang)
    L = lambda key, **kw: h(_label(key, lg, **kw))  # noqa: E731
    parts = [f"<section class=judge id=judge><h2>{L('title')}</h2><p class=muted>{L('intro', model=judged.model)}</p>",
             f"<table class=scores><thead><tr><th>{L('dimension')}</th><th>{L('automatic')}</th><th>{L('judge')}</th>"
             f"<th>{L('agreement')}</th></tr></thead><tbody>"]
    for key, d in judged.dimensions.items():
        cls = " class=neg" if d.agreement == "differs" else ""
        parts.append(f"<tr{cls}><td><a href=\"#{h(key)}\">{h(d.name.get(lg))}</a></td><td>{h(_judge_level(judged, d.automatic, lg))}</td>"
                     f"<td>{h(_judge_level(judged, d.score, lg))}</td><td>{h(_agreement(d, lg))}</td></tr>")
    parts.append(f"<tr><td>{L('overall')}</td><td>{h(_judge_level(judged, judged.automatic_overall, lg))}</td>"
                 f"<td>{h(_judge_level(judged, judged.overall, lg))}</td><td></td></tr></tbody></table>")
    for d in judged.dimensions.values():
        links = ", ".join(f"<a href=\"#t{i + 1}\">{i + 1}</a>" for i in d.evidence)
        parts.append(f"<h3>{h(d.name.get(lg))} <span class=pill>{d.score} · {h(d.level_name.get(lg))}</span></h3><p><em>{L('reason')}:</em> {h(d.reason)}</p>"
                     f"<p><small>{L('evidence')}: {L('turn')} {links}</small></p>")
    if judged.corrections:
        parts.append(f"<h3>{L('corrections')}</h3><ul>")
        for c in judged.corrections:
            parts.append(f"<li><a href=\"#t{c.turn_index + 1}\">{L('turn')} {c.turn_index + 1}</a>: "
                         f"{L('automatic_labels')} <code>{h(', '.join(c.automatic))}</code> → {L('judge_labels')} "
                         f"<code>{h(', '.join(c.acts))}</code> — {h(c.reason)}</li>")
        parts.append("</ul>")
    if judged.feedback:
        parts.append(f"<h3>{L('feedback')}</h3><ol>")
        for f in judged.feedback:
            parts.append(f"<li value={f.number}><a href=\"#t{f.turn_index + 1}\">{L('turn')} {f.turn_index + 1}</a>: "
                         f"<q>{h(f.quote)}</q><p>{h(f.text)}</p></li>")
        parts.append("</ol>")
    parts.append("</section>")
    return "".join(parts)

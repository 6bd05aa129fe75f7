"""The report as a teacher reads it, one HTML fragment for the app, the review tab and the printable download:
each dimension as "3/4 Cakap" with one plain sentence of why, what went well, up to three improvements with a
rewrite and the knowledge passage (rendered, titled by its page), the coachee's journey chart with what it
says, the evidence grouped by dimension (each quote once), and the signal figures folded away for
facilitators. Every string that came from a person is html-escaped.

    report_body(d, lang, *, states=None, meta=None, prefix="r") -> str   # d: report.to_dict(evaluation, lang)
"""

from __future__ import annotations

import contextvars
import html
import re
from typing import Any

from simulator.evaluation.charts import line_chart
from simulator.evaluation.feedback import labels
from simulator.vocabulary import DIMENSIONS

MEASURES = ("trust", "openness", "insight", "ownership")
MEASURE_NAMES = {"trust": {"id": "Kepercayaan", "en": "Trust"}, "openness": {"id": "Keterbukaan", "en": "Openness"},
                 "insight": {"id": "Wawasan", "en": "Insight"}, "ownership": {"id": "Kepemilikan", "en": "Ownership"}}
HIGH, LOW = 3.0, 2.5
e = html.escape


# Who reads the report: the trainee who spoke ("You said") or a facilitator reading an uploaded transcript of
# someone else, who must not be told "your strongest skill" about another person's words.
_AUDIENCE: contextvars.ContextVar[str] = contextvars.ContextVar("report_audience", default="trainee")
ABOUT_THE_COACH = {
    "you_said": {"id": "Coach berkata", "en": "The coach said"},
    "evidence_by_dim": {"id": "Bukti dari kalimat coach", "en": "Evidence from the coach's own words"},
    "strongest": {"id": "Kekuatan terbesar coach: {best}. Fokus berikutnya: {weakest}.",
                  "en": "The coach's greatest strength: {best}. Next focus: {weakest}."},
    "journey_drop": {"id": "; turun paling tajam setelah giliran {turn} — lihat kalimat coach di sana.",
                     "en": "; it fell most after turn {turn} — look at what the coach said there."},
}


def _L(key: str, lang: str, **values: Any) -> str:
    about_coach = _AUDIENCE.get() == "coach" and key in ABOUT_THE_COACH
    text = ABOUT_THE_COACH[key][lang] if about_coach else labels()["report"][key][lang]
    return text.format(**values) if values else text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def number(value: float, lang: str, digits: int = 0) -> str:
    """A number in the reader's convention: 1.234,5 (id) / 1,234.5 (en)."""
    text = f"{value:,.{digits}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


# ------------------------------------------------------------------ why a dimension scored what it did
def plain_reason(signals: list[dict], lang: str) -> str:
    """One sentence from the dimension's signals: its strongest point, but its weakest (no figures)."""
    plain = labels()["plain"]
    known = [s for s in signals if s["signal"] in plain and s.get("weight", 1) > 0]
    strong = sorted((s for s in known if s["level"] >= HIGH), key=lambda s: (-s["level"] * s["weight"], s["signal"]))
    weak = sorted((s for s in known if s["level"] < LOW), key=lambda s: (s["level"], -s["weight"], s["signal"]))
    said: set[str] = set()

    def clause(s: dict, side: str) -> str | None:
        text = plain[s["signal"]][side][lang]
        if text in said:
            return None
        said.add(text)
        return text

    good = [c for c in (clause(s, "high") for s in strong[:2]) if c][:1]
    bad = [c for c in (clause(s, "low") for s in weak[:2]) if c][:1]
    if good and bad:
        text = good[0] + _L("but", lang) + bad[0]
    elif good:
        more = [c for c in (clause(s, "high") for s in strong[1:3]) if c]
        text = good[0] + (_L("and", lang) + more[0] if more else "")
    elif bad:
        more = [c for c in (clause(s, "low") for s in weak[1:3]) if c]
        text = bad[0] + (_L("and", lang) + more[0] if more else "")
    elif known:  # every signal in the middle: say the best of them, in words, never the figures
        best = max(known, key=lambda s: (s["level"] * s["weight"], s["signal"]))
        text = plain[best["signal"]]["high" if best["level"] >= (HIGH + LOW) / 2 else "low"][lang]
    else:
        return ""
    return text[:1].upper() + text[1:] + "."


def overall_sentence(d: dict, lang: str) -> str:
    dims = [d["dimensions"][k] for k in DIMENSIONS if k in d["dimensions"]]
    if not dims:
        return ""
    best = max(dims, key=lambda x: x["score"])
    weakest = min(dims, key=lambda x: x["score"])
    if best["score"] == weakest["score"]:
        return _L("all_even", lang)
    return _L("strongest", lang, best=best["name"], weakest=weakest["name"])


# ------------------------------------------------------------------ evidence, each quote once
def grouped_evidence(items: list[dict]) -> list[dict]:
    """One entry per quoted sentence: a quote inside a longer quote of the same turn joins it; its notes are
    kept once each, strengths first. Ordered by turn."""
    out: list[dict] = []
    for ev in sorted(items, key=lambda x: (x["turn"], -len(x["quote"]))):
        home = next((o for o in out if o["turn"] == ev["turn"] and (ev["quote"] in o["quote"]
                                                                     or o["quote"] in ev["quote"])), None)
        if home is None:
            home = {"turn": ev["turn"], "quote": ev["quote"], "pos": [], "neg": []}
            out.append(home)
        elif len(ev["quote"]) > len(home["quote"]):
            home["quote"] = ev["quote"]
        bucket = home["pos" if ev["positive"] else "neg"]
        if ev["note"] and ev["note"] not in bucket:
            bucket.append(ev["note"])
    return out


# ------------------------------------------------------------------ the knowledge passage
_MD_LINE = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")


def passage_html(text: str, limit: int = 600) -> str:
    """A Markdown passage as short plain paragraphs: headings, list marks, emphasis and links dropped, cut at a
    sentence end (never mid-word)."""
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip().startswith("|"):  # a table row becomes its own line: "a — b"; the rule row goes
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if current:
                blocks.append(" ".join(current))
            current = []
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                blocks.append(" — ".join(c for c in cells if c))
            continue
        if not line.strip():
            if current:
                blocks.append(" ".join(current))
            current = []
            continue
        if re.match(r"^\s*#{1,6}\s+", line):  # the heading is the title already shown
            if current:
                blocks.append(" ".join(current))
            current = []
            continue
        current.append(_MD_LINE.sub("", line).strip())
    if current:
        blocks.append(" ".join(current))
    out, used = [], 0
    for b in blocks:
        b = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", b)
        b = re.sub(r"(\*\*|__|\*|_|`)(.+?)\1", r"\2", b)
        if used + len(b) > limit:
            cut = b[: max(0, limit - used)]
            end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
            if end > 40:
                out.append(cut[: end + 1])
            elif not out:
                out.append(cut[: cut.rfind(" ")] + " …" if " " in cut else cut)
            break
        out.append(b)
        used += len(b)
    return "".join(f"<p>{e(b)}</p>" for b in out if b)


def passage_title(p: dict) -> str:
    """The page's own title (the heading trail), never the file path."""
    heading = (p.get("heading") or "").strip()
    if heading:
        return " › ".join(x.strip() for x in re.split(r"\s*>\s*", heading) if x.strip())
    stem = re.sub(r"\.\w+$", "", (p.get("source") or "").rsplit("/", 1)[-1])
    return stem.replace("-", " ").replace("_", " ").capitalize()


# ------------------------------------------------------------------ the journey
def _value(state, key: str) -> float:
    return float(state[key] if isinstance(state, dict) else getattr(state, key))


def journey(states: list, lang: str, coach_turns: list[int] | None = None) -> tuple[str, str]:
    """(svg figure, one sentence on what it says). states[0] is before the first coach turn; coach_turns: the
    transcript number of each coach turn, so the chart and the sentence use the numbers the links use."""
    if not states or len(states) < 2:
        return "", ""
    numbers = [0] + list(coach_turns or range(1, len(states)))
    numbers += list(range(numbers[-1] + 1, numbers[-1] + len(states)))  # never short of labels
    names = [MEASURE_NAMES[m][lang] for m in MEASURES]
    series = [(names[k], [round(100 * _value(s, m)) for s in states]) for k, m in enumerate(MEASURES)]
    svg = line_chart(series, x_labels=[str(numbers[i]) for i in range(len(states))], y_min=0, y_max=100,
                     y_ticks=[(v, str(v)) for v in (0, 25, 50, 75, 100)], x_title=_L("journey_x", lang),
                     y_title=_L("journey_y", lang), title=_L("journey", lang))
    trust = series[0][1]
    start, end = trust[0], trust[-1]
    key = "journey_up" if end - start >= 5 else "journey_down" if start - end >= 5 else "journey_flat"
    text = _L(key, lang, start=start, end=end)
    steps = [(trust[i] - trust[i - 1], i) for i in range(1, len(trust))]
    worst, best = min(steps), max(steps)
    if worst[0] <= -5:
        text += _L("journey_drop", lang, turn=numbers[worst[1]])
    elif best[0] >= 5:
        text += _L("journey_rise", lang, turn=numbers[best[1]])
    else:
        text += _L("journey_end", lang)
    return svg, text


# ------------------------------------------------------------------ the whole body
def report_body(d: dict, lang: str, *, states: list | None = None, meta: dict | None = None,
                prefix: str = "r", folded: bool = True, audience: str = "trainee") -> str:
    """audience="coach": the report speaks of "the coach", not "you" (a facilitator reading an upload)."""
    token = _AUDIENCE.set(audience)
    try:
        return _report_body(d, lang, states=states, meta=meta, prefix=prefix, folded=folded)
    finally:
        _AUDIENCE.reset(token)


def _report_body(d: dict, lang: str, *, states: list | None = None, meta: dict | None = None,
                 prefix: str = "r", folded: bool = True) -> str:
    """d: report.to_dict(evaluation, lang). meta: {"trainee", "scenario", "date"} shown at the top.
    Turn links point at `#{prefix}-turn-N` (N = 1-based transcript position). folded=False opens every fold
    (the printable file: a printed page cannot be clicked open)."""
    lg = "en" if lang == "en" else "id"
    top = len(d.get("scale") or []) or 4
    det = "<details" if folded else "<details open"

    def turn_link(n: int) -> str:
        return f'<a href="#{prefix}-turn-{n}">{e(_L("turn", lg))} {n}</a>'

    parts = ['<div class="pr-report">']
    if meta:
        bits = [f'<span><b>{e(_L(k, lg))}:</b> {e(str(v))}</span>' for k, v in meta.items() if v]
        parts.append(f'<p class="pr-meta">{" · ".join(bits)}</p>')
    ov = d["overall"]
    parts.append(f'<section class="pr-overall"><div class="pr-big">{ov["score"]}<small>/{top}</small></div>'
                 f'<div><b>{e(_L("overall", lg))}: {e(_cap(ov["level"] or ""))}</b>'
                 f'<p>{e(overall_sentence(d, lg))}</p></div></section>')
    parts.append('<section class="pr-dims">')
    for k in DIMENSIONS:
        dim = d["dimensions"].get(k)
        if dim is None:
            continue
        # a criteria rubric has no signals: its reason is already words ("Tujuan dari coachee: ya; …")
        why = plain_reason(dim.get("signals") or [], lg) or ("" if dim.get("signals") else dim.get("reason") or "")
        bar = "".join(f'<i class="{"on" if n <= dim["score"] else "off"}"></i>' for n in range(1, top + 1))
        parts.append(f'<div class="pr-dim"><div class="pr-dim-head"><b>{e(dim["name"])}</b>'
                     f'<span class="pr-pill" aria-label="{dim["score"]} {e(_L("out_of", lg))} {top}">'
                     f'{dim["score"]}/{top} {e(_cap(dim["level"] or ""))}</span></div>'
                     f'<span class="pr-bar" aria-hidden="true">{bar}</span><p>{e(why)}</p></div>')
    parts.append("</section>")

    if d.get("criteria"):  # a criteria rubric (e.g. the programme's eight): which are met, in words
        parts.append(f'<section><h3>{e(_L("criteria", lg))}</h3><ul class="pr-criteria">' + "".join(
            f'<li>{"✔" if c["met"] else "✘"} {e(c["name"])} ({e(_L("met" if c["met"] else "not_met", lg))})</li>'
            for c in d["criteria"]) + "</ul></section>")
    parts.append(f'<section><h3>{e(_L("went_well", lg))}</h3><ul class="pr-well">')
    for w in d["went_well"]:
        quotes = "; ".join(f'{turn_link(x["turn"])}: <q>{e(x["quote"])}</q>' for x in w["evidence"][:1])
        parts.append(f"<li>{e(w['note'])}" + (f"<br><small>{quotes}</small>" if quotes else "") + "</li>")
    if not d["went_well"]:
        parts.append(f"<li>{e(_L('went_well_none', lg))}</li>")
    parts.append("</ul></section>")

    parts.append(f'<section><h3>{e(_L("improvements", lg))}</h3><ol class="pr-improve">')
    for im in d["improvements"]:
        extra = ""
        if im["kind"] == "advice" and im["quote"].rstrip().endswith("?"):
            extra = f'<p class="pr-muted">{e(_L("why_as_question", lg))}</p>'
        parts.append(f'<li><h4>{e(im["title"])} <small>({turn_link(im["turn"])})</small></h4>'
                     f'<p class="pr-said">{e(_L("you_said", lg))}: <q>{e(im["quote"])}</q></p>'
                     f'<p class="pr-better">{e(_L("try_instead", lg))}: <q>{e(im["better"])}</q></p>'
                     f'<p class="pr-muted">{e(im["why"])}</p>{extra}')
        if im.get("passage"):
            p = im["passage"]
            parts.append(f'{det} class="pr-passage"><summary>{e(_L("source_title", lg))}: '
                         f'{e(passage_title(p))}</summary>{passage_html(p["text"])}</details>')
        parts.append("</li>")
    if not d["improvements"]:
        parts.append(f'<li class="pr-muted">{e(_L("improvements_none", lg))}</li>')
    parts.append("</ol></section>")

    coach_numbers = [x["turn"] for x in d.get("turns") or [] if x.get("speaker") == "coach"]
    svg, said = journey(states or [], lg, coach_numbers)
    if svg:
        parts.append(f'<section><h3>{e(_L("journey", lg))}</h3><p>{e(said)}</p>{svg}</section>')

    parts.append(f'<section><h3>{e(_L("evidence_by_dim", lg))}</h3>')
    for k in DIMENSIONS:
        dim = d["dimensions"].get(k)
        if not dim or not dim["evidence"]:
            continue
        groups = grouped_evidence(dim["evidence"])
        parts.append(f'{det} class="pr-evidence"><summary>{e(dim["name"])} ({len(groups)})</summary><ul>')
        for g in groups:
            notes = "".join(f'<span class="pr-pos">+ {e(n)}</span>' for n in g["pos"]) + "".join(
                f'<span class="pr-neg">− {e(n)}</span>' for n in g["neg"])
            parts.append(f'<li>{turn_link(g["turn"])}: <q>{e(g["quote"])}</q> {notes}</li>')
        parts.append("</ul></details>")
    parts.append("</section>")

    parts.append(f'<details class="pr-facil"><summary>{e(_L("for_facilitators", lg))}</summary>'
                 f'<table><thead><tr><th>{e(_L("dimension", lg))}</th><th>{e(_L("signal", lg))}</th>'
                 f'<th>{e(_L("value", lg))}</th><th>{e(_L("level", lg))}</th></tr></thead><tbody>')
    signal_names = labels()["signals"]
    for k in DIMENSIONS:
        dim = d["dimensions"].get(k)
        for s in (dim or {}).get("signals") or []:
            name = signal_names.get(s["signal"], {}).get(lg, s["signal"])
            parts.append(f'<tr><td>{e(dim["name"])}</td><td>{e(name)}</td><td>{number(s["value"], lg, 2)}</td>'
                         f'<td>{number(s["level"], lg, 1)}</td></tr>')
    parts.append("</tbody></table>")
    parts.append("</details>")
    for n in d.get("notes") or []:
        parts.append(f'<p class="pr-muted"><small>{e(n)}</small></p>')
    parts.append("</div>")
    return "".join(parts)


# Styles shared by the app (added to its CSS) and the printable file (inlined). Contrast >= 4.5:1 throughout.
CSS = """
.pr-report {font-size: 15px; line-height: 1.5; color: #1f2933;}
.pr-report h3 {font-size: 1.1em; margin: 1.2em 0 .4em;}
.pr-report p {display: block; margin: .25em 0;}
.pr-report li {margin: .2em 0;}
.pr-report h4 {font-size: 1em; margin: 0 0 .2em;}
.pr-meta {color: #3e4c59; margin: 0 0 .6em;}
.pr-overall {display: flex; gap: 1em; align-items: center; border: 1px solid #cbd2d9; border-radius: 8px;
             padding: .6em 1em;}
.pr-overall p {margin: .2em 0 0;}
.pr-big {font-size: 2.4em; font-weight: 700; color: #1d4ed8; line-height: 1;}
.pr-big small {font-size: .45em; color: #3e4c59;}
.pr-dims {display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: .6em; margin-top: .6em;}
.pr-dim {border: 1px solid #cbd2d9; border-radius: 8px; padding: .5em .8em;}
.pr-dim p {margin: .3em 0 0;}
.pr-dim-head {display: flex; justify-content: space-between; gap: .5em; flex-wrap: wrap;}
.pr-pill {font-weight: 700; background: #e0ecff; color: #1e3a8a; border-radius: 999px; padding: 0 .6em;
          white-space: nowrap;}
.pr-bar i {display: inline-block; width: 22px; height: 8px; margin-right: 3px; border-radius: 2px;}
.pr-bar i.on {background: #1d4ed8;} .pr-bar i.off {background: #cbd2d9;}
.pr-improve > li {margin-bottom: .9em;}
.pr-report q {quotes: "“" "”";}
.pr-said q {font-style: italic;}
.pr-better q {color: #1a5e34; font-weight: 600;}
.pr-muted {color: #3e4c59;}
.pr-passage, .pr-evidence, .pr-facil {margin: .3em 0; border: 1px solid #e4e7eb; border-radius: 6px;
                                       padding: .3em .7em; background: #f8fafc;}
.pr-passage summary, .pr-evidence summary, .pr-facil summary {cursor: pointer; font-weight: 600;}
.pr-pos, .pr-neg {display: inline-block; margin-left: .4em; font-size: .9em;}
.pr-pos {color: #1a5e34;} .pr-neg {color: #9a3412;}
.pr-facil table {border-collapse: collapse; width: 100%; font-size: .9em;}
.pr-facil td, .pr-facil th {text-align: left; padding: .2em .4em; border-bottom: 1px solid #e4e7eb;}
.pc-chart {margin: .4em 0; max-width: 640px;}
.pc-legend {display: flex; flex-wrap: wrap; gap: .3em 1em; font-size: .9em; color: #1f2933;}
.pc-key {white-space: nowrap;}
.pc-svg {width: 100%; height: auto;}
@media print { .pr-passage, .pr-evidence, .pr-facil {break-inside: avoid;} }
"""

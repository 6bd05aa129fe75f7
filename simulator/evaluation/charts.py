"""Small inline SVG line charts (no JavaScript, no external assets): the coachee's journey across turns and a
trainee's scores across sessions. The same SVG is shown in the app, the review tab and the printable HTML
report, so every label is in the reader's language and ticks are whole turns / whole levels."""

from __future__ import annotations

import base64
import html

# Colour-blind-safe (Okabe-Ito), each with >= 3:1 contrast on white for the lines; text stays dark.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4")


def line_chart(series: list[tuple[str, list[float | None]]], *, x_labels: list[str], y_min: float, y_max: float,
               y_ticks: list[tuple[float, str]], x_title: str, y_title: str, title: str,
               width: int = 560, height: int = 240) -> str:
    """series: (name, values per x); None leaves a gap. A legend in HTML above the plot (it wraps on a phone
    instead of being cut off), the plot scales with its container (viewBox)."""
    n = max((len(v) for _, v in series), default=0)
    left, right, top, bottom = 44, 12, 10, 36
    pw, ph = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph * (1 - (v - y_min) / ((y_max - y_min) or 1))

    e = html.escape
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'font-family="system-ui, sans-serif" xmlns="http://www.w3.org/2000/svg">']
    for value, label in y_ticks:
        yy = y(value)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#d9e2ec"/>'
                     f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="12" fill="#3e4c59">'
                     f'{e(label)}</text>')
    step = max(1, round(n / 12)) if n else 1  # at most ~12 labels: readable on a phone
    for i, label in enumerate(x_labels[:n]):
        if i % step == 0 or i == n - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{top + ph + 16}" text-anchor="middle" font-size="12" '
                         f'fill="#3e4c59">{e(label)}</text>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 4}" text-anchor="middle" font-size="12" '
                 f'fill="#3e4c59">{e(x_title)}</text>')
    parts.append(f'<text x="12" y="{top + ph / 2:.1f}" text-anchor="middle" font-size="12" fill="#3e4c59" '
                 f'transform="rotate(-90 12 {top + ph / 2:.1f})">{e(y_title)}</text>')
    for k, (_name, values) in enumerate(series):
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        runs, run = [], []
        for i, v in enumerate(values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((x(i), y(v)))
        if run:
            runs.append(run)
        for r in runs:
            pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in r)
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5" '
                         + (f'stroke-dasharray="{dash}" ' if dash else "") + "/>")
            parts += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>' for a, b in r]
    parts.append("</svg>")
    legend = "".join(
        f'<span class="pc-key">{_image(_key_svg(k), "", 22, 10)} {e(name)}</span>'
        for k, (name, _v) in enumerate(series))
    if len(series) == 1:  # one line: its name is the heading already, a legend would only repeat it
        legend = ""
    return (f'<figure class="pc-chart"><figcaption class="pc-legend">{legend}</figcaption>'
            f'{_image("".join(parts), title, width, height, "pc-svg")}</figure>')


def _key_svg(k: int) -> str:
    dash = DASHES[k % len(DASHES)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="22" height="10"><line x1="0" x2="22" y1="5" y2="5" '
            f'stroke="{COLOURS[k % len(COLOURS)]}" stroke-width="3"' + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/></svg>")


def _image(svg: str, alt: str, width: int, height: int, cls: str = "") -> str:
    """The SVG as an <img> data URI: an image cannot run script, and it prints and downloads like any picture."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img {f"class={cls!r} " if cls else ""}src="data:image/svg+xml;base64,{data}" '
            f'alt="{html.escape(alt)}" width="{width}" height="{height}">')

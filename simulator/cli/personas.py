"""`pamong personas [--json] [--lang id|en]`: list the coachee personas a trainee can practise with."""

from __future__ import annotations

import json

from simulator.coachee.persona import load_personas


def register(subparsers) -> None:
    p = subparsers.add_parser("personas", help="list the coachee personas",
                              description="List the coachee personas (id, title, role, difficulty, "
                                          "resistance, skills).")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="language of the titles (default id)")
    p.set_defaults(func=run)


def rows(lang: str = "id") -> list[dict]:
    return [{"id": p.id, "title": p.title(lang), "role": p.role, "scenario_type": p.scenario_type,
             "difficulty": p.difficulty, "resistance": p.resistance, "skills": list(p.skills),
             "languages": list(p.languages)}
            for p in load_personas().values()]


def run(args) -> int:
    data = rows(args.lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not data:
        print("No personas found (personas/*.yaml).")
        return 0
    width = max(len(r["id"]) for r in data)
    for r in data:
        print(f"{r['id']:<{width}}  {r['difficulty']:<6}  {r['resistance']:<10}  {r['role']:<17}  {r['title']}")
        print(f"{'':<{width}}  skills: {', '.join(r['skills'])}")
    return 0

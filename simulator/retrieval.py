"""Knowledge retrieval. CONTRACT (other modules rely on it; keep the names):

    Passage(text, source, heading, lang, score, chunk_id) with .cite()
    class Searcher(Protocol): search(query: str, k: int = 3, lang: str | None = None) -> list[Passage]
    KnowledgeStore(settings).search(...) / .ingest(paths, progress=None) -> IngestSummary
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Passage:
    text: str
    source: str        # path of the file it came from, relative to the ingested folder's parent
    heading: str       # "RASA > Summarize": the chunk's heading trail
    lang: str          # "id" | "en"
    score: float
    chunk_id: str

    def cite(self) -> str:
        return f"{self.source} § {self.heading}" if self.heading else self.source


class Searcher(Protocol):
    def search(self, query: str, k: int = 3, lang: str | None = None) -> list[Passage]: ...

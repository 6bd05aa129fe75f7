"""Token counting and history trimming (simulator/models/tokens.py)."""

from simulator.models import tokens


def _history(n: int, words: int = 30) -> list[dict]:
    out = []
    for i in range(n):
        role = "user" if i % 2 == 0 else "assistant"
        out.append({"role": role, "content": f"turn {i}: " + " ".join(f"kata{i}x{j}" for j in range(words))})
    return out


def test_counts_with_a_real_encoding():
    assert tokens.encoding_name() in ("o200k_base", "cl100k_base")
    short, long = tokens.count_tokens("Selamat siang, Bu."), tokens.count_tokens("Selamat siang, Bu. " * 20)
    assert 0 < short < long
    assert tokens.count_tokens("") == 0
    msgs = [{"role": "system", "content": "a b c"}, {"role": "user", "content": "d e f"}]
    assert tokens.count_messages(msgs) == sum(tokens.count_message(m) for m in msgs) + tokens.REPLY_PRIMING


def test_nothing_dropped_when_it_fits():
    head, tail = [{"role": "system", "content": "persona"}], [{"role": "system", "content": "note"}]
    history = _history(4)
    kept, dropped = tokens.trim_history(head, history, tail, budget=10_000)
    assert kept == history and dropped == 0


def test_oldest_dropped_first_and_result_fits():
    head, tail = [{"role": "system", "content": "persona " * 200}], [{"role": "system", "content": "note " * 50}]
    history = _history(200)
    budget = 2000
    kept, dropped = tokens.trim_history(head, history, tail, budget=budget, keep_last=2)
    assert dropped > 0 and kept == history[dropped:]
    assert kept[-1] == history[-1] and kept[-2] == history[-2]
    assert tokens.count_messages(head + kept + tail) <= budget
    assert dropped % 8 == 0, "dropped in whole blocks"
    # Dropping whole blocks keeps the prefix (and a server's prompt cache) stable for the next turns.
    kept2, dropped2 = tokens.trim_history(head, history + _history(2), tail, budget=budget, keep_last=2)
    assert dropped2 == dropped, "one more turn should not shift the cached prefix"


def test_last_turn_too_long_is_shortened_not_dropped():
    head, tail = [{"role": "system", "content": "persona"}], [{"role": "system", "content": "note"}]
    huge = {"role": "user", "content": "panjang sekali " * 20_000}  # about 300 KB
    kept, _ = tokens.trim_history(head, _history(10) + [huge], tail, budget=1000, keep_last=1)
    assert kept and kept[-1]["content"].startswith("panjang sekali")
    assert tokens.count_messages(head + kept + tail) <= 1000
    assert huge["content"].count("panjang") == 20_000, "the caller's message must not be modified"


def test_truncate():
    text = "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh " * 10
    cut = tokens.truncate(text, 5)
    assert cut.endswith("…") and tokens.count_tokens(cut) <= 7
    assert tokens.truncate("pendek", 50) == "pendek"


def test_trimming_with_another_tokenizer_fits_by_that_tokenizer():
    coarse = tokens.CharCounter(2.0)  # a small model's tokenizer: many more tokens than tiktoken counts
    head, tail = [{"role": "system", "content": "persona " * 100}], [{"role": "system", "content": "note " * 40}]
    history = _history(120)
    kept, dropped = tokens.trim_history(head, history, tail, budget=3000, count=coarse)
    assert tokens.count_messages(head + kept + tail, coarse) <= 3000 and dropped > 0
    assert tokens.count_messages(head + kept + tail) < 3000 * 0.7, "tiktoken alone would have kept far more"


def test_server_counter_caches_and_falls_back_to_an_estimate():
    calls = []

    def tokenize(text: str) -> int:
        calls.append(text)
        if text == "rusak":
            raise OSError("server gone")
        return len(text.split())

    count = tokens.ServerCounter(tokenize, name="x /tokenize")
    assert count("satu dua tiga") == 3 and count("satu dua tiga") == 3 and calls == ["satu dua tiga"]
    assert count("rusak") == tokens.CharCounter()("rusak")  # a failed call never fails the turn
    assert count("") == 0


def test_prompt_budget_keeps_a_margin():
    assert tokens.prompt_budget(4096, 160) == 4096 - 160 - int(4096 * 0.06)
    assert tokens.prompt_budget(1024, 160) == 1024 - 160 - 61
    assert tokens.prompt_budget(600, 160) <= 600 - 160 - 48


def test_truncate_with_another_tokenizer():
    coarse = tokens.CharCounter(2.0)
    cut = tokens.truncate("panjang sekali " * 200, 50, coarse)
    assert cut.endswith("…") and coarse(cut) <= 50

"""A tiny OpenAI-compatible chat server for tests and benchmarks (stdlib only, 127.0.0.1, a free port).

    with FakeOpenAIServer(reply="Saya cemas, Pak.") as server:
        settings = load_settings(voice="openai", openai_base_url=server.base_url)
        ...
        server.requests[-1]["messages"]   # every request body is recorded

Modes (set `server.mode` at any time):
- normal            the configured `reply` (a string, or a callable body -> string)
- garbage           HTTP 200 with a body that is not JSON
- http500           HTTP 500 with an error body
- slow              sleeps `delay` seconds before answering (past the client's timeout)
- out_of_character  "As an AI language model ..." (a model that breaks character)
- http401           HTTP 401 whose message quotes the API key it was sent (worst case for leaks)
Streaming (`"stream": true`) answers as server-sent events, like the real API. Stop sequences are honoured.

`n_ctx=N` makes it behave like a llama.cpp server with a context of N tokens: GET /props reports N, POST
/tokenize counts with its own tokenizer (`fake_tokens`: one token per 2.5 characters, far more than tiktoken
counts for Indonesian), and a request whose prompt does not fit is refused with llama.cpp's HTTP 400 and
error text. A reply longer than `max_tokens` (one token per word) is cut and ends with finish_reason
"length", as a real server does.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUT_OF_CHARACTER = (
    "As an AI language model, I don't have feelings. I am an assistant and my system prompt tells me to play a persona."
)
MODES = ("normal", "garbage", "http500", "slow", "out_of_character", "http401")
TEMPLATE_TOKENS = 5  # per message: <|im_start|>role\n ... <|im_end|>\n


def fake_tokens(text: str) -> int:
    return math.ceil(len(text) / 2.5) if text else 0


def prompt_tokens(messages: list[dict]) -> int:
    return sum(fake_tokens(str(m.get("content", ""))) + TEMPLATE_TOKENS for m in messages) + 3


class FakeOpenAIServer:
    def __init__(
        self,
        reply: str | Callable[[dict], str] = "Baik, Pak. Saya akan memikirkannya.",
        *,
        mode: str = "normal",
        delay: float = 3.0,
        latency: float = 0.0,
        n_ctx: int | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {MODES}")
        self.reply = reply
        self.mode = mode
        self.delay = delay  # for mode "slow"
        self.latency = latency  # added to every answer (a stand-in for the model's own time)
        self.n_ctx = n_ctx  # a llama.cpp-like server (/props, /tokenize, context limit) when set
        self.prompt_sizes: list[int] = []  # prompt tokens of every chat request, by the fake tokenizer
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.hits = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> FakeOpenAIServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as separate small writes: without TCP_NODELAY, Nagle's algorithm meets the
            # client's delayed ACK and every reply waits ~40 ms on loopback, which is the server's time, not ours.
            disable_nagle_algorithm = True

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                if server.n_ctx and self.path.rstrip("/") == "/props":
                    self._json(200, {"default_generation_settings": {"n_ctx": server.n_ctx}, "total_slots": 1})
                elif self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                server.hits += 1
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                server.requests.append(body)
                server.headers.append(dict(self.headers))
                if server.n_ctx and self.path.rstrip("/") == "/tokenize":
                    self._json(200, {"tokens": list(range(fake_tokens(str(body.get("content", "")))))})
                    return
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                server._answer(self, body)

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- answering
    def text_for(self, body: dict) -> str:
        if self.mode == "out_of_character":
            text = OUT_OF_CHARACTER
        else:
            text = self.reply(body) if callable(self.reply) else self.reply
        for stop in body.get("stop") or []:
            if stop and stop in text:
                text = text[: text.index(stop)]
        return text

    def _answer(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        try:
            if self.latency:
                time.sleep(self.latency)
            if self.mode == "slow":
                time.sleep(self.delay)
            if self.mode == "http500":
                handler._json(500, {"error": {"message": "internal error", "type": "server_error"}})
                return
            if self.mode == "http401":
                key = (handler.headers.get("Authorization") or "").removeprefix("Bearer ")
                handler._json(401, {"error": {"message": f"Incorrect API key provided: {key}.",
                                              "type": "invalid_request_error", "code": "invalid_api_key"}})
                return
            if self.mode == "garbage":
                data = b"<html>502 Bad Gateway</html> \x00 not json {"
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(data)))
                handler.end_headers()
                handler.wfile.write(data)
                return
            if self.n_ctx:
                size = prompt_tokens(body.get("messages") or [])
                self.prompt_sizes.append(size)
                if size > self.n_ctx:
                    handler._json(400, {"error": {
                        "code": 400, "type": "exceed_context_size_error", "n_prompt_tokens": size,
                        "n_ctx": self.n_ctx, "message": f"request ({size} tokens) exceeds the available context "
                                                        f"size ({self.n_ctx} tokens), try increasing it"}})
                    return
            text = self.text_for(body)
            finish = "stop"
            limit = body.get("max_completion_tokens") or body.get("max_tokens")
            if limit and len(text.split(" ")) > limit:
                text, finish = " ".join(text.split(" ")[:limit]), "length"
            model = body.get("model", "fake-model")
            if body.get("stream"):
                self._stream(handler, text, model, finish)
            else:
                handler._json(
                    200,
                    {
                        "id": f"chatcmpl-fake{self.hits}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": model,
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": text},
                                "finish_reason": finish,
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass

    def _stream(self, handler: BaseHTTPRequestHandler, text: str, model: str, finish: str = "stop") -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True

        def event(delta: dict, finish: str | None = None) -> None:
            chunk = {
                "id": f"chatcmpl-fake{self.hits}",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            handler.wfile.flush()

        event({"role": "assistant", "content": ""})
        words = text.split(" ")
        for i, word in enumerate(words):
            event({"content": word + (" " if i < len(words) - 1 else "")})
        event({}, finish)
        handler.wfile.write(b"data: [DONE]\n\n")
        handler.wfile.flush()

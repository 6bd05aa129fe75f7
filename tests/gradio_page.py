"""Call the app's named endpoints the way its page does (Gradio's queue: POST queue/join with the tab's
session_hash, then read queue/data's server-sent events), over one httpx client that keeps cookies like a
browser -- which is what nginx's sticky cookie needs. Outputs come back without the gr.State ones."""

from __future__ import annotations

import json
import uuid

import httpx


def api_description(url: str) -> dict:
    config = httpx.get(url + "/config", timeout=30).json()
    states = {c["id"] for c in config["components"] if c.get("type") == "state"}
    endpoints = {dep["api_name"]: {"fn_index": dep.get("id", i), "inputs": dep["inputs"], "outputs": dep["outputs"]}
                 for i, dep in enumerate(config["dependencies"]) if dep.get("api_name")}
    return {"endpoints": endpoints, "states": states}


class EndpointFailed(RuntimeError):
    pass


class Page:
    """One browser tab."""

    def __init__(self, url: str, api: dict | None = None, timeout: float = 60):
        self.url = url
        self.api = api or api_description(url)
        self.http = httpx.Client(timeout=timeout)
        self.session_hash = uuid.uuid4().hex[:11]

    @property
    def node(self) -> str | None:
        """The app process nginx's sticky cookie names (w1, w2, ...)."""
        return self.http.cookies.get("pamong_node")

    def predict(self, *values, api_name: str) -> tuple:
        endpoint = self.api["endpoints"][api_name.lstrip("/")]
        given = iter(values)
        data = [None if cid in self.api["states"] else next(given) for cid in endpoint["inputs"]]
        joined = self.http.post(self.url + "/gradio_api/queue/join",
                                json={"data": data, "fn_index": endpoint["fn_index"], "event_data": None,
                                      "session_hash": self.session_hash, "trigger_id": None})
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        with self.http.stream("GET", self.url + "/gradio_api/queue/data",
                              params={"session_hash": self.session_hash}) as stream:
            buffer = b""
            for chunk in stream.iter_bytes():
                buffer += chunk
                while b"\n\n" in buffer:
                    line, buffer = buffer.split(b"\n\n", 1)
                    if not line.startswith(b"data:"):
                        continue
                    message = json.loads(line[5:])
                    if message.get("event_id") != event_id or message.get("msg") != "process_completed":
                        continue
                    if not message.get("success", True):
                        raise EndpointFailed(f"{api_name} failed: {str(message.get('output'))[:200]}")
                    out = message["output"]["data"]
                    return tuple(v for v, cid in zip(out, endpoint["outputs"], strict=True)
                                 if cid not in self.api["states"])
        raise EndpointFailed(f"{api_name}: the event stream ended without the result")

    def close(self) -> None:
        self.http.close()

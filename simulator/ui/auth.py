"""Who may sign in, and with which role. Used when the app is served beyond localhost (login required).

Users come from PAMONG_AUTH_FILE (YAML or JSON) or PAMONG_USERS:

    # users.yaml — a list (or {"users": [...]}); give `password_hash` (preferred) or `password`
    - {username: ani, password_hash: "pbkdf2_sha256$200000$<salt hex>$<hash hex>", role: trainee}
    - {username: budi, password: "s3cret", role: facilitator}

    PAMONG_USERS="ani:s3cret:trainee,budi:other:facilitator"     # role defaults to trainee

`pamong serve --hash-password` reads a password and prints its hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

from simulator.errors import InputError
from simulator.storage.store import ROLES

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
ITERATIONS = 200_000


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def _check_hash(password: str, stored: str) -> bool:
    try:
        algo, iterations, salt, digest = stored.split("$")
        if algo != "pbkdf2_sha256":
            return False
        mine = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations)).hex()
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(mine, digest)


@dataclass(frozen=True)
class User:
    username: str
    role: str
    password: str | None = None
    password_hash: str | None = None

    def check(self, password: str) -> bool:
        if self.password_hash:
            return _check_hash(password or "", self.password_hash)
        return self.password is not None and hmac.compare_digest((password or "").encode(),
                                                                 self.password.encode())


def _user(entry: dict, where: str) -> User:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: each user must be a mapping with username, password or password_hash, role.")
    unknown = set(entry) - {"username", "password", "password_hash", "role"}
    if unknown:
        raise InputError(f"{where}: unknown field '{sorted(unknown)[0]}' for user {entry.get('username')!r}.")
    name = str(entry.get("username") or "").strip()
    if not name:
        raise InputError(f"{where}: a user has no 'username'.")
    role = str(entry.get("role") or "trainee")
    if role not in ROLES:
        raise InputError(f"{where}: user '{name}' has role '{role}'; use trainee or facilitator.")
    if not entry.get("password") and not entry.get("password_hash"):
        raise InputError(f"{where}: user '{name}' needs 'password_hash' (or 'password').")
    return User(name, role, entry.get("password"), entry.get("password_hash"))


def load_users(auth_file: str | None = None, env: str | None = None) -> dict[str, User] | None:
    """Users from the auth file, else from PAMONG_USERS; None when neither is set."""
    env = os.environ.get("PAMONG_USERS") if env is None else env
    users: list[User] = []
    if auth_file:
        path = Path(auth_file).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the users file (PAMONG_AUTH_FILE): {exc}.") from exc
        try:
            raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise InputError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}.") from exc
        if isinstance(raw, dict):
            raw = raw.get("users")
        if not isinstance(raw, list) or not raw:
            raise InputError(f"{path}: expected a list of users (username, password_hash or password, role).")
        users = [_user(e, str(path)) for e in raw]
    elif env:
        for item in env.split(","):
            if not item.strip():
                continue
            parts = item.strip().split(":")
            if len(parts) < 2:
                raise InputError("PAMONG_USERS: write entries as name:password[:role], separated by commas.")
            role = parts[-1] if len(parts) > 2 and parts[-1] in ROLES else "trainee"
            password = ":".join(parts[1:-1] if len(parts) > 2 and parts[-1] in ROLES else parts[1:])
            users.append(_user({"username": parts[0], "password": password, "role": role}, "PAMONG_USERS"))
    else:
        return None
    out: dict[str, User] = {}
    for u in users:
        if u.username in out:
            raise InputError(f"User '{u.username}' is listed twice.")
        out[u.username] = u
    return out


def needs_login(host: str | None) -> bool:
    return (host or "127.0.0.1") not in LOCAL_HOSTS


def check_login_config(host: str, users: dict[str, User] | None) -> None:
    if needs_login(host) and not users:
        raise InputError(f"Serving on {host} (beyond this computer) requires login: set PAMONG_AUTH_FILE to a "
                         "users file or PAMONG_USERS=name:password:role,... (see docs/deployment.md, 'Roles and login'), or "
                         "serve on 127.0.0.1.")


def authenticator(users: dict[str, User]):
    """The callable Gradio's `launch(auth=...)` takes."""
    def auth(username: str, password: str) -> bool:
        user = users.get(username)
        return bool(user and user.check(password))
    return auth

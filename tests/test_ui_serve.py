"""`pamong serve` and `python app.py` at the edge: login required beyond localhost, password hashing."""

from __future__ import annotations

import io

from simulator.cli import main
from simulator.ui import auth


def test_serve_beyond_localhost_without_users_refuses_with_one_clear_line(data_dir, monkeypatch, capsys):
    monkeypatch.delenv("PAMONG_USERS", raising=False)
    monkeypatch.delenv("PAMONG_AUTH_FILE", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--no-index"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("pamong: error: Serving on 0.0.0.0")
    assert "PAMONG_AUTH_FILE" in err[0] and "PAMONG_USERS" in err[0]


def test_bad_users_file_is_named(data_dir, monkeypatch, capsys, tmp_path):
    bad = tmp_path / "users.yaml"
    bad.write_text("- {username: ani}\n", encoding="utf-8")
    monkeypatch.setenv("PAMONG_AUTH_FILE", str(bad))
    assert main(["serve", "--host", "0.0.0.0", "--no-index"]) == 2
    assert f"{bad}: user 'ani' needs 'password_hash'" in capsys.readouterr().err


def test_hash_password(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("geheim\n"))
    assert main(["serve", "--hash-password"]) == 0
    hashed = capsys.readouterr().out.strip()
    user = auth.User("ani", "trainee", password_hash=hashed)
    assert hashed.startswith("pbkdf2_sha256$") and user.check("geheim") and not user.check("geheim2")

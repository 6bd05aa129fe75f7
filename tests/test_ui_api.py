"""The app's HTTP API (gradio_client) with login on: one trainee cannot read or continue another's
unsubmitted session, nor use the facilitator review; a facilitator sees only submitted sessions."""

from __future__ import annotations

import pytest
from served_app import served_app

from simulator.ui import logic


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    env = {"PAMONG_USERS": "ani:pw-ani:trainee,budi:pw-budi:trainee,fasil:pw-fasil:facilitator",
           "PAMONG_DATA_DIR": str(tmp_path_factory.mktemp("api-data")), "PAMONG_AUTH_FILE": None}
    with served_app(env) as (url, demo):
        yield url + "/", demo


def client(url, user, password):
    from gradio_client import Client

    return Client(url, auth=(user, password), verbose=False, download_files=False)


def test_login_is_required(served):
    from gradio_client import Client

    url, _ = served
    with pytest.raises(Exception):  # noqa: B017 - the client refuses to connect without valid credentials
        Client(url, auth=("ani", "wrong"), verbose=False)


def test_two_trainees_and_a_facilitator_through_the_http_api(served):
    url, demo = served
    ctx = demo.pamong_context
    persona = sorted(ctx.personas)[0]
    ani = client(url, "ani", "pw-ani")
    out = ani.predict("typed-name-is-ignored", persona, "id", "id", api_name="/start")
    brief = out[2]  # API outputs (no State, no layout): chat, title, brief (with the short code), status, ...
    out = ani.predict("Selamat pagi, Bu. Apa yang ingin Ibu bicarakan hari ini?", True, True, False, "id",
                      api_name="/send")
    assert "%" in out[3]  # outputs: chat, msg, hint, thermo, status, fork; the thermometer is shown
    assert out[0][-1]["role"] == "assistant" and out[1] == ""
    out = ani.predict("Apakah Ibu sudah mencoba membuat aturan kelas?", True, True, True, "id", api_name="/send")
    assert out[2] == "" and out[3] == ""  # exam mode: no hint, no thermometer
    out = ani.predict("Sudahkah Ibu bicara dengan wali kelas?", True, False, False, "id", api_name="/send")
    assert out[2].startswith("**Petunjuk:**") and out[3] == ""  # a live hint names the act; no thermometer
    infos = ctx.store.list_sessions(viewer="ani")
    assert len(infos) == 1 and infos[0].owner == "ani" and infos[0].turns == 6
    sid = infos[0].id
    assert sid[:8] in brief and sid not in brief  # a short code for people

    budi = client(url, "budi", "pw-budi")
    out = budi.predict(None, sid, "ani", "id", api_name="/resume")
    assert out[-1] == logic.t("not_found", "id")  # next to the Resume button, in the interface language
    assert ctx.store.list_sessions(viewer="budi") == []
    choices = budi.predict("ani", "id", api_name="/unfinished")
    assert sid not in str(choices)
    out = budi.predict("", "", "", "", "", "", "", "id", api_name="/review_search")
    assert out[1] == "Tab ini untuk fasilitator. Akun Anda berperan peserta."
    out = budi.predict("", sid, "id", api_name="/review_open")
    assert "fasilitator" in out[-1] and sid not in str(out[0])

    fasil = client(url, "fasil", "pw-fasil")
    out = fasil.predict("", "", "", "", "", "", "", "id", api_name="/review_search")
    assert sid[:8] not in str(out[0])  # a draft is private even to facilitators
    ani.predict("id", api_name="/end")
    assert "Saran berikutnya" in ani.predict("", "id", api_name="/progress")[2]
    out = budi.predict("ani", "id", api_name="/progress")  # the typed name is ignored: budi sees his own
    assert "Belum ada sesi" in out[2]
    ani.predict("id", api_name="/submit")
    out = fasil.predict("", "", "", "", "", "", "", "id", api_name="/review_search")
    assert sid[:8] in str(out[0])
    out = fasil.predict("", sid, "presence", 2, "Perlu lebih banyak refleksi", "id", api_name="/review_override")
    assert ctx.store.overrides(sid, "fasil", "facilitator")[0]["facilitator"] == "fasil"


def test_two_tabs_of_one_trainee_on_one_session(served):
    url, demo = served
    ctx = demo.pamong_context
    persona = sorted(ctx.personas)[1]
    tab1 = client(url, "ani", "pw-ani")
    tab1.predict("", persona, "id", "id", api_name="/start")
    tab1.predict("Selamat siang. Apa yang ingin dibicarakan hari ini?", False, False, False, "id", api_name="/send")
    sid = ctx.store.list_sessions(viewer="ani", unfinished=True)[0].id
    tab2 = client(url, "ani", "pw-ani")
    out = tab2.predict(None, sid, "", "id", api_name="/resume")
    assert "2 giliran" in out[3]
    tab1.predict("Jadi itu yang membuat Anda lelah. Apa yang Anda harapkan?", False, False, False, "id",
                 api_name="/send")
    out = tab2.predict("Bagaimana rasanya bagi Anda?", False, False, False, "id", api_name="/send")
    assert "tab lain" in out[4]  # status: reloaded and added on top
    turns = ctx.store.session_dict(sid, "ani")["turns"]
    assert [t["text"] for t in turns if t["speaker"] == "coach"] == [
        "Selamat siang. Apa yang ingin dibicarakan hari ini?",
        "Jadi itu yang membuat Anda lelah. Apa yang Anda harapkan?", "Bagaimana rasanya bagi Anda?"]
    assert [t["speaker"] for t in turns] == ["coach", "coachee"] * 3
    assert len(out[0]) == 6  # tab 2 now shows the whole conversation

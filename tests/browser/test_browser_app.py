"""The app in headless Chromium: a whole practice session with the report downloaded, a facilitator review
with an override, hostile text shown but never run, and a server restart mid-session that loses nothing.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import json

import pytest

from simulator.config import REPO_ROOT

SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser

TURNS = [
    "Selamat pagi, Bu. Apa yang ingin Ibu bicarakan hari ini?",
    "Jadi Ibu merasa kewalahan dengan kelas itu. Apa yang paling Ibu harapkan berubah?",
    "Apakah Ibu sudah mencoba membuat aturan kelas?",
    "Bagaimana Ibu ingin kelas itu berjalan bulan depan?",
]
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"


class AppPage:
    def __init__(self, page, url):
        self.page, self.url = page, url
        self.dialogs: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.set_default_timeout(60_000)

    def open(self):
        self.page.goto(self.url)
        self.page.wait_for_selector("#pamong-name input")

    def field(self, elem_id):
        return self.page.locator(f"#{elem_id} input, #{elem_id} textarea").first

    def status(self, elem_id="pamong-status") -> str:
        return self.page.locator(f"#{elem_id}").inner_text()

    def wait_status(self, text, elem_id="pamong-status"):
        self.page.locator(f"#{elem_id}").get_by_text(text, exact=False).wait_for()

    def coachee_count(self) -> int:
        return self.page.locator("#pamong-chat [data-testid='bot']").count()

    def start(self, name, persona_index=0):
        self.field("pamong-name").fill(name)
        self.page.locator("#pamong-persona label").nth(persona_index).click()
        self.page.locator("#pamong-start").click()
        self.page.locator("#pamong-code").get_by_text("Kode sesi").wait_for()

    def send(self, text):
        before = self.coachee_count()
        self.field("pamong-msg").fill(text)
        self.page.locator("#pamong-send").click()
        self.page.wait_for_function(
            f"document.querySelectorAll(\"#pamong-chat [data-testid='bot']\").length > {before}")
        self.page.wait_for_function("!document.querySelector('#pamong-msg textarea').value")

    def chat_text(self) -> str:
        return self.page.locator("#pamong-chat").inner_text()

    def shot(self, name):
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_whole_session_then_a_facilitator_review(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 1400}, accept_downloads=True)
    app = AppPage(page, server.url)
    app.open()
    assert "skrip" in page.locator("#pamong-voice-note").inner_text()  # the active voice is named
    app.shot("01-start")
    app.start("Ani")
    for text in TURNS:
        app.send(text)
    assert app.coachee_count() == 4
    assert page.locator("#pamong-hint").inner_text().strip()  # a live hint after the turn
    assert "%" in page.locator("#pamong-thermo").inner_text()  # the thermometer
    app.shot("02-conversation")

    page.locator("#pamong-end").click()
    app.wait_status("Sesi berakhir")
    report = page.locator("#pamong-report")
    report.get_by_text("Tiga perbaikan").wait_for()
    assert report.locator("ol > li").count() == 3
    assert report.locator("a[href^='#pamong-turn-']").count() >= 3  # evidence linked to turns
    assert page.locator("#pamong-transcript #pamong-turn-8").count() == 1
    page.locator("#pamong-chart canvas, #pamong-chart svg").first.wait_for()  # the state chart is drawn
    links = page.locator("#pamong-files a[download]")
    links.first.wait_for()
    assert sorted(links.nth(i).get_attribute("download").rsplit(".", 1)[1] for i in range(3)) == [
        "html", "json", "md"]
    json_link = next(links.nth(i) for i in range(3) if links.nth(i).get_attribute("download").endswith(".json"))
    with page.expect_download() as info:
        json_link.click()
    saved = tmp_path / "report.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert set(data["scores"]) == {"presence", "active_listening", "powerful_questions", "overall"}
    app.shot("03-report")

    page.locator("#pamong-submit").click()
    app.wait_status("Terkirim ke fasilitator")

    # the facilitator, in another browser context (another person)
    fpage = browser.new_context(viewport={"width": 1280, "height": 1400}).new_page()
    fac = AppPage(fpage, server.url)
    fac.open()
    fpage.get_by_role("tab", name="Tinjauan fasilitator").click()
    fac.field("review-name").fill("Bu Fasil")
    fac.field("review-trainee").fill("Ani")
    fpage.locator("#review-search").click()
    fpage.wait_for_function("document.querySelector('#review-pick input').value.startsWith('Ani')")
    assert "Ani" in fpage.locator("#review-table").inner_text()
    fpage.locator("#review-open").click()
    fpage.locator("#review-transcript .pamong-act").first.wait_for()  # per-turn act labels
    assert fpage.locator("#review-transcript .pamong-turn").count() == 8
    fpage.locator("#review-score input").click()
    fpage.get_by_role("option", name="2", exact=True).click()
    fac.field("review-comment").fill("Pertanyaan tertutup di giliran 5; coba 'Bagaimana…'")
    fpage.locator("#review-save").click()
    fac.wait_status("disimpan", "review-status")
    scores = fpage.locator("#review-scores").inner_text()
    assert "Pertanyaan tertutup di giliran 5" in scores and "Bu Fasil" in scores
    fac.shot("04-review-override")
    assert app.dialogs == [] and fac.dialogs == []


def test_hostile_text_is_shown_not_run(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    app = AppPage(page, server.url)
    app.open()
    app.start("<b>Mallory</b>", persona_index=1)
    app.send(HOSTILE)
    chat = app.chat_text()
    assert "<script>alert(1)</script>" in chat and "[x](javascript:alert(1))" in chat
    assert page.locator("#pamong-chat img[src='x']").count() == 0
    assert page.locator("#pamong-chat a[href^='javascript']").count() == 0
    assert page.locator("#pamong-chat script").count() == 0
    page.locator("#pamong-end").click()
    page.locator("#pamong-transcript .pamong-turn").first.wait_for()
    assert page.locator("#pamong-transcript img, #pamong-report img, #pamong-report script").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator("#pamong-transcript").inner_text()
    page.wait_for_timeout(500)
    app.shot("05-hostile-text")
    assert app.dialogs == []

    page.locator("#pamong-ui-lang label").filter(has_text="English").click()  # the interface in English
    page.get_by_role("tab", name="Facilitator review").wait_for()
    assert page.locator("#pamong-end").inner_text().strip() == "End session → report"
    assert "Your name" in page.locator("#pamong-name").inner_text()
    assert "Coachee voice: scripted" in page.locator("#pamong-voice-note").inner_text()


def test_restarting_the_server_mid_session_loses_nothing(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    app = AppPage(page, server.url)
    app.open()
    app.start("Budi", persona_index=2)
    for text in TURNS[:2]:
        app.send(text)
    before = app.chat_text()
    code = page.locator("#pamong-code code").inner_text()

    server.stop()  # the server goes away mid-session
    server.start()
    page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    app = AppPage(page, server.url)
    app.open()
    app.field("pamong-name").fill("Budi")
    page.get_by_text("Lanjutkan sesi").first.click()  # the accordion
    page.locator("#pamong-refresh").click()
    page.wait_for_function("document.querySelector('#pamong-resume-pick input').value.includes('"
                           + code[:8] + "')")
    page.locator("#pamong-resume").click()
    app.wait_status("Sesi dilanjutkan: 4 giliran")
    assert app.coachee_count() == 2
    for text in TURNS[:2]:
        assert text in app.chat_text()
    assert app.chat_text().strip() == before.strip()
    app.send(TURNS[3])  # the conversation goes on where it was
    assert app.coachee_count() == 3
    app.shot("06-resumed-after-restart")


def test_with_login_a_trainee_sees_no_review_tab_and_a_facilitator_does(login_server, browser):
    for user, password, review_visible in (("ani", "pw-ani", False), ("fasil", "pw-fasil", True)):
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(60_000)
        page.goto(login_server.url)
        page.locator("input[type='password']").wait_for()
        page.locator("input").first.fill(user)
        page.locator("input[type='password']").fill(password)
        page.locator("button").filter(has_text="Login").click()
        page.locator("#pamong-user").get_by_text(user).wait_for()
        assert page.locator("#pamong-name").count() == 0 or not page.locator("#pamong-name").is_visible()
        page.get_by_role("tab", name="Latihan").wait_for()
        page.wait_for_timeout(500)
        page.get_by_role("tab", name="Tinjauan fasilitator").click()
        note = "Tab ini untuk fasilitator" if not review_visible else "Sesi yang sudah dikirim"
        page.locator("#review-note").get_by_text(note).wait_for()
        assert page.locator("#review-search").is_visible() == review_visible
        page.screenshot(path=str(SHOTS / f"07-login-{user}.png"), full_page=True)
        page.locator("#pamong-user").get_by_text("Masuk sebagai").wait_for()
        page.locator("#pamong-ui-lang label").filter(has_text="English").click()  # every label follows, this too
        page.locator("#pamong-user").get_by_text("Signed in as").wait_for()

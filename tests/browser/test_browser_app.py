"""The app in headless Chromium, walked as a person would on a 1366x900 laptop and a 390x844 phone: choose a
card and talk (three actions, no scrolling on a laptop), end for the report (its own view), submit with a
confirmation, try again from a turn (a clean start), a facilitator opening the report from the list in one
click, the English page, hostile text, a server restart mid-session and login. The visible text of each page
is checked for leftover codes, Markdown and words of the other language. Screenshots go to docs/screenshots/
(the guides link them)."""

from __future__ import annotations

import re

import pytest

from simulator.config import REPO_ROOT

SHOTS = REPO_ROOT / "docs" / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser

TURNS = [
    "Selamat pagi, Bu. Apa yang ingin Ibu bicarakan hari ini?",
    "Apakah Ibu sudah mencoba membuat aturan kelas?",
    "Jadi Ibu merasa kewalahan dengan kelas itu. Apa yang paling Ibu harapkan berubah?",
    "Bagaimana Ibu ingin kelas itu berjalan bulan depan?",
]
# the phone walk talks to Pak Agus (the third card): the same turns, to a man
TURNS_PAK = [t.replace("Ibu", "Bapak").replace("Bu.", "Pak.") for t in TURNS]
TURNS_EN = [
    "Good morning. What would you like to talk about today?",
    "Have you tried setting clear class rules?",
    "So the class leaves you exhausted. What would you most like to change?",
    "How would you like that class to go next month?",
]
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"

# What must never be on a page a teacher reads: codes, Markdown, file paths, signal dumps.
LEFTOVERS = [r"\b[a-z]+_[a-z_]+\b", r"\*\*", r"\]\(", r"(^|\s)#{1,3}\s", r"\.md\b", r"knowledge/", r"\(→",
             r"\bNaN\b", r"\bNone\b", r"\bnull\b"]
ENGLISH_WORDS = ["the", "and", "your", "score", "turn", "value", "measure", "session", "persona", "advice",
                 "reflection", "question", "download", "submit", "report", "trust", "openness", "other"]
INDONESIAN_WORDS = ["dan", "yang", "anda", "dengan", "untuk", "tidak", "giliran", "sesi", "laporan", "skor",
                    "kirim", "mulai", "pertanyaan", "coba", "ibu", "bapak", "saran"]


def _luminance(css_colour: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    parts = re.findall(r"[\d.]+", bg)
    if len(parts) == 4 and float(parts[3]) == 0:  # transparent: the white page shows through
        bg = "rgb(255, 255, 255)"
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def leftovers(text: str) -> list[str]:
    return [m.group(0) for pattern in LEFTOVERS for m in re.finditer(pattern, text, re.M)]


def foreign_words(text: str, words: list[str]) -> list[str]:
    found = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", text)}
    return sorted(found & set(words))


class AppPage:
    def __init__(self, page, url):
        self.page, self.url = page, url
        self.dialogs: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.set_default_timeout(60_000)

    def open(self):
        self.page.goto(self.url)
        self.page.wait_for_selector("#pamong-name input")
        self.page.locator("#pamong-cards .pamong-start").first.wait_for()

    def field(self, elem_id):
        return self.page.locator(f"#{elem_id} input, #{elem_id} textarea").first

    def wait_text(self, elem_id, text):
        self.page.locator(f"#{elem_id}").get_by_text(text, exact=False).wait_for()

    def coachee_count(self) -> int:
        return self.page.locator("#pamong-chat [data-testid='bot']").count()

    def start(self, name, persona_index=0):
        self.field("pamong-name").fill(name)
        self.page.locator("#pamong-cards .pamong-start").nth(persona_index).click()
        self.page.locator("#pamong-talk").wait_for(state="visible")
        self.page.locator("#pamong-brief .pamong-brief").wait_for()

    def send(self, text, enter=False):
        before = self.coachee_count()
        self.field("pamong-msg").fill(text)
        if enter:
            self.field("pamong-msg").press("Enter")
        else:
            self.page.locator("#pamong-send").click()
        self.page.wait_for_function(
            f"document.querySelectorAll(\"#pamong-chat [data-testid='bot']\").length > {before}")
        self.page.wait_for_function("!document.querySelector('#pamong-msg textarea').value")

    def end(self):
        self.page.locator("#pamong-end").click()
        self.page.locator("#pamong-report .pr-report").wait_for()
        self.page.locator("#pamong-report-view").wait_for(state="visible")

    def chat_text(self) -> str:
        return self.page.locator("#pamong-chat").inner_text()

    def visible_text(self, *, skip=("#pamong-chat", "#pamong-transcript", "#review-transcript")) -> str:
        """What a person reads on the page, less the conversation itself (the trainee's and coachee's words)
        and the quotes of them."""
        return self.page.evaluate("""(skip) => {
            const body = document.body.cloneNode(true);
            for (const sel of [...skip, 'q', 'input', 'textarea', '.pr-passage', '.pr-meta', '#pamong-name']) {
                body.querySelectorAll(sel).forEach(e => e.remove());
            }
            document.documentElement.appendChild(body); body.style.position = 'absolute';
            const text = body.innerText; body.remove(); return text; }""", list(skip))

    def on_screen(self, selector) -> bool:
        """The element is wholly inside the viewport (what a person sees without scrolling)."""
        box = self.page.locator(selector).first.bounding_box()
        size = self.page.viewport_size
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] + 1 \
            and box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 1

    def no_horizontal_scroll(self):
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"] + 1, f"the page scrolls sideways: {width}px"

    def shot(self, name, full=False):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(300)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def test_laptop_choose_talk_report_submit_fork_then_a_facilitator_opens_it(server, browser):
    page = browser.new_page(viewport=LAPTOP, accept_downloads=True)
    app = AppPage(page, server.url)
    app.open()
    first_start = page.locator("#pamong-cards .pamong-start").first.bounding_box()
    assert first_start["y"] + first_start["height"] <= LAPTOP["height"]  # no scrolling to the first Start
    assert page.locator("#pamong-cards .pamong-card").count() == 12  # each scenario once, as a card
    # bold capitals in the page's own font: Gradio's bundled web font has no bold capitals, so "Bu" came out
    # as a thin small B from a fallback font (#13)
    family = page.evaluate("getComputedStyle(document.querySelector('.pamong-card h3')).fontFamily")
    assert "source sans" not in family.lower(), family
    # a row of cards lines up its Start buttons whatever the length of each card's text
    tops = {round(b.bounding_box()["y"]) for b in page.locator("#pamong-cards .pamong-start").all()[:3]}
    assert len(tops) == 1, tops
    app.shot("laptop-1-choose")

    # three actions to the first coach turn: type the name, tap a card, type and press Enter
    app.start("Ani")
    assert page.evaluate("document.activeElement.closest('#pamong-msg') !== null")  # the input is focused
    assert page.evaluate("window.scrollY") == 0 and not page.locator("#pamong-choose").is_visible()
    start_btn = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('#pamong-send'));
        return [s.color, s.backgroundColor]; }""")
    placeholder = page.evaluate("""() => { const t = document.querySelector('#pamong-msg textarea');
        return [getComputedStyle(t, '::placeholder').color, getComputedStyle(t).backgroundColor]; }""")
    assert contrast(*start_btn) >= 4.5 and contrast(*placeholder) >= 4.5, (start_btn, placeholder)  # WCAG AA
    app.send(TURNS[0], enter=True)
    for text in TURNS[1:]:
        app.send(text)
    assert app.coachee_count() == 4
    assert page.locator("#pamong-hint").inner_text().strip().startswith("Petunjuk")
    assert "%" in page.locator("#pamong-thermo").inner_text()
    box = page.locator("#pamong-send").bounding_box()
    assert box["y"] + box["height"] <= LAPTOP["height"]  # the input is in view while talking
    app.shot("laptop-2-talk")
    text = app.visible_text()
    assert leftovers(text) == [] and foreign_words(text, ENGLISH_WORDS) == [], text

    app.end()
    assert not page.locator("#pamong-talk").is_visible()  # the chat is closed: the report is its own view
    report = page.locator("#pamong-report")
    assert report.locator(".pr-improve > li").count() == 3
    titles = [report.locator(".pr-improve h4").nth(i).inner_text() for i in range(3)]
    assert len(set(titles)) == 3  # three different improvements
    assert report.locator(".pr-pill").count() == 3 and "/4" in report.locator(".pr-pill").first.inner_text()
    assert report.locator("img[src^='data:image/svg']").count() >= 1  # the coachee's journey
    for d in page.locator("#pamong-report details").all():
        d.evaluate("e => e.open = true")
    text = app.visible_text()
    assert leftovers(text) == [] and foreign_words(text, ENGLISH_WORDS) == [], \
        (leftovers(text), foreign_words(text, ENGLISH_WORDS))
    with page.expect_download() as info:
        page.locator("#pamong-download").click()
    assert info.value.suggested_filename.endswith(".html")  # the print-ready page is what a teacher gets
    app.shot("laptop-3-report", full=True)
    # a "Turn n" link opens the folded transcript at that turn and marks it
    link = page.locator("#pamong-report a[href^='#pamong-turn-']").first
    target = link.get_attribute("href")[1:]
    assert not page.locator(f"#{target}").is_visible()  # the transcript starts folded
    link.click()
    page.locator(f"#{target}.pamong-turn-target").wait_for(state="visible")
    box = page.locator(f"#{target}").bounding_box()
    assert 0 <= box["y"] <= LAPTOP["height"], box

    page.locator("#pamong-submit").click()  # Submit asks first
    page.locator("#pamong-confirm").wait_for(state="visible")
    page.locator("#pamong-submit-no").click()
    page.locator("#pamong-confirm").wait_for(state="hidden")
    page.locator("#pamong-submit").click()
    page.locator("#pamong-submit-yes").click()
    app.wait_text("pamong-submit-status", "Terkirim ke fasilitator")
    assert page.locator("#pamong-submit").is_disabled()
    box = page.locator("#pamong-submit-status").bounding_box()
    assert 0 <= box["y"] <= LAPTOP["height"]  # the message is next to the button pressed, in view

    page.locator("#pamong-fork-turn input").click()
    option = page.get_by_role("option").nth(1)
    number = option.inner_text().split(".")[0].strip()
    option.click()
    page.locator("#pamong-fork").click()
    page.locator("#pamong-talk").wait_for(state="visible")
    assert not page.locator("#pamong-report-view").is_visible()
    assert page.locator("#pamong-report .pr-report").count() == 0  # a fork starts clean: no old report
    # one numbering: the list's "2." is the status's "your turn 2" (#13: the list said 5, the status 3)
    page.locator("#pamong-talk").get_by_text(f"Sesi baru dari giliran Anda ke-{number}").wait_for()
    assert app.coachee_count() == 1 and not page.locator("#pamong-send").is_disabled()
    app.send("Bagaimana Ibu melihat kelas itu sekarang?")

    # the facilitator, in another browser context: sessions listed on arrival, one click opens the report
    fpage = browser.new_context(viewport=LAPTOP).new_page()
    fac = AppPage(fpage, server.url)
    fac.open()
    fpage.get_by_role("tab", name="Tinjauan").click()
    fpage.wait_for_function("document.querySelector('#review-table').innerText.includes('Ani')")
    assert "Bu Nadia" in fpage.locator("#review-table").inner_text()  # scenario titles, not persona ids
    for box_id in ("review-since", "review-until"):  # the date filters are not cut at the right edge
        box = fpage.locator(f"#{box_id}").bounding_box()
        button = fpage.locator(f"#{box_id} button").first.bounding_box()  # its calendar button stays inside
        assert button["x"] + button["width"] <= box["x"] + box["width"] + 1, (box_id, box, button)
    fac.shot("laptop-4-review-list")
    fpage.locator("#review-table [data-testid='cell-0-1']").click()  # one click on the row opens the report
    fpage.locator("#review-report .pr-report").wait_for()
    assert fpage.locator("#review-report .pr-improve > li").count() == 3
    fpage.locator("#review-transcript .pamong-act").first.wait_for(state="attached")
    fac.field("pamong-name").fill("Bu Fasil")
    fpage.locator("#review-score input").click()
    fpage.get_by_role("option", name="2", exact=True).click()
    fac.field("review-comment").fill("Pertanyaan tertutup di giliran 3; coba 'Bagaimana…'")
    fpage.locator("#review-save").click()
    fac.wait_text("review-save-status", "disimpan")
    assert "Bu Fasil" in fpage.locator("#review-scores").inner_text()
    text = fac.visible_text()
    assert leftovers(text) == [] and foreign_words(text, ENGLISH_WORDS) == [], \
        (leftovers(text), foreign_words(text, ENGLISH_WORDS))
    fac.shot("laptop-4-review", full=True)

    fpage.get_by_role("tab", name="Perkembangan").click()
    fac.field("pamong-name").fill("ani")  # matched whatever the case
    fpage.locator("#progress-show").click()
    fpage.wait_for_function("document.querySelector('#progress-table').innerText.includes('Bu Nadia')")
    fpage.locator("#progress-next").wait_for(state="visible")
    assert fpage.locator("#progress-scroll-note .pamong-scroll-note").is_hidden()  # a laptop shows every column
    fac.shot("laptop-5-progress", full=True)
    fpage.locator("#progress-next").click()  # the suggested scenario starts at once
    fpage.locator("#pamong-talk").wait_for(state="visible")
    assert app.dialogs == [] and fac.dialogs == []


def test_phone_first_turn_within_a_screen_and_nothing_sideways(server, browser):
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    app = AppPage(page, server.url)
    app.open()
    first_start = page.locator("#pamong-cards .pamong-start").first.bounding_box()
    assert first_start["y"] + first_start["height"] <= 2 * PHONE["height"]  # at most one screen of scrolling
    app.no_horizontal_scroll()
    app.shot("phone-1-choose")
    page.locator("#pamong-cards .pamong-start").nth(2).click()  # no name yet: told so, in view, cursor in the name
    app.wait_text("pamong-choose-status", "Tulis nama Anda dulu")
    page.wait_for_function("document.activeElement && document.activeElement.closest('#pamong-name') !== null")
    box = page.locator("#pamong-choose-status").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]  # (viewport coordinates)
    app.start("Sari", persona_index=2)
    app.no_horizontal_scroll()
    page.wait_for_timeout(400)  # the focus script runs just after the views switch
    for selector in ("#pamong-msg textarea", "#pamong-send"):  # (#13: the input was half below the screen)
        assert app.on_screen(selector), f"{selector} is not on the phone's screen after starting"
    assert page.locator("#pamong-brief .pamong-tip").is_visible()  # how to begin: before the first turn only
    for text in TURNS_PAK[:3]:
        app.send(text)
    assert page.locator("#pamong-brief .pamong-tip").is_hidden()
    meter = page.locator("#pamong-thermo meter").first.bounding_box()
    assert meter["width"] >= 80  # readable bars, not 15 px
    for row in page.locator("#pamong-thermo .pamong-thermo").all():  # bars and percentages are not cut off
        box = row.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"] - 4, box
        last = row.locator(":scope > *").last.bounding_box()
        assert last["x"] + last["width"] <= PHONE["width"] - 4, last
    app.shot("phone-2-talk")
    app.end()
    app.no_horizontal_scroll()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height
    app.shot("phone-3-report", full=True)
    page.locator("#pamong-submit").click()
    page.locator("#pamong-submit-yes").click()
    app.wait_text("pamong-submit-status", "Terkirim")
    page.get_by_role("tab", name="Tinjauan").click()  # the same phone as a facilitator
    page.wait_for_function("document.querySelector('#review-table').innerText.includes('Sari')")
    page.locator("#review-table [data-testid='cell-0-1']").click()
    page.locator("#review-report .pr-report").wait_for()
    app.no_horizontal_scroll()
    assert page.locator("#review-scroll-note .pamong-scroll-note").is_visible()  # the table scrolls: say so
    # every turn link a finger may need, folded sections opened (which ones show first depends on the report)
    page.evaluate("document.querySelectorAll('#review-report details').forEach(d => d.open = true)")
    for link in page.locator("#review-report .pr-report a[href*='-turn-']").all()[:5]:
        assert link.bounding_box()["height"] >= 44  # a finger can hit it
    app.shot("phone-4-review", full=True)
    page.get_by_role("tab", name="Perkembangan").click()
    page.locator("#progress-show").click()
    page.wait_for_function("document.querySelector('#progress-table').innerText.includes('1')")
    header = page.locator("#progress-table thead th").first
    line = float(header.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 24"))
    text_box = header.locator("span, div").last.bounding_box()  # "Sesi ke-" on at most two lines, not "Se/si/ke-"
    assert text_box["height"] <= 2.5 * line, text_box
    assert page.locator("#progress-scroll-note .pamong-scroll-note").is_visible()
    app.no_horizontal_scroll()
    app.shot("phone-5-progress", full=True)


def test_the_english_page_has_no_indonesian(server, browser):
    page = browser.new_page(viewport=LAPTOP)
    app = AppPage(page, server.url)
    app.open()
    page.locator("#pamong-ui-lang label").filter(has_text="English").click()
    page.get_by_role("tab", name="Review").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator("#pamong-conv-lang input").click()
    page.get_by_role("option", name="English", exact=True).click()
    app.start("Ani", persona_index=0)
    # the persona is named the same way in the title and in the status beside it
    title = page.locator("#pamong-talk-title").inner_text().strip()
    persona = title.removeprefix("Talking with").strip()
    assert persona and persona in page.locator("#pamong-status").inner_text(), title
    for text in TURNS_EN:
        app.send(text)
    assert page.locator("#pamong-hint").inner_text().startswith("Hint")
    text = app.visible_text(skip=())
    assert leftovers(text) == [] and foreign_words(text, INDONESIAN_WORDS) == [], \
        (leftovers(text), foreign_words(text, INDONESIAN_WORDS))
    app.end()
    for d in page.locator("#pamong-report details").all():
        d.evaluate("e => e.open = true")
    text = app.visible_text(skip=())
    assert leftovers(text) == [] and foreign_words(text, INDONESIAN_WORDS) == [], \
        (leftovers(text), foreign_words(text, INDONESIAN_WORDS))
    app.shot("laptop-6-report-english", full=True)
    for tab in ("Review", "Progress"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(1500)
        text = app.visible_text(skip=())
        assert leftovers(text) == [] and foreign_words(text, INDONESIAN_WORDS) == [], \
            (tab, leftovers(text), foreign_words(text, INDONESIAN_WORDS))
    page.get_by_role("tab", name="Practice").click()
    page.locator("#pamong-report").get_by_text("Three things to improve").wait_for()   # the tab is back on screen
    # switching back re-renders what is on screen, the report included
    page.locator("#pamong-ui-lang label").filter(has_text="Bahasa Indonesia").click()
    page.wait_for_function("document.documentElement.lang === 'id'")
    page.locator("#pamong-report").get_by_text("Tiga hal untuk diperbaiki").wait_for()
    app.wait_text("pamong-report-status", "Sesi berakhir")  # the message on screen follows the language too
    assert page.evaluate("document.documentElement.lang") == "id"


def test_hostile_text_is_shown_not_run(server, browser):
    page = browser.new_page(viewport=LAPTOP)
    app = AppPage(page, server.url)
    app.open()
    app.start("<b>Mallory</b>", persona_index=1)
    app.send(HOSTILE)
    chat = app.chat_text()
    assert "<script>alert(1)</script>" in chat and "[x](javascript:alert(1))" in chat
    assert page.locator("#pamong-chat img[src='x']").count() == 0
    assert page.locator("#pamong-chat a[href^='javascript']").count() == 0
    assert page.locator("#pamong-chat script").count() == 0
    app.end()
    page.get_by_text("Transkrip dengan bacaan tiap giliran").click()
    page.locator("#pamong-transcript .pamong-turn").first.wait_for(state="attached")
    assert page.locator("#pamong-transcript img, #pamong-report img[src='x'], #pamong-report script").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator("#pamong-transcript").text_content()
    assert app.dialogs == []


def test_restarting_the_server_mid_session_loses_nothing(server, browser):
    page = browser.new_page(viewport=LAPTOP)
    app = AppPage(page, server.url)
    app.open()
    app.start("Budi", persona_index=2)
    for text in TURNS[:2]:
        app.send(text)
    before = app.chat_text()
    code = re.search(r"[0-9a-f]{8}", page.locator("#pamong-brief").inner_text()).group(0)

    server.stop()  # the server goes away mid-session
    server.start()
    app.open()  # the same browser, reloaded
    page.wait_for_function("document.querySelector('#pamong-name input').value === 'Budi'")  # name remembered
    page.locator("#pamong-resume-box").get_by_text("Lanjutkan sesi").first.click()  # the accordion
    app.field("pamong-resume-id").fill(code)  # the short code is enough
    page.locator("#pamong-resume").click()
    app.wait_text("pamong-status", "Sesi dilanjutkan: 4 giliran")
    assert app.coachee_count() == 2
    assert app.chat_text().strip() == before.strip()
    app.send(TURNS[3])  # the conversation goes on where it was
    assert app.coachee_count() == 3


def test_with_login_a_trainee_sees_no_review_tab_and_a_facilitator_does(login_server, browser):
    for user, password, review_visible in (("ani", "pw-ani", False), ("fasil", "pw-fasil", True)):
        page = browser.new_context(viewport=LAPTOP).new_page()
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
        page.get_by_role("tab", name="Tinjauan").click()
        note = "Tab ini untuk fasilitator" if not review_visible else "Sesi yang sudah dikirim"
        page.locator("#review-note").get_by_text(note).wait_for()
        assert page.locator("#review-search").is_visible() == review_visible
        page.locator("#pamong-user").get_by_text("Masuk sebagai").wait_for()
        page.locator("#pamong-ui-lang label").filter(has_text="English").click()  # every label follows, this too
        page.locator("#pamong-user").get_by_text("Signed in as").wait_for()


def test_an_upload_shows_the_speakers_and_the_coach_can_be_swapped(server, browser, tmp_path):
    upload = tmp_path / "rina-sari.txt"
    upload.write_text(
        "Rina: Selamat pagi, Bu Sari. Apa yang ingin Ibu bicarakan hari ini?\n"
        "Sari: Saya bingung dengan kelas 8B, mereka ramai sekali setiap siang dan saya merasa lelah.\n"
        "Rina: Jadi Ibu merasa lelah dengan kelas 8B. Apa yang paling Ibu harapkan berubah?\n"
        "Sari: Saya ingin mereka lebih tenang dan mau mendengarkan penjelasan saya.\n", encoding="utf-8")
    page = browser.new_page(viewport=LAPTOP)
    app = AppPage(page, server.url)
    app.open()
    page.get_by_role("tab", name="Tinjauan").click()
    page.locator("#review-upload-box").get_by_text("Unggah transkrip").first.click()
    # the page's own button in the page's language (not Gradio's "Drop File Here", #13)
    assert page.locator("#review-upload").inner_text().strip() == "Pilih file transkrip…"
    with page.expect_file_chooser() as chooser:
        page.locator("#review-upload").click()
    chooser.value.set_files(str(upload))
    page.locator("#review-doc table").wait_for()  # who speaks and the role each was given, before scoring
    assert "Rina" in page.locator("#review-doc").inner_text() and "coach" in page.locator("#review-doc").inner_text()
    page.locator("#review-score-upload").click()
    page.locator("#review-upload-report .pr-report").wait_for()
    # the result: headed by the coach's name, about "the coach" (not "you", the facilitator), and in view
    head = page.locator("#review-upload-report .pamong-upload-head")
    assert "Rina" in head.inner_text()
    report_text = page.locator("#review-upload-report .pr-report").inner_text()
    assert "Anda berkata" not in report_text and "Kekuatan terbesar Anda" not in report_text, report_text[:300]
    page.wait_for_timeout(1200)  # (a smooth scroll)
    box = head.bounding_box()
    assert -2 <= box["y"] <= LAPTOP["height"], box
    # the upload box is above the session list, not under whatever report is open
    assert page.locator("#review-upload-box").bounding_box()["y"] < page.locator("#review-table").bounding_box()["y"]
    page.locator("#review-doc-coach input").click()
    page.get_by_role("option", name="Sari").click()  # one step: Sari is the coach, scored again
    app.wait_text("review-upload-status", "Sari sebagai coach")
    assert page.locator("#review-upload-report .pr-report").count() == 1
    text = app.visible_text()
    assert leftovers(text) == [], leftovers(text)
    app.shot("laptop-7-upload", full=True)
    # switching the interface language says the upload's table and report again in the new language
    page.locator("#pamong-ui-lang label").filter(has_text="English").click()
    page.locator("#review-upload-report .pamong-upload-head").get_by_text("Report on the coach").wait_for()
    page.locator("#review-upload-report").get_by_text("Three things to improve").wait_for()
    doc = page.locator("#review-doc").inner_text()
    assert "Yang terbaca" not in doc, doc[:200]

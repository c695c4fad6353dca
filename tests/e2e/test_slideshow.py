"""The slideshow in Chromium over file:// and http: the Play button over a list and #/slideshow/<query>;
it advances by itself, pauses and resumes with space, steps with the arrows, shows only decoded photos,
plays videos through, remembers its settings, and Esc leaves back to where it started."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from pages import Watched, database
from playwright.sync_api import Browser, Page, expect

# one second per photo, stored as the page stores its setting
FAST = "localStorage.setItem('hgsite.slideshow', JSON.stringify({interval: 1, shuffle: false, loop: true}));"

# Screen wake locks taken and released by the page.
LOCKS = """window.__locks = {taken: 0, released: 0};
if (navigator.wakeLock) {
  const request = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = (type) => request(type).then((lock) => {
    window.__locks.taken++;
    lock.addEventListener('release', () => window.__locks.released++);
    return lock;
  });
}"""

# Every slide that becomes the current one, with the state of its picture at that moment.
WATCH = """() => {
  window.__slides = [];
  new MutationObserver((changes) => changes.forEach((change) => {
    const el = change.target;
    if (!el.classList || !el.classList.contains('slideshow-slide') || !el.classList.contains('is-current')) return;
    const img = el.querySelector('img');
    const show = document.querySelector('.slideshow');
    window.__slides.push({id: show && show.getAttribute('data-current'), img: !!img,
      complete: img ? img.complete && img.naturalWidth > 0 : null, src: img ? img.getAttribute('src') : null});
  })).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['class']});
}"""


def open_ready(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-state", "ready", timeout=15_000)


def position(page: Page) -> int:
    return int(page.locator(".slideshow").get_attribute("data-position") or "-1")


def test_play_advances_pauses_steps_and_esc_returns(
    watched: Watched, site_url: str, example_site: Path
) -> None:
    page = watched.page
    page.add_init_script(FAST)
    page.add_init_script(LOCKS)
    entries = database(example_site)["entries"]
    images = [e["id"] for e in entries if e["type"] == "image"]
    search = site_url + "#/search/" + quote("type:image", safe="")
    open_ready(page, search)
    expect(page.locator(".grid [data-id]").first).to_be_visible()
    page.evaluate("window.scrollTo(0, 400)")
    page.evaluate(WATCH)
    page.locator(".slideshow-play").click()
    show = page.locator(".slideshow")
    expect(show).to_be_visible()
    assert page.url == site_url + "#/slideshow/" + quote("type:image", safe="")
    expect(show).to_have_attribute("data-current", images[0])
    expect(page.locator(".slideshow-interval")).to_have_value("1")

    # it advances by itself
    page.wait_for_function(
        "() => Number(document.querySelector('.slideshow').dataset.position) >= 2", timeout=10_000
    )
    # space pauses: nothing moves for a while
    assert page.evaluate("window.__locks") == {"taken": 1, "released": 0}, "the screen stays on while playing"
    page.keyboard.press(" ")
    expect(show).to_have_attribute("data-state", "paused")
    page.wait_for_function("() => window.__locks.released === 1")
    paused_at = position(page)
    page.wait_for_timeout(2_500)
    assert position(page) == paused_at
    # the arrows step while paused, back and forth
    page.keyboard.press("ArrowLeft")
    expect(show).to_have_attribute("data-position", str(paused_at - 1))
    expect(show).to_have_attribute("data-current", images[paused_at - 1])
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(show).to_have_attribute("data-position", str(paused_at + 1))
    assert position(page) == paused_at + 1
    # space resumes
    page.keyboard.press(" ")
    expect(show).to_have_attribute("data-state", "playing")
    page.wait_for_function(
        f"() => Number(document.querySelector('.slideshow').dataset.position) > {paused_at + 1}",
        timeout=10_000,
    )

    # every transition showed a decoded picture, the 1920 preview where the item has one
    slides = page.evaluate("window.__slides")
    assert len(slides) >= 5
    assert all(s["img"] and s["complete"] for s in slides), slides
    sizes = {e["id"]: e["previews"] for e in entries}
    for s in slides:
        wanted = 1920 if 1920 in sizes[s["id"]] else max(sizes[s["id"]])
        assert f"-{wanted}-" in s["src"], s

    # Esc leaves back to the search, where it was
    page.keyboard.press("Escape")
    expect(show).to_have_count(0)
    expect(page).to_have_url(search)
    expect(page.locator(".grid")).to_be_visible()
    assert page.evaluate("hgsite.app.list.length") == len(images)
    assert abs(page.evaluate("window.scrollY") - 400) < 2
    assert watched.problems == [] and watched.foreign_requests() == []


def test_videos_play_through_muted(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    page.add_init_script(FAST)
    videos = [e for e in database(example_site)["entries"] if e["type"] == "video"]
    assert len(videos) == 2
    open_ready(page, site_url + "#/slideshow/type:video")
    show = page.locator(".slideshow")
    expect(show).to_have_attribute("data-current", videos[0]["id"])
    video = page.locator(".slideshow-slide.is-current video")
    expect(video).to_have_count(1)
    page.wait_for_function(
        "() => { const v = document.querySelector('.slideshow-slide.is-current video'); return v && v.currentTime > 1.5; }",
        timeout=15_000,
    )
    assert page.evaluate("document.querySelector('.slideshow-slide.is-current video').muted")
    # longer than the 1 s per photo: a video plays to its end before the next item
    assert show.get_attribute("data-current") == videos[0]["id"]
    page.wait_for_function(
        f"() => document.querySelector('.slideshow').dataset.current === '{videos[1]['id']}'", timeout=20_000
    )
    # unmuted by the user: the next video plays with sound
    page.keyboard.press("m")
    assert not page.evaluate("document.querySelector('.slideshow-slide.is-current video').muted")
    # opened from its address, Esc goes to the list it plays
    page.keyboard.press("Escape")
    expect(show).to_have_count(0)
    expect(page).to_have_url(site_url + "#/search/" + quote("type:video", safe=""))
    expect(page.locator(".grid [data-id]")).to_have_count(2)
    own_blobs = "blob:" + watched.allowed_prefix.rstrip("/")
    assert [u for u in watched.foreign_requests() if not u.startswith(own_blobs)] == []
    assert watched.problems == []


def test_settings_are_remembered_and_shuffle_plays_everything(
    watched: Watched, site_url: str, example_site: Path
) -> None:
    page = watched.page
    count = len(database(example_site)["entries"])
    open_ready(page, site_url + "#/slideshow")
    show = page.locator(".slideshow")
    expect(show).to_be_visible()
    expect(page.locator(".slideshow-interval")).to_have_value("5")
    page.locator(".slideshow-interval").select_option("10")
    page.locator(".slideshow-shuffle").click()
    expect(page.locator(".slideshow-shuffle")).to_have_attribute("aria-pressed", "true")
    order = page.evaluate("hgsite.slideshow.running().playlist.order")
    assert sorted(order) == list(range(count)) and order != list(range(count))
    page.keyboard.press("Escape")
    expect(page).to_have_url(site_url + "#/")
    expect(page.locator(".grid [data-id]").first).to_be_visible()
    page.reload()
    page.locator(".slideshow-play").click()
    expect(page.locator(".slideshow-interval")).to_have_value("10")
    expect(page.locator(".slideshow-shuffle")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    expect(page.locator(".slideshow")).to_have_count(0)
    assert watched.problems == []


def test_swipes_step_on_a_phone(browser: Browser, example_site: Path) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    watched = Watched(page, example_site.as_uri() + "/")
    page.add_init_script("localStorage.setItem('hgsite.slideshow', JSON.stringify({interval: 60}));")
    images = [e["id"] for e in database(example_site)["entries"] if e["type"] == "image"]
    open_ready(page, (example_site / "index.html").as_uri() + "#/slideshow/type:image")
    show = page.locator(".slideshow")
    expect(show).to_have_attribute("data-current", images[0])
    cdp = page.context.new_cdp_session(page)

    def swipe(x0: float, x1: float) -> None:
        for kind, x in (
            ("touchStart", x0),
            ("touchMove", (x0 + x1) / 2),
            ("touchMove", x1),
            ("touchEnd", x1),
        ):
            points = [] if kind == "touchEnd" else [{"x": x, "y": 400, "id": 0}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    swipe(320, 60)
    expect(show).to_have_attribute("data-current", images[1])
    swipe(320, 60)
    expect(show).to_have_attribute("data-current", images[2])
    swipe(60, 320)
    expect(show).to_have_attribute("data-current", images[1])
    expect(page.locator(".slideshow-interval")).to_be_visible()
    bar = page.locator(".slideshow-bar").bounding_box()
    assert bar is not None and bar["width"] <= 390
    assert page.evaluate("document.querySelector('.slideshow-bar').scrollWidth") <= 390
    assert watched.problems == []
    context.close()


def test_play_on_a_folder_page(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    space = sorted(e["id"] for e in database(example_site)["entries"] if "/space/" in e["files"][0])
    open_ready(page, site_url + "#/folders/photos/space")
    expect(page.locator(".page-folders")).to_be_visible()
    page.locator(".slideshow-play").click()
    expect(page.locator(".slideshow")).to_be_visible()
    assert page.url == site_url + "#/slideshow/" + quote("folder:photos/space", safe="/")
    assert sorted(page.evaluate("hgsite.slideshow.running().items.map(e => e.id)")) == space
    page.keyboard.press("Escape")
    expect(page).to_have_url(site_url + "#/folders/photos/space")
    expect(page.locator(".page-folders")).to_be_visible()
    open_ready(page, site_url + "#/folders")
    expect(page.locator(".slideshow-play")).to_be_hidden()
    assert watched.problems == []

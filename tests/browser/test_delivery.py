"""What a page load costs the network: versioned bundles and assets are kept by the browser
for a year and sent compressed; pages, layout and callbacks are never cached. A warm load
(the second visit) of any page moves at most 300 KB."""

from __future__ import annotations

import pytest

PAGES = ["/", "/mal", "/budget", "/kvalitet", "/deltagare", "/malgrupp", "/insats/2019:11"]
WARM_LIMIT = 300 * 1024


@pytest.fixture(scope="module")
def base(demo_db, serve):
    return serve(demo_db[1])


def load(page, url: str) -> list[dict]:
    """Every response of one navigation, with what it moved over the network."""
    seen: list[dict] = []

    def done(request):
        resp = request.response()
        sizes = request.sizes()
        seen.append({"url": request.url, "status": resp.status if resp else None,
                     "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                     "headers": resp.headers if resp else {}})

    page.on("requestfinished", done)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", done)
    return seen


def test_bundles_are_immutable_and_compressed_and_the_rest_uncacheable(page, base, login):
    login(page, base, "styrelse1")
    seen = load(page, base + "/malgrupp")
    bundles = [r for r in seen if "/_dash-component-suites/" in r["url"] and r["status"] == 200]
    assert bundles
    for r in bundles:
        if ".v" in r["url"].rsplit("/", 1)[-1]:  # fingerprinted (versioned) name
            assert "immutable" in r["headers"]["cache-control"], r["url"]
            assert "max-age=31536000" in r["headers"]["cache-control"], r["url"]
            assert r["headers"].get("content-encoding") in ("br", "gzip"), r["url"]
    plotly = [r for r in bundles if "plotly" in r["url"] and r["url"].endswith(".js")]
    assert plotly and all(r["bytes"] < 2_000_000 for r in plotly)  # 4.8 MB uncompressed
    dynamic = [r for r in seen if "/_dash-update-component" in r["url"]
               or "/_dash-layout" in r["url"] or "/_dash-dependencies" in r["url"]]
    assert dynamic
    for r in dynamic:
        assert r["headers"]["cache-control"] == "no-store", r["url"]


@pytest.mark.parametrize("path", PAGES)
def test_a_warm_load_moves_at_most_300_kb(page, base, login, path):
    login(page, base, "styrelse1")
    load(page, base + path)  # cold: fills the browser's cache
    warm = load(page, base + path)
    total = sum(r["bytes"] for r in warm)
    big = sorted(warm, key=lambda r: -r["bytes"])[:3]
    print(f"warm {path}: {total} bytes")
    assert total <= WARM_LIMIT, (path, total, [(r["url"], r["bytes"]) for r in big])

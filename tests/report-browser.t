#!/usr/bin/python3
# allocrepro report's page in a real browser: the report of a real lab run
# (tests/fixtures/runs/smoke-6.1) is strict HTML5 (html5lib), holds
# everything itself (no script, no external asset, no repeated id), and
# headless Chromium renders it to a PNG that is not blank and shows the
# plots (their line and fill colours).  The PNG is kept, reduced, as
# $BUILD/report-smoke.png (the README's picture).
import os
import re
import shutil
import subprocess
import sys
import tempfile

import html5lib
from PIL import Image

ALLOCREPRO = os.environ.get("ALLOCREPRO", "build/asan/allocrepro")
TESTS = os.environ.get("TESTS", "tests")
BUILD = os.environ.get("BUILD", "build")
FIXTURE = os.path.join(TESTS, "fixtures", "runs", "smoke-6.1")
n_test = 0
failed = 0


def ok(cond, name):
    global n_test, failed
    n_test += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n_test, name))
    failed += 0 if cond else 1


def near(px, rgb, tol=40):
    return all(abs(a - b) <= tol for a, b in zip(px[:3], rgb))


tmp = tempfile.mkdtemp(prefix="allocrepro-browser.")
try:
    page = os.path.join(tmp, "report.html")
    r = subprocess.run([ALLOCREPRO, "report", FIXTURE, "-o", page], capture_output=True, text=True)
    ok(r.returncode == 0 and os.path.getsize(page) > 10000,
       "report -o writes the page (exit %d)" % r.returncode)
    html = open(page, encoding="utf-8").read()
    try:
        doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
        strict = True
    except html5lib.html5parser.ParseError as e:
        strict = False
        print("# html5lib: %s" % e)
    ok(strict, "the page is strict HTML5 (html5lib finds no parse error)")
    ids = re.findall(r'\bid=["\']([^"\']+)', html)
    ok(len(ids) == len(set(ids)), "no id repeats (%d ids, the plots' included)" % len(ids))
    external = re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:|//)|<script|<link|url\(\s*["\']?http',
                          html)
    ok(not external, "no script and no external asset (%r)" % external[:3])
    ok(html.count("<svg") >= 5, "the plots are inline SVG (%d)" % html.count("<svg"))

    png = os.path.join(tmp, "report.png")
    chrome = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + os.path.join(tmp, "ud")]
    r = subprocess.run(chrome + ["--window-size=1000,2700", "--screenshot=" + png, "file://" + page],
                       capture_output=True, text=True, timeout=120)
    ok(r.returncode == 0 and os.path.exists(png), "Chromium renders it to a PNG (exit %d)" % r.returncode)
    dom = subprocess.run(chrome + ["--dump-dom", "file://" + page], capture_output=True, text=True,
                         timeout=120).stdout
    ok(dom.count("<svg") >= 5 and dom.count("<figure") >= 5,
       "the rendered DOM holds the figures (%d svg)" % dom.count("<svg"))
    img = Image.open(png).convert("RGB")
    px = list(img.getdata())
    white = sum(1 for p in px if p[0] > 245 and p[1] > 245 and p[2] > 245)
    ok(len(set(px)) > 50 and white < 0.97 * len(px),
       "the PNG is not blank (%d colours, %.0f%% white)" % (len(set(px)), 100.0 * white / len(px)))
    free_line = sum(1 for p in px if near(p, (0x1f, 0x77, 0xb4)))
    failures = sum(1 for p in px if near(p, (0xd6, 0x27, 0x28)))
    order_fill = sum(1 for p in px if near(p, (0x44, 0x01, 0x54), 30))
    ok(free_line > 300 and failures > 100 and order_fill > 500,
       "it shows the plots: the free-memory line, the failures, the high orders' fill "
       "(%d, %d, %d pixels)" % (free_line, failures, order_fill))
    small = os.path.join(BUILD, "report-smoke.png")
    img.crop((0, 0, 1000, 2200)).resize((700, 1540)).quantize(colors=128).save(small, optimize=True)
    ok(os.path.getsize(small) < 200 * 1024, "the README's picture is under 200 kB (%d)"
       % os.path.getsize(small))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("1..%d" % n_test)
sys.exit(1 if failed else 0)

"""PDF font benchmark: time per ruling-sized PDF and worker peak memory, subset vs full font.

    .venv/bin/python bench/pdf_fonts.py              # both modes, 20 PDFs each, fresh processes
    .venv/bin/python bench/pdf_fonts.py --fonttools  # also one PDF without libharfbuzz-subset

Each mode runs in its own process (as a worker would) and renders COUNT documents of about
2,000 Chinese characters on two A4 pages, like a tolerance ruling; the peak RSS is that
process's ru_maxrss.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruling_html(seed: int) -> str:
    rng = random.Random(seed)
    # GB 2312 level-1 hanzi (rows 0xB0–0xD7): the common characters of official prose.
    level1 = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                level1.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    paragraphs = []
    for _ in range(14):
        sentence = "".join(rng.choice(level1) for _ in range(rng.randint(110, 150)))
        paragraphs.append(f"<p>{sentence[:60]}，{sentence[60:100]}；{sentence[100:]}。</p>")
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><style>'
        "@page{size:A4;margin:37mm 26mm 35mm 28mm} html{font-size:15pt;line-height:1.75}"
        "h1{text-align:center;font-size:22pt} p{text-indent:2em;margin:0}</style></head><body>"
        f"<h1>关于同意对张三同志予以容错免责的决定</h1><p class='sans'>甲组容〔2026〕{seed}号</p>"
        + "".join(paragraphs)
        + "<p>中共甲县县委组织部</p><p>2026年11月22日</p></body></html>"
    )


def worker(mode: str, count: int, fonttools: bool) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if fonttools:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None
    from core.pdf import html_to_pdf

    times, sizes = [], []
    for index in range(count):
        html = ruling_html(index)
        started = time.perf_counter()
        pdf = html_to_pdf(html, subset_fonts=(mode == "subset"))
        times.append(time.perf_counter() - started)
        sizes.append(len(pdf))
    return {
        "mode": mode + (" (fontTools)" if fonttools else ""),
        "count": count,
        "first_s": round(times[0], 3),
        "median_s": round(statistics.median(times[1:] or times), 3),
        "max_s": round(max(times), 3),
        "pdf_kb": round(statistics.mean(sizes) / 1024),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--fonttools", action="store_true")
    parser.add_argument("--worker", choices=["subset", "full"])
    parser.add_argument("--no-harfbuzz", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.count, args.no_harfbuzz)))
        return
    runs = [("subset", args.count, False), ("full", args.count, False)]
    if args.fonttools:
        runs += [("subset", 2, True), ("full", 2, True)]
    print(
        f"{'mode':<22}{'PDFs':>5}{'first s':>9}{'median s':>10}{'max s':>8}"
        f"{'PDF KB':>8}{'peak RSS MB':>13}"
    )
    for mode, count, fonttools in runs:
        command = [sys.executable, __file__, "--worker", mode, "--count", str(count)]
        if fonttools:
            command.append("--no-harfbuzz")
        out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['mode']:<22}{r['count']:>5}{r['first_s']:>9}{r['median_s']:>10}"
            f"{r['max_s']:>8}{r['pdf_kb']:>8}{r['peak_rss_mb']:>13}"
        )


if __name__ == "__main__":
    main()

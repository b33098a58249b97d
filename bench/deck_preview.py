"""Build the deck at the default settings and render every slide through LibreOffice to PNG, to look at.

    python -m bench.deck_preview [--out DIR]      (needs soffice and pdftoppm; about a minute)

Prints each slide's title size and the PNG folder. Not a CI test: it is slow and needs LibreOffice."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from openclosed import deck, report, tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "deck_preview")
    args = parser.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install -y libreoffice-impress poppler-utils)")
    data = {name: tables.read(name) for name in tables.provenance()}
    cards = [c for s in report.with_cards() for c in report.section_cards(s, data).values()]
    as_of = max(s["snapshot"] for p in tables.provenance().values() for s in p["sources"] if s["id"] != "curated")
    args.out.mkdir(parents=True, exist_ok=True)
    pptx = args.out / "deck.pptx"
    pptx.write_bytes(deck.build_deck(cards, "Open vs Closed AI", as_of))
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(args.out), str(pptx)],
                   check=True, capture_output=True, timeout=600)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(args.out / "deck.pdf"), str(args.out / "slide")],
                   check=True, timeout=600)
    for s in deck.slides(cards):
        print(deck.title_size(s.title), "pt", s.card.key, s.part)
    print(f"{len(list(args.out.glob('slide-*.png')))} slides rendered in {args.out}")


if __name__ == "__main__":
    main()

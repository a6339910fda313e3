"""Keep the browser journeys' screenshots as this CI run's artefacts: screenshots/index.html shows each
one with its name and size, for review beside the run's log. Fails when there is none: then the browser
journeys did not run."""

import html
import struct
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "screenshots"


def png_size(path):
    """(width, height) from a PNG's header."""
    with path.open("rb") as png:
        header = png.read(24)
    return struct.unpack(">II", header[16:24])


def main():
    shots = sorted(FOLDER.glob("*.png"))
    if not shots:
        sys.exit(f"no screenshot in {FOLDER}: the browser journeys did not run")
    figures = []
    for shot in shots:
        width, height = png_size(shot)
        name = html.escape(shot.name)
        figures.append(
            f'<figure><a href="{name}"><img src="{name}" alt="{name}" loading="lazy"></a>'
            f"<figcaption>{name} · {width}×{height}</figcaption></figure>"
        )
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>K-Smart City: screenshots</title>'
        "<style>body{font-family:sans-serif;margin:1rem}figure{display:inline-block;vertical-align:top;"
        "margin:.5rem;width:320px}img{max-width:320px;max-height:480px;border:1px solid #ccc}"
        "figcaption{font-size:.8rem}</style>"
        f"<h1>{len(shots)} screenshots of the browser journeys</h1>" + "".join(figures) + "</html>\n"
    )
    (FOLDER / "index.html").write_text(page, encoding="utf-8")
    print(f"{len(shots)} screenshots kept in {FOLDER.name}/ (index.html shows them all)")


if __name__ == "__main__":
    main()

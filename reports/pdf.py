"""The one place PDFs are made: WeasyPrint from a rendered template, fonts subset into the file.

The body face of GB/T 9704 is 仿宋: FandolFang (GPL with the font exception, `fonts/fandol/COPYING`) ships with the
project and is declared here, so a PDF looks the same on any server whether or not the face is installed; characters
it lacks fall back to Noto Serif CJK SC (the stylesheet's next family).
"""

from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FACES = {"FandolFang": FONTS / "fandol" / "FandolFang-Regular.otf"}


def _font_faces(font_config: FontConfiguration) -> CSS:
    rules = "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}' for family, path in FONT_FACES.items()
    )
    return CSS(string=rules, font_config=font_config)


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    font_config = FontConfiguration()
    return HTML(string=html).write_pdf(stylesheets=[_font_faces(font_config)], font_config=font_config)

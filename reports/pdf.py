"""The one place PDFs are made: WeasyPrint from a rendered template, fonts subset into the file."""

from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()

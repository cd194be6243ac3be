import subprocess
import tempfile


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext extracts it (what a reader's copy-paste would give)."""
    assert content.startswith(b"%PDF"), content[:20]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        return subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True, check=True).stdout

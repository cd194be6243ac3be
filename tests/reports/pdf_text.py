import subprocess
import tempfile


def pdf_text(content: bytes, tool: str = "pdftotext") -> str:
    """The text of a PDF as poppler's pdftotext extracts it (what a reader's copy-paste would give); with
    `tool="pdffonts"`, the list of its fonts."""
    assert content.startswith(b"%PDF"), content[:20]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        command = [tool, pdf.name, "-"] if tool == "pdftotext" else [tool, pdf.name]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

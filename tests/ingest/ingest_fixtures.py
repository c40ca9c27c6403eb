"""Real files for reader and pipeline tests, generated with fpdf2 and python-docx.

The two-column PDF imitates the corpus's InDesign booklets: a full-width
title, a running header, justified columns with a word hyphenated at the
end of the left column, and a page number in the footer.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from fpdf import FPDF
from PIL import Image

HEADER = "Ledelse over grænser · Væksthus for Ledelse"
TITLE = "Samarbejde på tværs af sektorer"

# Per page: (left column lines, right column lines). The left column of each
# page ends with a hyphenated word that the right column completes.
PAGES: list[tuple[list[str], list[str]]] = [
    (
        [
            "Samarbejdet mellem region og kom-",
            "mune kræver tillid og en fælles",
            "forståelse af opgaven. Ledere på",
            "tværs af sektorerne skal kunne",
            "håndtere modsatrettede økonomiske",
            "interesser i det nære sundheds-",
        ],
        [
            "væsen, hvor borgerne møder både",
            "praktiserende læger, hospitaler og",
            "kommunale plejere i samme forløb.",
            "Ildsjæle gør en stor forskel, når",
            "topledelsen bakker op om dem.",
        ],
    ),
    (
        [
            "Relationer bygges langsomt, og de",
            "første møder handler ofte mest om",
            "at forstå hinandens vilkår. Først",
            "når parterne kender hinanden, kan",
            "de løse konflikter uden at gå til",
            "ledelsen med hver eneste uenig-",
        ],
        [
            "hed om økonomi eller ansvar. Det",
            "giver ro til at prøve nye løsninger",
            "af i et frirum, hvor fejl er tilladt",
            "og erfaringer deles åbent mellem",
            "de to sektorers medarbejdere.",
        ],
    ),
    (
        [
            "En fælles vision skal gentages og",
            "genbesøges, så nye medarbejdere",
            "også forstår, hvorfor samarbejdet",
            "findes. Spilleregler aftales bedst",
            "i fredstid, før de store konflikter",
            "opstår og tvinger parterne til hur-",
        ],
        [
            "tige beslutninger under pres. Tid",
            "til refleksion og fælles læring er",
            "derfor ikke spild, men en del af",
            "selve ledelsesopgaven på tværs af",
            "organisationernes grænser.",
        ],
    ),
]

LEFT_X, RIGHT_X, WIDTH = 57.0, 310.0, 228.0


def two_column_pdf(path: Path) -> Path:
    """Three A4 pages of two justified columns with header, footer and page numbers."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0)
    for number, (left, right) in enumerate(PAGES, start=1):
        pdf.add_page()
        pdf.set_font("helvetica", size=8)
        pdf.text(LEFT_X, 40, f"{HEADER} · Rapport 2014")
        top = 90.0
        if number == 1:
            pdf.set_font("helvetica", style="B", size=16)
            pdf.text(LEFT_X, 80, TITLE)
            top = 120.0
        pdf.set_font("helvetica", size=10)
        for x, column in ((LEFT_X, left), (RIGHT_X, right)):
            for i, line in enumerate(column):
                _justified(pdf, x, top + 14 * i, line, ragged=line.endswith("."))
        pdf.set_font("helvetica", size=8)
        pdf.text(292, 810, str(number))
    pdf.output(str(path))
    return path


def _justified(pdf: FPDF, x: float, y: float, line: str, *, ragged: bool) -> None:
    """Place words one by one, spread to the column width as a typesetter would."""
    if ragged:  # a paragraph's last line: set as one string, spaces included
        pdf.text(x, y, line)
        return
    words = line.split()
    widths = [pdf.get_string_width(w) for w in words]
    gap = pdf.get_string_width(" ")
    if len(words) > 1:
        gap = (WIDTH - sum(widths)) / (len(words) - 1)
    for word, width in zip(words, widths, strict=True):
        pdf.text(x, y, word)
        x += width + gap


def image_only_pdf(path: Path) -> Path:
    """A 'scanned' page: one picture, no text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("RGB", (300, 400), (235, 235, 225)), x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_encryption(owner_password="ejer", user_password="hemmelig")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "Fortrolig tekst om ledelse på tværs")
    pdf.output(str(path))
    return path


def headed_docx(path: Path) -> Path:
    """Title, Heading 1-2, a Danish 'Overskrift 1' style, lists and a table."""
    doc = DocxDocument()
    overskrift = doc.styles.add_style("Overskrift 1", WD_STYLE_TYPE.PARAGRAPH)
    overskrift.base_style = doc.styles["Normal"]
    doc.add_heading("Ledelse på tværs", level=0)
    doc.add_paragraph("Et notat om samarbejde mellem region og kommune.")
    doc.add_heading("Baggrund", level=1)
    doc.add_paragraph("Sundhedsvæsenet gennemgår store forandringer.\nDet påvirker ledelsen.")
    doc.add_heading("Økonomi og incitamenter", level=2)
    doc.add_paragraph("Skæve økonomiske incitamenter", style="List Bullet")
    doc.add_paragraph("Siloopdeling og kulturforskelle", style="List Bullet")
    doc.add_paragraph("Aftal spillereglerne", style="List Number")
    doc.add_paragraph("Følg op på visionen", style="List Number")
    doc.add_paragraph("Erfaringer", style="Overskrift 1")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Projekt"
    table.cell(0, 1).text = "Deltagere"
    table.cell(1, 0).text = "Randers"
    table.cell(1, 1).text = "Kommune og hospital"
    doc.add_paragraph("")  # empty paragraphs are dropped
    doc.add_paragraph("Tillid opstår gennem relationer.")
    doc.save(str(path))
    return path


DANISH_TEXT = (
    " Ledelse på tværs af sektorer\n"
    "Når region og kommune skal samarbejde, må lederne gå ud af komfortzonen.\n"
    "Det kræver tillid, tålmodighed og en fælles forståelse af opgaven.\n"
)

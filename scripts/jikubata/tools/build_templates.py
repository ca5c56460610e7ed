"""Build the letter templates `surat-opd.docx` and `surat-pejabat.docx` in `jikubata/resources/templates/`.

The `.docx` files are what administrators open and edit in Word; this script
is their reviewable source. Run it after changing the layout here:

    python -m jikubata.tools.build_templates

The letters follow the Tata Naskah Dinas form of a surat dinas: letterhead
with a double rule, place and date, Nomor/Sifat/Lampiran/Hal, the `Yth.`
addressee with `di –  Tempat`, body, closing, signature block, Tembusan.
A4, Times New Roman 12 pt. Jinja2 tags (`{{ nomor }}`, `{%tr for … %}`) are
rendered by docxtpl; the variables are listed in `resources/templates/README.md`.
Each tag sits whole in one run, so docxtpl sees it intact.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "resources" / "templates"
FONT = "Times New Roman"
TEXT_WIDTH = 21.0 - 2.5 - 2.0  # A4 minus left and right margins, cm
RIGHT_BLOCK = 10.0  # where the date and addressee blocks start, cm (left of it: Nomor … Hal)
SIGNATURE_BLOCK = 8.5  # where the signature block starts, cm


# ---------------------------------------------------------------- helpers


def new_document(title: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), 1.0
    _set_language(normal, "id-ID")

    props = doc.core_properties
    props.title, props.author, props.subject = title, "Pemerintah Kota Ambon", "Jiku Bata"
    props.last_modified_by, props.comments, props.keywords = "Jiku Bata", "", "Jiku Bata; surat pengingat"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.revision = 1
    _page_number_footer(section)
    _draft_mark(section)
    return doc


def _draft_mark(section) -> None:
    """`KONSEP` at the top right of every page of a draft: it takes no room from the letter's body."""
    for header in (section.first_page_header, section.header):
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = run(p, "{% if konsep %}KONSEP — belum untuk ditandatangani{% endif %}", bold=True, size=12)
        r.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _set_language(style, lang: str) -> None:
    rpr = style.element.get_or_add_rPr()
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    rpr.append(el)


def _page_number_footer(section) -> None:
    """Page number, small and centred, from the second page on (the first has the letterhead)."""
    section.different_first_page_header_footer = True
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = p.add_run()
        run.font.size = Pt(10)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def para(container, text: str = "", *, bold=False, italic=False, underline=False, size=None,
         align=None, left=None, first=None, before=0, after=0, line=None, keep_next=False):
    p = container.add_paragraph()
    if text:
        run(p, text, bold=bold, italic=italic, underline=underline, size=size)
    pf = p.paragraph_format
    if align is not None:
        p.alignment = align
    if left is not None:
        pf.left_indent = Cm(left)
    if first is not None:
        pf.first_line_indent = Cm(first)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next:
        pf.keep_with_next = True
    return p


def run(p, text: str, *, bold=False, italic=False, underline=False, size=None):
    r = p.add_run(text)
    r.bold, r.italic, r.underline = bold or None, italic or None, underline or None
    if size:
        r.font.size = Pt(size)
    return r


def tabs(p, *stops_cm: float) -> None:
    for stop in stops_cm:
        p.paragraph_format.tab_stops.add_tab_stop(Cm(stop))


def bottom_rule(p) -> None:
    """The thick-thin double rule under an Indonesian letterhead."""
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "thickThinSmallGap"), ("w:sz", "24"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def layout_table(doc, widths_cm):
    """A borderless table used only to place blocks side by side."""
    table = doc.add_table(rows=1, cols=len(widths_cm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _table_indent_zero(table)
    for cell, w in zip(table.rows[0].cells, widths_cm):
        cell.width = Cm(w)
        _cell_margins(cell, left=0, right=0.1)
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    return table


def _table_indent_zero(table) -> None:
    tblpr = table._tbl.tblPr
    ind = OxmlElement("w:tblInd")
    ind.set(qn("w:w"), "0")
    ind.set(qn("w:type"), "dxa")
    tblpr.append(ind)


def _cell_margins(cell, **cm) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    mar = OxmlElement("w:tcMar")
    for side, value in cm.items():
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(value * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tcpr.append(mar)


def _table_cell_margins(table, cm: float) -> None:
    """Narrow left/right cell padding, so NIPs and amounts fit on one line."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(cm * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def cell_text(cell, text, *, bold=False, italic=False, size=10, align=None):
    p = cell.paragraphs[0]
    run(p, text, bold=bold, italic=italic, size=size)
    if align is not None:
        p.alignment = align
    return p


# ---------------------------------------------------------------- shared parts


def letterhead(doc) -> None:
    """Crest at left (when set), the kop lines centred on the page, the double rule below."""
    side = 2.0
    table = layout_table(doc, [side, TEXT_WIDTH - 2 * side, side])
    crest, middle, _ = table.rows[0].cells
    crest.vertical_alignment = middle.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    run(crest.paragraphs[0], "{{ lambang }}")
    center = WD_ALIGN_PARAGRAPH.CENTER
    lines = (("{{ kop_pemerintah }}", True, 14), ("{{ kop_instansi }}", True, 14),
             ("{{ kop_alamat }}", False, 9), ("{{ kop_kontak }}", False, 9))
    for i, (text, bold, size) in enumerate(lines):
        p = middle.paragraphs[0] if i == 0 else middle.add_paragraph()
        run(p, text, bold=bold, size=size)
        p.alignment = center
    p = para(doc, "", after=2)
    bottom_rule(p)
    para(doc, "", after=2)


def heading_block(doc) -> None:
    """Place and date at right; Nomor/Sifat/Lampiran/Hal at left beside the addressee."""
    para(doc, "{{ tempat_tanggal }}", left=RIGHT_BLOCK, after=8)
    left_w = RIGHT_BLOCK
    table = layout_table(doc, [left_w, TEXT_WIDTH - left_w])
    left, right = table.rows[0].cells
    first = True
    for label, value in (("Nomor", "{{ nomor }}"), ("Sifat", "{{ sifat }}"),
                         ("Lampiran", "{{ lampiran }}"), ("Hal", "{{ hal }}")):
        p = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        run(p, f"{label}\t:\t{value}")
        # Labels are short: a narrow label column leaves a long letter number one line.
        tabs(p, 2.0, 2.4)
        p.paragraph_format.left_indent = Cm(2.4)
        p.paragraph_format.first_line_indent = Cm(-2.4)
    # The addressee: `Yth.` then each line of `tujuan`, `di –`, `Tempat`.
    p = right.paragraphs[0]
    run(p, "{%p for baris in tujuan %}")
    p = right.add_paragraph()
    run(p, "{% if loop.first %}Yth.\t{% else %}\t{% endif %}{{ baris }}")
    tabs(p, 1.0)
    p.paragraph_format.left_indent = Cm(1.0)
    p.paragraph_format.first_line_indent = Cm(-1.0)
    run(right.add_paragraph(), "{%p endfor %}")
    p = right.add_paragraph()
    run(p, "\tdi –")
    tabs(p, 1.0)
    p = right.add_paragraph()
    run(p, "\t\tTempat")
    tabs(p, 1.0, 2.0)
    para(doc, "", after=4)


def body(doc, text: str, *, after=6, keep_next=False):
    return para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first=1.25, after=after, line=1.08,
                keep_next=keep_next)


def signature(doc, *, with_copies: bool = True) -> None:
    """Position, room to sign, name (bold, underlined), pangkat, NIP — centred in the right block —
    and the Tembusan below, all in one table row that cannot split: the block moves whole to a
    new page, so no page ever holds only the Tembusan (Word and LibreOffice both honour it)."""
    table = layout_table(doc, [TEXT_WIDTH])
    row = table.rows[0]
    _cant_split(row)
    signature_block(row.cells[0], with_copies=with_copies)


def signature_block(cell, *, with_copies: bool = True, left: float = SIGNATURE_BLOCK) -> None:
    """The signature block's paragraphs in `cell` (see `signature`)."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    SIGNATURE_BLOCK = left
    para(cell, "{{ penandatangan_jabatan }},", left=SIGNATURE_BLOCK, align=center, before=8)
    for _ in range(3):
        para(cell, "", left=SIGNATURE_BLOCK)
    para(cell, "{{ penandatangan_nama }}", bold=True, underline=True, left=SIGNATURE_BLOCK, align=center)
    para(cell, "{{ penandatangan_pangkat }}", left=SIGNATURE_BLOCK, align=center)
    para(cell, "NIP. {{ penandatangan_nip }}", left=SIGNATURE_BLOCK, align=center)
    if with_copies:
        para(cell, "{%p if tembusan %}")
        para(cell, "Tembusan:", size=11, before=8)
        para(cell, "{%p for t in tembusan %}")
        p = para(cell, "{{ loop.index }}.\t{{ t }}{% if loop.last %}.{% else %};{% endif %}", size=11,
                 left=0.6, first=-0.6)
        tabs(p, 0.6)
        para(cell, "{%p endfor %}")
        para(cell, "{%p endif %}")
    cell._tc.remove(cell.paragraphs[0]._p)  # the cell's own empty first paragraph


def closing(doc) -> None:
    body(doc, "Demikian disampaikan. Atas perhatian dan kerja sama Saudara, diucapkan terima kasih.",
         keep_next=True)


def attachment_heading(doc, title: str) -> None:
    """Tata Naskah Dinas: the Lampiran page names the letter it belongs to (its number and date)."""
    left = RIGHT_BLOCK - 3.5
    p = para(doc, "LAMPIRAN", left=left)
    p.paragraph_format.page_break_before = True
    para(doc, "{{ lampiran_dari }}", left=left)
    for label, value in (("NOMOR", "{{ nomor }}"), ("TANGGAL", "{{ tanggal }}")):
        p = para(doc, f"{label}\t:\t{value}", left=left + 2.6, first=-2.6)
        tabs(p, left + 2.2, left + 2.6)
    para(doc, "", after=6)
    para(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)


def _keep_with_next(row) -> None:
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


KEPT_ROWS = 3  # the last rows of a Lampiran's table stay on the page of its signature


def data_table(doc, cols, loop: str, fields, *, total=None, keep_tail=False, under=None):
    """A bordered table whose header row repeats on every page; one body row per item of a list.

    `cols`: (label, width cm); `loop`: `p in pegawai`; `fields`: per column
    (field of the item, alignment); `total`: (label, value) of a bold last row.
    With `keep_tail`, the last `KEPT_ROWS` rows and the total keep with what follows (the signature):
    a page never holds the signature block alone. `under`: (field shown in a cell, field shown small under
    it when not empty).
    """
    table = doc.add_table(rows=7 if keep_tail else 4, cols=len(cols))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_cell_margins(table, 0.1)
    for col, (_, w) in zip(table.columns, cols):
        col.width = Cm(w)
    for row in table.rows:
        for cell, (_, w) in zip(row.cells, cols):
            cell.width = Cm(w)
    header = table.rows[0]
    _repeat_header(header)
    _cant_split(header)
    for cell, (label, _) in zip(header.cells, cols):
        cell_text(cell, label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, "D9D9D9")
    # docxtpl: the row holding `{%tr for %}` and the one holding `{%tr endfor %}` vanish.
    item, _, items = loop.partition(" in ")
    loops = [f"{item} in {items}[:-{KEPT_ROWS}]", f"{item} in {items}[-{KEPT_ROWS}:]"] if keep_tail else [loop]
    for n, each in enumerate(loops):
        first = 1 + 3 * n
        cell_text(table.rows[first].cells[0], "{%tr for " + each + " %}")
        data = table.rows[first + 1]
        _cant_split(data)
        for cell, (key, align) in zip(data.cells, fields):
            cell_text(cell, "{{ %s.%s }}" % (item, key), align=align)
            if under and under[0] == key:
                note = "%s.%s" % (item, under[1])
                for text, italic in (("{%p if " + note + " %}", False), ("{{ " + note + " }}", True),
                                     ("{%p endif %}", False)):
                    run(cell.add_paragraph(), text, italic=italic, size=9)
        if n:
            _keep_with_next(data)
        cell_text(table.rows[first + 2].cells[0], "{%tr endfor %}")
    if total:
        label, value = total
        row = table.add_row()
        _cant_split(row)
        merged = row.cells[0].merge(row.cells[len(cols) - 2])
        cell_text(merged, label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell_text(row.cells[len(cols) - 1], value, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        if keep_tail:
            _keep_with_next(row)
    if keep_tail:
        # The Lampiran's signature is the table's last row (no borders, cannot split), kept with the rows
        # above it: LibreOffice keeps rows together, but not a table with the table after it.
        row = table.add_row()
        _cant_split(row)
        cell = row.cells[0].merge(row.cells[len(cols) - 1])
        _no_borders(cell)
        signature_block(cell, with_copies=False, left=SIGNATURE_BLOCK - (TEXT_WIDTH - sum(w for _, w in cols)) / 2)
    return table


def table_signed_if(doc, condition: str, *args, **kw) -> None:
    """`data_table` ending with the signature (kept with its last rows) when the Jinja `condition` holds, a
    plain one otherwise: a Lampiran of several tables is signed at the end of its last one. Only that one
    keeps its last rows with what follows; were every table so, short tables would pull each other along."""
    para(doc, "{%p if " + condition + " %}")
    data_table(doc, *args, keep_tail=True, **kw)
    para(doc, "{%p else %}")
    data_table(doc, *args, **kw)
    para(doc, "{%p endif %}")


def _no_borders(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tcpr.append(borders)


def replaces_paragraph(doc) -> None:
    """A letter that replaces a sent one says so first (a number never changes its content)."""
    para(doc, "{%p if menggantikan %}")
    body(doc, "Surat ini menggantikan surat kami Nomor {{ nomor_diganti }} tanggal {{ tanggal_diganti }} "
              "hal yang sama, karena data belanja telah berubah sesudah surat tersebut dikirim; surat tersebut "
              "dinyatakan tidak berlaku.")
    para(doc, "{%p endif %}")


INTRO = ("Menindaklanjuti {{ dasar_hukum }}, setiap Aparatur Sipil Negara (ASN) di lingkungan "
         "{{ pemerintah }} wajib berbelanja produk UMKM pada Jiku Bata (Sudut Balai Kota) setiap bulan "
         "paling sedikit sebesar belanja minimum sesuai jabatan dan eselonnya.")
CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
EMPLOYEE_COLS = [("No", 0.8), ("Nama", 3.4), ("NIP", 3.7), ("Jabatan", 3.0), ("Minimum", 1.8),
                 ("Belanja", 1.8), ("Kekurangan", 2.2)]
EMPLOYEE_FIELDS = [("no", CENTER), ("nama", None), ("nip", None), ("jabatan", None), ("minimum", RIGHT),
                   ("belanja", RIGHT), ("kekurangan", RIGHT)]
# A notice shows under a NIP (one line, beside longer names and positions: no extra height) how many
# finished months in a row the person was short (README: Kekurangan berulang dan daftar TPP).
RUN_UNDER_NIP = ("nip", "berturut")
# PP 94/2021: discipline belongs to the direct superior; the notice asks, it does not judge. Part of the
# notice's closing sentence, so it costs the first page as few lines as it can (letters.py counts them).
REPEATED_REQUEST = (
    "{% if berulang %}; terhadap pegawai nomor urut {{ berulang_nomor }}, yang telah {{ batas_berturut }} bulan "
    "berturut-turut atau lebih tidak memenuhi belanja minimum, kami mohon Saudara sebagai atasan langsung "
    "melakukan pembinaan dan tindak lanjut sesuai ketentuan disiplin ASN (Peraturan Pemerintah Nomor 94 Tahun "
    "2021 tentang Disiplin Pegawai Negeri Sipil){% endif %}")


# ---------------------------------------------------------------- the letters


def office_letter() -> Document:
    doc = new_document("Surat Pengingat/Pemberitahuan Belanja Jiku Bata kepada Kepala OPD")
    letterhead(doc)
    heading_block(doc)
    replaces_paragraph(doc)
    body(doc, INTRO)
    body(doc, "Berdasarkan data belanja sampai dengan tanggal {{ per_tanggal }}, terdapat "
              "{{ jumlah_pegawai }} ({{ jumlah_pegawai_terbilang }}) orang pegawai pada {{ opd }}"
              "{% if kepala_no %}, termasuk Saudara sendiri,{% endif %} "
              "yang {% if pemberitahuan %}tidak{% else %}belum{% endif %} memenuhi belanja minimum bulan {{ periode }}"
              "{% if ada_lampiran %}, sebagaimana tercantum dalam Lampiran surat ini.{% else %}, "
              "dengan rincian sebagai berikut:{% endif %}", keep_next=True)
    para(doc, "{%p if not ada_lampiran %}")
    data_table(doc, EMPLOYEE_COLS, "p in pegawai", EMPLOYEE_FIELDS, total=("Jumlah kekurangan", "{{ total_kekurangan }}"),
               under=RUN_UNDER_NIP)
    para(doc, "", after=6)
    para(doc, "{%p endif %}")
    body(doc, "Jumlah kekurangan belanja tersebut sebesar {{ total_kekurangan }} "
              "({{ total_kekurangan_terbilang }}).")
    body(doc, "{% if pengingat %}Sehubungan dengan hal tersebut, kami mohon Saudara berkenan "
              "{% if kepala_no and jumlah_lain %}memenuhi kekurangan belanja Saudara sendiri (nomor urut "
              "{{ kepala_no }}) dan mengingatkan {{ jumlah_lain }} ({{ jumlah_lain_terbilang }}) pegawai lainnya "
              "agar segera memenuhi kekurangan belanjanya"
              "{% elif kepala_no %}memenuhi kekurangan belanja Saudara tersebut"
              "{% else %}mengingatkan pegawai yang bersangkutan agar segera memenuhi kekurangan belanjanya"
              "{% endif %} pada Jiku Bata paling lambat tanggal {{ batas_waktu }} (belanja dihitung pada "
              "bulannya)."
              "{% else %}Belanja dihitung pada bulannya, sehingga kekurangan bulan {{ periode }} tidak dapat "
              "dipenuhi lagi. Kami mohon Saudara berkenan "
              "{% if kepala_no and jumlah_lain %}memperhatikan kewajiban Saudara sendiri dan "
              "mengingatkan {{ jumlah_lain }} ({{ jumlah_lain_terbilang }}) pegawai lainnya"
              "{% elif kepala_no %}memperhatikan kewajiban Saudara tersebut"
              "{% else %}mengingatkan pegawai yang bersangkutan{% endif %} agar memenuhi belanja minimum "
              "bulan {{ bulan_berjalan }} dan seterusnya" + REPEATED_REQUEST + ".{% endif %}")
    closing(doc)
    signature(doc)
    para(doc, "{%p if ada_lampiran %}")
    attachment_heading(doc, "DAFTAR PEGAWAI {{ opd_kapital }} YANG {% if pemberitahuan %}TIDAK{% else %}BELUM"
                            "{% endif %} MEMENUHI BELANJA MINIMUM JIKU BATA BULAN {{ periode_kapital }}")
    data_table(doc, EMPLOYEE_COLS, "p in pegawai", EMPLOYEE_FIELDS, total=("Jumlah kekurangan", "{{ total_kekurangan }}"),
               keep_tail=True, under=RUN_UNDER_NIP)
    para(doc, "{%p endif %}")
    return doc


def official_letter() -> Document:
    doc = new_document("Surat Pengingat/Pemberitahuan Belanja Jiku Bata kepada Pejabat")
    letterhead(doc)
    heading_block(doc)
    replaces_paragraph(doc)
    body(doc, INTRO)
    body(doc, "Berdasarkan data belanja sampai dengan tanggal {{ per_tanggal }}, belanja Saudara untuk "
              "bulan {{ periode }} {% if pemberitahuan %}tidak{% else %}belum{% endif %} memenuhi belanja "
              "minimum, dengan rincian sebagai berikut:",
         keep_next=True)
    rows = (("Nama", "{{ nama }}"), ("NIP", "{{ nip }}"), ("Jabatan", "{{ jabatan }}"),
            ("Unit kerja", "{{ opd }}"),
            ("Belanja minimum per bulan", "{{ minimum }}"),
            ("Belanja tercatat", "{{ belanja }}"))
    for label, value in rows:
        p = para(doc, f"{label}\t:\t{value}", left=8.0, first=-6.75, keep_next=True)
        tabs(p, 7.6, 8.0)
    p = para(doc, "Kekurangan\t:\t", left=8.0, first=-6.75, after=6)
    run(p, "{{ kekurangan }}", bold=True)
    run(p, " ({{ kekurangan_terbilang }})", italic=True)
    tabs(p, 7.6, 8.0)
    para(doc, "{%p if berturut %}")
    body(doc, "Bulan {{ periode }} adalah bulan ke-{{ berturut }} berturut-turut Saudara tidak memenuhi belanja "
              "minimum.")
    para(doc, "{%p endif %}")
    body(doc, "{% if pengingat %}Sehubungan dengan hal tersebut, kami mohon Saudara berkenan memenuhi "
              "kekurangan belanja tersebut dengan berbelanja produk UMKM di Jiku Bata paling lambat tanggal "
              "{{ batas_waktu }} (belanja hanya dihitung pada bulan belanja itu dilakukan), "
              "{% else %}Karena belanja hanya dihitung pada bulan belanja itu dilakukan, kekurangan bulan "
              "{{ periode }} tidak dapat dipenuhi lagi. Kami mohon Saudara berkenan memenuhi belanja minimum "
              "pada bulan {{ bulan_berjalan }} dan bulan-bulan berikutnya, {% endif %}"
              "sebagai wujud dukungan bagi usaha mikro, kecil, dan menengah di {{ wilayah }}.")
    closing(doc)
    signature(doc)
    return doc


def report_letter() -> Document:
    """The laporan to the Wali Kota: the month's compliance per OPD, the Eselon II officials short."""
    doc = new_document("Laporan Pelaksanaan Belanja Jiku Bata kepada Wali Kota")
    letterhead(doc)
    heading_block(doc)
    body(doc, INTRO)
    replaces_paragraph(doc)
    body(doc, "Bersama ini kami laporkan bahwa berdasarkan data belanja sampai dengan tanggal {{ per_tanggal }}, "
              "dari {{ jumlah_wajib }} ({{ jumlah_wajib_terbilang }}) ASN yang wajib berbelanja pada bulan "
              "{{ periode }}{% if belum_melapor %} di OPD yang telah menyampaikan data{% endif %}, sebanyak "
              "{{ jumlah_memenuhi }} orang ({{ persen_memenuhi }}) telah memenuhi belanja minimum dan "
              "{{ jumlah_kurang }} orang {% if pemberitahuan %}tidak{% else %}belum{% endif %} memenuhi, dengan "
              "jumlah kekurangan sebesar {{ total_kekurangan }} ({{ total_kekurangan_terbilang }}).")
    para(doc, "{%p for k in kepala_daerah %}")
    body(doc, "{{ k.jabatan }}: belanja {{ k.belanja }} dari minimum {{ k.minimum }}"
              "{% if k.kekurangan != 'Rp0' %}, kekurangan {{ k.kekurangan }}{% endif %}.", after=2)
    para(doc, "{%p endfor %}")
    body(doc, "Rekapitulasi per Organisasi Perangkat Daerah (OPD) tercantum dalam Lampiran surat ini. "
              "{% if jumlah_disurati %}Kepada {{ jumlah_disurati }} Kepala OPD yang pegawainya "
              "{% if pemberitahuan %}tidak{% else %}belum{% endif %} memenuhi belanja minimum telah kami "
              "sampaikan surat {% if pemberitahuan %}pemberitahuan{% else %}pengingat{% endif %} (kolom "
              "Keterangan). {% endif %}"
              "{% if pejabat %}{{ jumlah_pejabat }} ({{ jumlah_pejabat_terbilang }}) pejabat yang belum memenuhi "
              "belanja minimum tidak kami surati, karena jabatannya lebih tinggi dari penandatangan atau ia "
              "penandatangan sendiri; mereka kami laporkan dalam Lampiran. {% endif %}"
              "{% for o in opd_dilaporkan %}{% if loop.first %}Pegawai {% endif %}{{ o.opd }}{% if not loop.last %}, "
              "{% endif %}{% if loop.last %} yang belum memenuhi belanja minimum juga kami laporkan dalam Lampiran, "
              "karena pimpinan OPD tersebut lebih tinggi dari penandatangan. {% endif %}{% endfor %}"
              "{% if belum_melapor %}OPD yang belum menyampaikan data belanja bulan {{ periode }}: "
              "{% for o in belum_melapor %}{{ o }}{% if not loop.last %}, {% endif %}{% endfor %}; kepada OPD "
              "tersebut telah kami mintakan datanya.{% endif %}"
              # Repeated shortfall (README: Kekurangan berulang dan daftar TPP): two lines here, the names in the Lampiran.
              "{% if berulang_opd %} Sebanyak {{ jumlah_berulang }} ASN pada {{ jumlah_opd_berulang }} OPD tidak "
              "memenuhi belanja minimum {{ batas_berturut }} bulan berturut-turut atau lebih (Lampiran, Kekurangan "
              "Berulang); pembinaannya kami mohonkan kepada atasan langsung masing-masing.{% endif %}")
    body(doc, "Demikian kami laporkan untuk menjadi maklum, dan mohon arahan lebih lanjut.", keep_next=True)
    signature(doc)
    attachment_heading(doc, "REKAPITULASI BELANJA JIKU BATA PER OPD BULAN {{ periode_kapital }}")
    cols = [("No", 0.7), ("OPD", 5.0), ("Wajib", 1.2), ("Memenuhi", 2.0), ("Belum", 1.2), ("Kepatuhan", 2.0),
            ("Kekurangan", 2.2), ("Keterangan", 2.2)]
    fields = [("no", CENTER), ("opd", None), ("wajib", RIGHT), ("memenuhi", RIGHT), ("kurang", RIGHT),
              ("kepatuhan", RIGHT), ("kekurangan", RIGHT), ("keterangan", None)]
    # The Lampiran is signed at the end of its last table (`ttd_di`: which one), kept with its last rows.
    table_signed_if(doc, "ttd_di == 'opd'", cols, "o in opd_baris", fields)
    para(doc, "{%p if pejabat %}")
    para(doc, "", after=6)
    para(doc, "PEJABAT YANG BELUM MEMENUHI BELANJA MINIMUM DAN TIDAK DISURATI (PENANDATANGAN SENDIRI ATAU "
              "JABATANNYA LEBIH TINGGI DARI PENANDATANGAN)", bold=True, align=CENTER, after=8, keep_next=True)
    cols = [("No", 0.8), ("Nama", 3.8), ("Jabatan", 4.4), ("OPD", 3.0), ("Belanja", 2.0), ("Kekurangan", 2.5)]
    fields = [("no", CENTER), ("nama", None), ("jabatan", None), ("opd", None), ("belanja", RIGHT),
              ("kekurangan", RIGHT)]
    table_signed_if(doc, "ttd_di == 'pejabat'", cols, "p in pejabat", fields)
    para(doc, "{%p endif %}")
    para(doc, "{%p for o in opd_dilaporkan %}")
    para(doc, "", after=6)
    para(doc, "PEGAWAI {{ o.opd_kapital }} YANG BELUM MEMENUHI BELANJA MINIMUM", bold=True, align=CENTER, after=8,
         keep_next=True)
    table_signed_if(doc, "ttd_di == 'dilaporkan' and loop.last", EMPLOYEE_COLS, "p in o.pegawai", EMPLOYEE_FIELDS,
                    total=("Jumlah kekurangan", "{{ o.total_kekurangan }}"))
    para(doc, "{%p endfor %}")
    para(doc, "{%p if berulang_opd %}")
    para(doc, "", after=6)
    para(doc, "KEKURANGAN BERULANG: ASN YANG {{ batas_berturut }} BULAN BERTURUT-TURUT ATAU LEBIH TIDAK MEMENUHI "
              "BELANJA MINIMUM", bold=True, align=CENTER, after=4, keep_next=True)
    para(doc, "{%p for o in berulang_opd %}")
    para(doc, "{{ o.opd }}", bold=True, before=4, after=4, keep_next=True)
    cols = [("No", 0.8), ("Nama", 3.8), ("NIP", 3.7), ("Jabatan", 4.0), ("Bulan Berturut", 1.8),
            ("Kekurangan", 2.4)]
    fields = [("no", CENTER), ("nama", None), ("nip", None), ("jabatan", None), ("berturut", CENTER),
              ("kekurangan", RIGHT)]
    table_signed_if(doc, "ttd_di == 'berulang' and loop.last", cols, "p in o.pegawai", fields)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    return doc


def data_request_letter() -> Document:
    """To the head of an office that sent no purchase data for the month: the data, not a verdict."""
    doc = new_document("Permintaan Data Belanja Jiku Bata kepada Kepala OPD")
    letterhead(doc)
    heading_block(doc)
    replaces_paragraph(doc)
    body(doc, INTRO)
    body(doc, "Sampai dengan tanggal {{ per_tanggal }}, kami belum menerima data belanja Jiku Bata bulan "
              "{{ periode }} dari {{ opd }}, yang mempunyai {{ jumlah_wajib }} ({{ jumlah_wajib_terbilang }}) "
              "orang pegawai wajib belanja pada bulan tersebut. Oleh karena itu kami belum dapat menilai "
              "pemenuhan belanja minimum pegawai {{ opd }}.")
    body(doc, "Sehubungan dengan hal tersebut, kami mohon Saudara berkenan menugaskan admin OPD untuk "
              "menyampaikan data belanja bulan {{ periode }} (formulir isian Jiku Bata, termasuk bila tidak ada "
              "belanja) kepada {{ kop_instansi_kalimat }}.")
    closing(doc)
    signature(doc)
    return doc


# ---------------------------------------------------------------- slimming


def slim(doc: Document) -> Document:
    """Drop what python-docx's default template carries and a letter never uses.

    Its styles.xml and stylesWithEffects.xml hold ~800 kB of Word's built-in
    styles; every letter would parse and compress them again. We keep the
    styles the letter refers to (with what they are based on) and the
    defaults, and drop the thumbnail, customXml and stylesWithEffects parts.
    Word and LibreOffice supply built-in styles an administrator adds later.
    """
    styles = doc.styles.element
    used = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
    for part in [doc.part] + [rel.target_part for rel in doc.part.rels.values()
                              if rel.reltype.endswith("/footer") or rel.reltype.endswith("/header")]:
        root = part.element if hasattr(part, "element") else None
        if root is None:
            continue
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used.update(el.get(qn("w:val")) for el in root.iter(qn(tag)))
    by_id = {st.get(qn("w:styleId")): st for st in styles.findall(qn("w:style"))}
    pending = list(used)
    while pending:  # follow basedOn / link / next chains
        st = by_id.get(pending.pop())
        if st is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            el = st.find(qn(tag))
            if el is not None and el.get(qn("w:val")) not in used:
                used.add(el.get(qn("w:val")))
                pending.append(el.get(qn("w:val")))
    for style_id, st in by_id.items():
        if style_id not in used and st.get(qn("w:default")) not in ("1", "true"):
            styles.remove(st)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for owner in (doc.part, doc.part.package):
        for r_id, rel in list(owner.rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail", "/customXml")):
                del owner.rels[r_id]
    return doc


def main() -> int:
    for name, build in (("surat-opd.docx", office_letter), ("surat-pejabat.docx", official_letter),
                        ("laporan-walikota.docx", report_letter),
                        ("surat-permintaan-data.docx", data_request_letter)):
        target = OUT / name
        slim(build()).save(target)
        print(f"ditulis: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

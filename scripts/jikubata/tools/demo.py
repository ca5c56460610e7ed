"""Realistic demo data: the offices of Kota Ambon, their ASN, Ambon's UMKM, months of purchases.

`generate(...)` writes a central workbook (Pengaturan, Pegawai, UMKM, OPD)
and one purchase workbook per office, with a sprinkling of the mistakes real
offices make. The benchmark's city-scale data comes from the same code.
`main(out_dir)` is `jikubata demo`: it writes the data, then runs the product
on it and says where everything is.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from jikubata.domain import indonesian, schema
from jikubata.adapters.atomic import atomic_path, write_bytes_atomic
from jikubata.adapters.clock import SYSTEM, Clock
from jikubata.domain.model import DEFAULT_MINIMUMS, Period, Settings, Tier

# Demo people get addresses at a domain reserved for examples (RFC 2606): a demo `--kirim` reaches nobody real.
DEMO_MAIL_DOMAIN = "example.org"


def _local_part(text: str) -> str:
    """`Drs. Yohanes` -> `drsyohanes`: letters and digits only, so a title never makes `drs..` (not an address)."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", plain.split(",")[0])[:24] or "pegawai"

# (name, abbreviation, head title, is a kecamatan)
OFFICES = [
    ("Sekretariat Daerah", "SETDA", "Sekretaris Kota", False),
    ("Sekretariat DPRD", "SETWAN", "Sekretaris DPRD", False),
    ("Inspektorat", "INSP", "Inspektur", False),
    ("Dinas Pendidikan dan Kebudayaan", "DIKBUD", "Kepala Dinas", False),
    ("Dinas Kesehatan", "DINKES", "Kepala Dinas", False),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", "Kepala Dinas", False),
    ("Dinas Perumahan dan Kawasan Permukiman", "PERKIM", "Kepala Dinas", False),
    ("Satuan Polisi Pamong Praja", "SATPOL PP", "Kepala", False),
    ("Dinas Sosial", "DINSOS", "Kepala Dinas", False),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", "Kepala Dinas", False),
    ("Dinas Lingkungan Hidup dan Persampahan", "DLHP", "Kepala Dinas", False),
    ("Dinas Kependudukan dan Pencatatan Sipil", "DUKCAPIL", "Kepala Dinas", False),
    ("Dinas Perhubungan", "DISHUB", "Kepala Dinas", False),
    ("Dinas Komunikasi, Informatika dan Persandian", "DISKOMINFOSAN", "Kepala Dinas", False),
    ("Dinas Koperasi dan Usaha Kecil Menengah", "DISKOP UKM", "Kepala Dinas", False),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "Kepala Dinas", False),
    ("Dinas Pariwisata", "DISPAR", "Kepala Dinas", False),
    ("Dinas Perindustrian dan Perdagangan", "DISPERINDAG", "Kepala Dinas", False),
    ("Dinas Perikanan", "DISKAN", "Kepala Dinas", False),
    ("Dinas Pertanian", "DISTAN", "Kepala Dinas", False),
    ("Dinas Ketahanan Pangan", "DKP", "Kepala Dinas", False),
    ("Dinas Pemuda dan Olahraga", "DISPORA", "Kepala Dinas", False),
    ("Dinas Perpustakaan dan Kearsipan", "DISPUSIP", "Kepala Dinas", False),
    ("Dinas Tenaga Kerja", "DISNAKER", "Kepala Dinas", False),
    ("Dinas Pengendalian Penduduk dan Keluarga Berencana", "DP2KB", "Kepala Dinas", False),
    ("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "BAPPEDA-LITBANG", "Kepala Badan", False),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "Kepala Badan", False),
    ("Badan Pendapatan Daerah", "BAPENDA", "Kepala Badan", False),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "Kepala Badan", False),
    ("Badan Kesatuan Bangsa dan Politik", "KESBANGPOL", "Kepala Badan", False),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", "Kepala Pelaksana", False),
    ("Kecamatan Sirimau", "KEC. SIRIMAU", "Camat Sirimau", True),
    ("Kecamatan Nusaniwe", "KEC. NUSANIWE", "Camat Nusaniwe", True),
    ("Kecamatan Baguala", "KEC. BAGUALA", "Camat Baguala", True),
    ("Kecamatan Teluk Ambon", "KEC. TELUK AMBON", "Camat Teluk Ambon", True),
    ("Kecamatan Leitimur Selatan", "KEC. LEITIMUR SELATAN", "Camat Leitimur Selatan", True),
]

KELURAHAN = {
    "Kecamatan Sirimau": ["Batu Meja", "Batu Merah", "Honipopu", "Karang Panjang", "Pandan Kasturi", "Rijali"],
    "Kecamatan Nusaniwe": ["Benteng", "Kudamati", "Mangga Dua", "Nusaniwe", "Wainitu", "Waihaong"],
    "Kecamatan Baguala": ["Lateri", "Passo"],
    "Kecamatan Teluk Ambon": ["Tihu", "Wayame"],
    "Kecamatan Leitimur Selatan": [],
}

# (UMKM, owner's place, product type, [(product, price)])
SELLERS = [
    ("Mie Sagu Mama Ona", "Batu Merah", "Kuliner", [("Mie sagu goreng", 15_000), ("Mie sagu kering 500 g", 25_000)]),
    ("Bagea Kenari Hative", "Hative Kecil", "Kue kering", [("Bagea kenari", 25_000), ("Bagea sagu", 20_000)]),
    ("Kenari Salawaku", "Passo", "Camilan", [("Kenari kupas 250 g", 45_000), ("Kenari salut gula", 30_000)]),
    ("Minyak Kayu Putih Buru Asli", "Galala", "Kesehatan", [("Minyak kayu putih 60 ml", 50_000), ("Minyak kayu putih 30 ml", 30_000)]),
    ("Tenun Tanimbar Lestari", "Karang Panjang", "Kerajinan", [("Selendang tenun", 250_000), ("Dompet tenun", 75_000)]),
    ("Ikan Asap Galala", "Galala", "Olahan ikan", [("Ikan cakalang asap", 40_000), ("Ikan julung asap", 25_000)]),
    ("Sagu Lempeng Soya", "Soya", "Kuliner", [("Sagu lempeng", 10_000), ("Sagu gula", 15_000)]),
    ("Kopi Rarobang Ambon", "Mardika", "Minuman", [("Kopi rarobang", 15_000), ("Bubuk kopi rarobang", 35_000)]),
    ("Manisan Pala Banda", "Benteng", "Camilan", [("Manisan pala", 20_000), ("Sirup pala", 35_000)]),
    ("Sambal Colo-Colo Nona Ambon", "Kudamati", "Bumbu", [("Sambal colo-colo", 20_000), ("Sambal roa", 35_000)]),
    ("Kue Asida & Lapis Tepung", "Waihaong", "Kue basah", [("Kue asida", 15_000), ("Lapis tepung", 20_000)]),
    ("Roti Kenari Batu Meja", "Batu Meja", "Roti", [("Roti kenari", 20_000), ("Roti sagu", 15_000)]),
    ("Kerajinan Mutiara Laha", "Laha", "Kerajinan", [("Gelang mutiara", 150_000), ("Bros kerang", 45_000)]),
    ("Embal Kacang Kei", "Passo", "Camilan", [("Embal kacang", 15_000), ("Embal goreng", 10_000)]),
    ("Rujak Natsepa Mama Ina", "Suli", "Kuliner", [("Rujak Natsepa", 20_000)]),
    ("Papeda & Kuah Kuning Amahusu", "Amahusu", "Kuliner", [("Papeda kuah kuning", 35_000)]),
    ("Batik Ambon Kenari", "Honipopu", "Kerajinan", [("Kain batik Ambon", 175_000), ("Masker batik", 15_000)]),
    ("Kue Bagea Leitimur", "Hutumuri", "Kue kering", [("Bagea Leitimur", 20_000)]),
]

FAKER_SEED = 2022_09_07
CENTRAL_FILE = "JikuBata-Pusat.xlsx"   # the program admin's workbook: Pengaturan, Pegawai, UMKM, OPD


@dataclass
class Person:
    nip: str
    name: str
    position: str
    eselon: str          # as an office would type it
    tier: Tier
    office: str
    status: str = "Aktif"
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    email: str = ""


@dataclass
class Row:
    date: object
    nip: object
    name: str
    seller: str
    product: str
    amount: object
    receipt: str
    note: str = ""


@dataclass
class City:
    offices: list              # (name, abbreviation, head_name, head_nip, head_position, email)
    people: list[Person]
    purchases: dict[str, list[Row]] = field(default_factory=dict)  # office -> rows
    mistakes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- generation


def _nip(rng: random.Random, used: set) -> str:
    while True:
        born = dt.date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
        appointed = dt.date(born.year + rng.randint(22, 30), rng.randint(1, 12), 1)
        nip = f"{born:%Y%m%d}{appointed:%Y%m}{rng.choice('12')}{rng.randint(1, 999):03d}"
        if nip not in used:
            used.add(nip)
            return nip


def _nik(rng: random.Random, used: set, woman: bool) -> str:
    """A NIK of Kota Ambon (81.71): region, birth date DDMMYY (day + 40 for women), number."""
    while True:
        born = dt.date(rng.randint(1962, 1980), rng.randint(1, 12), rng.randint(1, 28))
        nik = f"8171{rng.randint(1, 5):02d}{born.day + (40 if woman else 0):02d}{born:%m%y}{rng.randint(1, 9999):04d}"
        if nik not in used:
            used.add(nik)
            return nik


def _office_list(count: int) -> list[tuple]:
    offices = list(OFFICES)
    extra = 1
    while len(offices) < count:  # benchmark scale: more offices than the city has
        offices.append((f"Unit Pelaksana Teknis Daerah {extra}", f"UPTD {extra}", "Kepala UPTD", False))
        extra += 1
    return offices[:count]


def build_city(*, offices: int = len(OFFICES), staff_per_office: int = 6, seed: int = 7) -> City:
    """The roster: per office a head, a secretary, heads of division and section, staff."""
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(FAKER_SEED + seed)
    used: set[str] = set()
    people: list[Person] = []
    office_rows = []

    def person(position, eselon, tier, office):
        name = fake.name()
        p = Person(_nip(rng, used), name, position, eselon, tier, office,
                   email=f"{_local_part(name)}.{len(people)}@{DEMO_MAIL_DOMAIN}")
        people.append(p)
        return p

    for name, abbr, head_title, kecamatan in _office_list(offices):
        if kecamatan:
            head = person(head_title, rng.choice(["III.a", "IIIa", "Eselon III.a"]), Tier.ESELON_III, name)
            person("Sekretaris Kecamatan", rng.choice(["III.b", "3b"]), Tier.ESELON_III, name)
            for kel in KELURAHAN.get(name, [])[:4] or ["Hutumuri", "Rutong"]:
                person(f"Lurah {kel}", rng.choice(["IV.a", "IV/a", "4a"]), Tier.ESELON_IV, name)
        else:
            head = person(f"{head_title} {name.replace('Dinas ', '').replace('Badan ', '')}"
                          if head_title.startswith("Kepala") else head_title,
                          rng.choice(["II.b", "IIb", "II/b", "Eselon II.b"]), Tier.ESELON_II, name)
            person("Sekretaris", rng.choice(["III.a", "III/a", "Eselon III.a"]), Tier.ESELON_III, name)
            for b in rng.sample(["Bidang Program", "Bidang Pelayanan", "Bidang Pengembangan", "Bidang Pengawasan"], 2):
                person(f"Kepala {b}", rng.choice(["III.b", "IIIb", "3b"]), Tier.ESELON_III, name)
            for s in rng.sample(["Subbagian Umum dan Kepegawaian", "Subbagian Keuangan", "Seksi Pendataan",
                                 "Seksi Pembinaan", "Seksi Evaluasi"], 3):
                person(f"Kepala {s}", rng.choice(["IV.a", "IV-a", "Eselon IV.b", "4b"]), Tier.ESELON_IV, name)
        for _ in range(staff_per_office):
            person(rng.choice(["Pengelola Data", "Analis Kebijakan", "Pranata Komputer", "Pengadministrasi Umum",
                               "Bendahara", "Arsiparis", "Penyuluh"]),
                   rng.choice(["Non Eselon", "Staf", "Pelaksana", "Fungsional", "-"]), Tier.NON_ESELON, name)
        office_rows.append((name, abbr, head.name, head.nip, head.position, f"{_local_part(abbr)}@{DEMO_MAIL_DOMAIN}"))

    setda = office_rows[0][0]
    # Not ASN: they have no NIP and are identified by their NIK (README: Format berkas).
    people.insert(0, Person(_nik(rng, used, woman=False), fake.name_male(), "Wali Kota Ambon", "Wali Kota",
                            Tier.WALIKOTA, setda))
    people.insert(1, Person(_nik(rng, used, woman=True), fake.name_female(), "Wakil Wali Kota Ambon",
                            "Wakil Walikota", Tier.WAKIL_WALIKOTA, setda))
    # Some rows that test the rules: leave, retirement, a new arrival.
    for p in rng.sample(people[2:], max(2, len(people) // 60)):
        p.status = rng.choice(["Cuti", "Tugas Belajar", "Pensiun"])
    return City(office_rows, people)


def add_purchases(city: City, months: list[Period], *, per_month: int = 3, until: dt.date, seed: int = 11,
                  compliance: float = 0.7) -> None:
    """Purchases per person per month: most meet their minimum, some fall short, some buy nothing."""
    rng = random.Random(seed)
    receipt = 0
    for p in city.people:
        rows = city.purchases.setdefault(p.office, [])
        minimum = DEFAULT_MINIMUMS.get(p.tier) or 20_000
        for period in months:
            last = min(period.last_day, until)
            if last < period.first_day:
                continue
            diligent = rng.random() < compliance
            count = per_month if diligent else rng.randint(0, max(1, per_month - 1))
            target = minimum if diligent else minimum // 2
            spent = 0
            for k in range(count):
                seller, _, _, products = rng.choice(SELLERS)
                product, price = rng.choice(products)
                if diligent and k == count - 1 and spent + price < target:
                    price = ((target - spent + 4999) // 5000) * 5000
                spent += price
                day = period.first_day + dt.timedelta(days=rng.randint(0, (last - period.first_day).days))
                if period.first_day <= period.jiku_bata_day(7) <= last and rng.random() < 0.5:
                    day = period.jiku_bata_day(7)  # the Jiku Bata day is busy
                receipt += 1
                rows.append(Row(day, p.nip, p.name, seller, product, price, f"JB-{day:%y%m}-{receipt:06d}"))


def sprinkle_mistakes(city: City, rng: random.Random) -> None:
    """The mistakes real offices make: each becomes a reported problem, or is read correctly."""
    offices = [o[0] for o in city.offices]
    def rows_of(i):
        return city.purchases[offices[i % len(offices)]]
    log = city.mistakes
    r = rows_of(1)[0]; r.nip = float(r.nip); log.append("NIP belanja tersimpan sebagai angka (NIP_ANGKA)")
    r = rows_of(2)[1]; r.nip = "1990" + r.nip[4:]; log.append("NIP yang tidak ada di daftar pegawai (NIP_TIDAK_TERDAFTAR)")
    r = rows_of(3)[2]; r.name = _misspelt(r.name); log.append("Nama pembeli salah eja (NAMA_TIDAK_COCOK)")
    r = rows_of(3)[3]; r.name = r.name.upper() + " S.E"
    log.append("Nama pembeli dalam huruf kapital dengan gelar: dibaca sama dengan daftar pegawai")
    r = rows_of(4)[0]; r.seller = "Warung Kopi Tanpa Nama"; log.append("UMKM yang tidak terdaftar (UMKM_TIDAK_TERDAFTAR)")
    a, b = rows_of(5)[0], rows_of(5)[1]; b.receipt, b.seller = a.receipt, a.seller; log.append("No. Nota dicatat dua kali (NOTA_GANDA)")
    r = rows_of(6)[3]; r.amount = "Rp 2O.000"; log.append("Jumlah dengan huruf O, bukan angka 0 (JUMLAH_TIDAK_VALID)")
    r = rows_of(7)[0]; r.amount = 7_500_000; r.product = "Tenun ikat (borongan)"; log.append("Transaksi sangat besar (JUMLAH_BESAR)")
    r = rows_of(8)[1]; r.date = "31/02/2026"; log.append("Tanggal yang tidak ada (TANGGAL_TIDAK_VALID)")
    r = rows_of(9)[2]; r.date = dt.date(2021, 12, 7); log.append("Tanggal sebelum program dimulai (TANGGAL_SEBELUM_PROGRAM)")
    r = rows_of(10)[0]; r.seller = ""; log.append("Baris tanpa nama UMKM (BARIS_TIDAK_LENGKAP)")
    r = rows_of(13)[1]; r.date = r.date.replace(year=2062); log.append("Tahun salah ketik 2062 (TANGGAL_MASA_DEPAN)")
    # Spellings that must be read correctly (no problem expected).
    for i, row in enumerate(rows_of(11)[:6]):
        grouped = indonesian.grouped(row.amount)
        row.amount = [f"Rp {grouped}", f"{grouped},-", f"{grouped},00", str(row.amount), f"Rp{grouped},-",
                      row.amount][i]
    for i, row in enumerate(rows_of(12)[:5]):
        d = row.date
        row.date = [indonesian.short_date(d), f"{d.day}-{d.month}-{d.year}", d.isoformat(),
                    indonesian.long_date(d), (d - dt.date(1899, 12, 30)).days][i]
    log.append("Jumlah ditulis sebagai teks (Rp 20.000, 15.000,-) dan tanggal sebagai teks/nomor seri: dibaca benar")
    p = next(p for p in city.people if p.tier is Tier.NON_ESELON)
    p.eselon = "Honorer?"; log.append("Eselon yang tidak dikenal (ESELON_TIDAK_DIKENAL)")
    p = city.people[-1]
    city.people.append(Person(p.nip, p.name, p.position, p.eselon, p.tier, p.office))
    log.append("Pegawai tercatat dua kali di daftar (NIP_GANDA)")
    p = city.people[-5]; p.nip = f"{p.nip[:8]} {p.nip[8:14]} {p.nip[14]} {p.nip[15:]}"
    log.append("NIP dengan spasi: dibaca benar")


def _misspelt(name: str) -> str:
    """The name with one letter of its first word changed, as when typed in a hurry."""
    first, _, rest = name.partition(" ")
    i = len(first) // 2
    letter = "i" if first[i].lower() != "i" else "e"
    return f"{first[:i]}{letter}{first[i + 1:]} {rest}".strip()


# ---------------------------------------------------------------- writing


def write_central(city: City, path: Path, settings: Optional[Settings] = None, *,
                  roster_elsewhere: tuple[str, ...] = ()) -> Path:
    """The central workbook; the staff of the offices in `roster_elsewhere` are in their own roster file."""
    import xlsxwriter

    settings = settings or Settings()
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True})  # no temporary file per part
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        text = wb.add_format({"num_format": "@"})
        date = wb.add_format({"num_format": "dd/mm/yyyy"})
        ws = wb.add_worksheet(schema.SHEET_SETTINGS)
        ws.write_row(0, 0, ["Pengaturan", "Nilai", "Keterangan"], bold)
        values = {"jiku_bata_day": settings.jiku_bata_day, "registered_only": "Ya",
                  "reasonable_limit": settings.reasonable_limit, **demo_letter_settings(city, path.parent)}
        for i, spec in enumerate(schema.SETTINGS, 1):
            value = values.get(spec.key, getattr(settings, spec.key))
            if isinstance(value, tuple):
                value = "; ".join(f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else v for v in value)
            elif isinstance(value, bool):
                value = "Ya" if value else "Tidak"   # as an administrator types it
            ws.write_string(i, 0, spec.label)
            (ws.write_number if isinstance(value, int) else ws.write_string)(i, 1, value)
            ws.write_string(i, 2, spec.explanation)
        row = len(schema.SETTINGS) + 2
        ws.write_row(row, 0, list(schema.TIER_TABLE_HEADERS), bold)
        for j, tier in enumerate(Tier, 1):
            ws.write_string(row + j, 0, tier.label)
            if settings.minimums[tier] is not None:
                ws.write_number(row + j, 1, settings.minimums[tier])
        ws.set_column(0, 0, 26); ws.set_column(1, 1, 48); ws.set_column(2, 2, 70)

        ws = wb.add_worksheet(schema.EMPLOYEES.name)
        ws.write_row(0, 0, schema.EMPLOYEES.headers, bold)
        for i, p in enumerate((p for p in city.people if p.office not in roster_elsewhere), 1):
            ws.write_string(i, 0, p.nip, text)
            ws.write_row(i, 1, [p.name, p.position, p.eselon, p.office, p.status])
            for j, d in ((6, p.start), (7, p.end)):
                if d:
                    ws.write_datetime(i, j, dt.datetime.combine(d, dt.time()), date)
            ws.write_string(i, 8, p.email)
        ws.set_column(0, 0, 21); ws.set_column(1, 2, 32); ws.set_column(4, 4, 40)
        ws.freeze_panes(1, 0)

        ws = wb.add_worksheet(schema.SELLERS.name)
        ws.write_row(0, 0, schema.SELLERS.headers, bold)
        from faker import Faker
        fake = Faker("id_ID"); fake.seed_instance(FAKER_SEED)
        for i, (name, place, kind, _) in enumerate(SELLERS, 1):
            ws.write_row(i, 0, [name, f"{fake.name()} ({place})", kind, fake.phone_number(), "Aktif"])
        ws.set_column(0, 1, 34)

        ws = wb.add_worksheet(schema.OFFICES.name)
        ws.write_row(0, 0, schema.OFFICES.headers, bold)
        for i, o in enumerate(city.offices, 1):
            ws.write_row(i, 0, o[:3]); ws.write_string(i, 3, o[3], text); ws.write_row(i, 4, o[4:])
        ws.set_column(0, 0, 50); ws.set_column(1, 5, 24)
        wb.close()
    return path


CREST_FILE = "lambang-contoh.png"


def demo_letter_settings(city: City, folder: Path) -> dict:
    """Letter settings of the demo: every person fictional, the signer too (the demo's own head of
    Disperindag), a fictional kop, and the project's neutral crest placeholder (never a real crest)."""
    from jikubata.tools.crest import placeholder_png

    head = next((o for o in city.offices if "Perindustrian" in o[0]), city.offices[0])
    crest = folder / CREST_FILE
    write_bytes_atomic(crest, placeholder_png())
    return {"signatory_name": f"{head[2]}, S.E., M.Si.", "signatory_rank": "Pembina Utama Muda (IV/c)",
            "signatory_nip": head[3], "office_phone": "(0911) 300000",
            "office_website": "disperindag.contoh.go.id", "office_email": f"disperindag@{DEMO_MAIL_DOMAIN}",
            "legal_basis_number": "99", "legal_basis_year": "2023", "crest_image": str(crest.resolve()),
            # Fixed-date national holidays only (Natal, Tahun Baru): the SKB's other dates change every year.
            "holidays": "25/12/2026; 01/01/2027"}


# The office whose staff come from BKPSDM's SIASN export rather than the central roster.
SIASN_OFFICE = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
SIASN_HEADERS = ["NO", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "JENIS KELAMIN",
                 "JENIS JABATAN", "JABATAN NAMA", "ESELON", "UNOR NAMA", "UNOR INDUK NAMA", "KEDUDUKAN HUKUM"]
_SIASN_ESELON = {Tier.ESELON_II: "JPT Pratama", Tier.ESELON_III: "Administrator", Tier.ESELON_IV: "Pengawas"}
_SIASN_STATUS = {"Aktif": "Aktif", "Cuti": "CLTN", "Tugas Belajar": "Tugas Belajar", "Pensiun": "Pensiun"}


def _split_titles(name: str) -> tuple[str, str, str]:
    """`drg. Ani Yulianti, S.Sos` -> ("drg.", "Ani Yulianti", "S.Sos"): SIASN keeps titles apart."""
    main, _, back = name.partition(",")
    words = main.split()
    front = []
    while len(words) > 1 and words[0].endswith("."):
        front.append(words.pop(0))
    return " ".join(front), " ".join(words), back.strip()


def write_siasn_roster(people: list[Person], path: Path) -> Path:
    """One office's staff as BKPSDM exports them from SIASN: its own headers, names in capitals."""
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"in_memory": True})  # no temporary file per part
        bold = wb.add_format({"bold": True})
        ws = wb.add_worksheet("Data PNS")
        ws.write_string(0, 0, "DAFTAR PNS — EKSPOR SIASN")
        ws.write_row(2, 0, SIASN_HEADERS, bold)
        for i, p in enumerate(people, 1):
            front, core, back = _split_titles(p.name)
            staff = p.tier is Tier.NON_ESELON
            kind = ("Jabatan Fungsional" if "Analis" in p.position or "Pranata" in p.position else "Jabatan Pelaksana") \
                if staff else "Jabatan Struktural"
            unit = p.office if "Kepala Badan" in p.position else "Sekretariat"
            ws.write_number(2 + i, 0, i)
            ws.write_string(2 + i, 1, p.nip)
            ws.write_row(2 + i, 2, ["", core.upper(), front, back, "", kind, p.position,
                                    "" if staff else _SIASN_ESELON[p.tier], unit, p.office,
                                    _SIASN_STATUS.get(p.status, p.status)])
        ws.set_column(1, 1, 21); ws.set_column(3, 3, 30); ws.set_column(8, 11, 30)
        wb.close()
    return path


def write_office_purchases(office: tuple, rows: list[Row], path: Path, *, title_rows: bool = True,
                           shuffled_columns: bool = False, sheet_name: str = schema.PURCHASES.name,
                           quantity_column: bool = False) -> Path:
    """One office's purchase workbook, as an office administrator keeps it.

    `sheet_name` and `quantity_column` (a `Jumlah` of items left of `Jumlah (Rp)`) are how some offices
    reshape the template; the reader finds the table by its headers all the same.
    """
    import xlsxwriter

    headers = schema.PURCHASES.headers + [schema.BARE_AMOUNT]
    order = list(range(len(headers) - 1))
    if shuffled_columns:  # some offices put NIP first and add their own columns
        order = [1, 2, 0, 3, 4, 5, 6, 7]
    if quantity_column:
        order.insert(order.index(5), 8)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        date = wb.add_format({"num_format": "dd/mm/yyyy"})
        money = wb.add_format({"num_format": '"Rp"#,##0'})
        ws = wb.add_worksheet(sheet_name)
        top = 0
        if title_rows:
            ws.write_string(0, 0, f"BELANJA JIKU BATA — {office[0].upper()}")
            ws.write_string(1, 0, "Diisi oleh admin OPD setiap selesai belanja di Sudut Balai Kota")
            top = 3
        for j, k in enumerate(order):
            ws.write_string(top, j, headers[k], bold)
        if shuffled_columns:
            ws.write_string(top, len(order), "Diinput oleh", bold)
        for i, r in enumerate(rows, top + 1):
            values = [r.date, r.nip, r.name, r.seller, r.product, r.amount, r.receipt, r.note, 1]
            for j, k in enumerate(order):
                v = values[k]
                if isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), date)
                elif isinstance(v, (int, float)):
                    ws.write_number(i, j, v, money if k == 5 else None)
                elif v:
                    ws.write_string(i, j, v)
            if shuffled_columns:
                ws.write_string(i, len(order), "admin")
        ws.set_column(0, 0, 12); ws.set_column(1, 1, 21); ws.set_column(2, 4, 28); ws.set_column(5, 6, 14)
        wb.close()
    return path


# One office keeps its purchases in a sheet of its own name, with a quantity column.
RESHAPED_OFFICE = 15
RESHAPED = {"sheet_name": "Pembelian", "quantity_column": True}


def write_sales_books(city: City, out_dir: Path, *, sellers: Optional[list[str]] = None,
                      differences: bool = True, seed: int = 23) -> list[Path]:
    """Each seller's own sales book (README: Rekonsiliasi): `Penjualan-<UMKM>.xlsx`, the UMKM named above the header (no
    seller column), the buyer's NIP on most lines. With `differences`, a few lines of each kind the
    reconciliation reports: claims the seller never wrote, other amounts, other receipt numbers, sales no
    office reported; receipts written in the seller's own way (`jb 2611 000012`) match all the same."""
    import xlsxwriter

    rng = random.Random(seed)
    names = sellers if sellers is not None else [s[0] for s in SELLERS]
    office_of = {p.nip: p.office for p in city.people}
    by_seller: dict[str, list[Row]] = {n: [] for n in names}
    for rows in city.purchases.values():
        for r in rows:
            if r.seller in by_seller and isinstance(r.date, dt.date) and isinstance(r.amount, int):
                by_seller[r.seller].append(r)
    paths = []
    for n, (name, rows) in enumerate(by_seller.items()):
        lines = []
        for r in sorted(rows, key=lambda r: (r.date, r.receipt)):
            receipt, amount = r.receipt, r.amount
            roll = rng.random() if differences else 1.0
            if roll < 0.004:
                continue                                    # TIDAK_ADA_DI_BUKU_PENJUAL
            if roll < 0.008:
                amount = max(1000, amount - 5000)           # BEDA_DENGAN_PENJUAL
            elif roll < 0.012:
                receipt = f"NT{r.date:%d%m}{rng.randint(100, 999)}"  # NOTA_BEDA_NOMOR
            elif roll < 0.05:
                receipt = receipt.replace("-", " ").lower()  # the seller's own way: still the same receipt
            nip = r.nip if isinstance(r.nip, str) and (not differences or rng.random() < 0.8) else ""
            lines.append((r.date, receipt, r.name, nip, office_of.get(r.nip, ""), r.product, amount))
        if differences and city.people and lines:  # sales no office reported, with the buyer's NIP
            for k in range(2):
                p = city.people[rng.randrange(len(city.people))]
                day = max(x[0] for x in lines)
                lines.append((day, f"TL-{n:02d}{k}", p.name, p.nip, p.office, "Oleh-oleh", 25_000))
        path = out_dir / f"Penjualan-{file_slug(name)}.xlsx"
        with atomic_path(path) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
            bold = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
            date = wb.add_format({"num_format": "dd/mm/yyyy"})
            ws = wb.add_worksheet(schema.SALES.name)
            ws.write_string(0, 0, f"Buku Penjualan {name}")
            ws.write_string(1, 0, "UMKM")
            ws.write_string(1, 1, name)
            for j, header in enumerate(("Tanggal", "No. Nota", "Nama Pembeli", "NIP Pembeli", "OPD Pembeli",
                                        "Produk", "Jumlah (Rp)")):
                ws.write_string(3, j, header, bold)
            for i, line in enumerate(lines, 4):
                ws.write_datetime(i, 0, dt.datetime.combine(line[0], dt.time()), date)
                for j, v in enumerate(line[1:6], 1):
                    if v:
                        ws.write_string(i, j, v)
                ws.write_number(i, 6, line[6])
            wb.close()
        paths.append(path)
    return paths


def file_slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-").replace("--", "-")


def generate(out_dir: Path, *, today: dt.date, offices: int = len(OFFICES), staff_per_office: int = 6,
             months: int = 4, per_month: int = 2, mistakes: bool = True, seed: int = 7) -> list[Path]:
    """Write the central workbook and one purchase workbook per office; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    city = build_city(offices=offices, staff_per_office=staff_per_office, seed=seed)
    periods = []
    p = Period.of(today)
    for _ in range(months):
        periods.insert(0, p)
        p = Period(p.year - 1, 12) if p.month == 1 else Period(p.year, p.month - 1)
    add_purchases(city, periods, per_month=per_month, until=today, seed=seed + 1)
    if mistakes:
        sprinkle_mistakes(city, random.Random(seed + 2))
    siasn = (SIASN_OFFICE,) if mistakes and any(o[0] == SIASN_OFFICE for o in city.offices) else ()
    paths = [write_central(city, out_dir / CENTRAL_FILE, roster_elsewhere=siasn)]
    if siasn:
        abbreviation = next(o[1] for o in city.offices if o[0] == SIASN_OFFICE)
        paths.append(write_siasn_roster([p for p in city.people if p.office == SIASN_OFFICE],
                                        out_dir / f"Pegawai-SIASN-{file_slug(abbreviation)}.xlsx"))
        city.mistakes.append(f"Pegawai {abbreviation} dari ekspor SIASN (NIP BARU, GELAR DEPAN/BELAKANG, "
                             f"JPT Pratama/Administrator/Pengawas, UNOR INDUK NAMA): dibaca benar")
    for i, office in enumerate(city.offices):
        paths.append(write_office_purchases(office, city.purchases.get(office[0], []),
                                            out_dir / f"Belanja-{file_slug(office[1])}.xlsx",
                                            title_rows=mistakes and i % 3 == 0,
                                            shuffled_columns=mistakes and i % 5 == 2,
                                            **(RESHAPED if mistakes and i == RESHAPED_OFFICE else {})))
    if mistakes:  # half the sellers keep a sales book of their own (README: Rekonsiliasi)
        half = [x[0] for x in SELLERS[::2]]
        paths += write_sales_books(city, out_dir, sellers=half)
        city.mistakes.append(f"Buku penjualan {len(half)} UMKM: beberapa nota OPD tidak ada di buku penjual, "
                             "jumlah atau nomor nota berbeda, dan penjualan kepada ASN yang tidak dilaporkan OPD "
                             "(lembar Rekonsiliasi)")
    if mistakes and RESHAPED_OFFICE < len(city.offices):
        city.mistakes.append(f"Lembar belanja {city.offices[RESHAPED_OFFICE][1]} bernama "
                             f"'{RESHAPED['sheet_name']}' dengan kolom kuantitas 'Jumlah' di samping 'Jumlah (Rp)': "
                             f"dibaca menurut judul kolomnya (KOLOM_MERAGUKAN)")
    generate.last_city = city
    return paths


# ---------------------------------------------------------------- jikubata demo


def main(out_dir: Path) -> int:
    from jikubata.entrypoints import report
    from jikubata import services

    clock = SYSTEM
    today = clock.today()
    inputs = out_dir / "masukan"
    print(f"Membuat data contoh di {inputs} …")
    paths = generate(inputs, today=today)
    city = generate.last_city
    period = Period.of(today)
    result = services.calculate([inputs], period, clock=clock)
    rosters = [p for p in paths[1:] if p.name.startswith("Pegawai-")]
    print(f"  {len(paths)} workbook: 1 workbook pusat (Pengaturan, Pegawai, UMKM, OPD), "
          f"{len(rosters)} daftar pegawai ekspor SIASN dan "
          f"{len(paths) - 1 - len(rosters)} workbook belanja OPD; {len(city.people)} pegawai, "
          f"{sum(len(r) for r in city.purchases.values())} transaksi.")
    print("  Kesalahan yang sengaja dibuat (ditemukan oleh 'jikubata periksa'):")
    for m in city.mistakes:
        print(f"   - {m}")
    print()
    print(report.result_text(result))
    print()
    outputs = [("Data masukan", inputs)]
    for label, step in _product_steps(out_dir, inputs, period, clock):
        try:
            outputs.append((label, step()))
        except Exception as exc:  # one failing part must not hide the others
            print(f"  {label}: gagal ({type(exc).__name__}: {exc})", file=sys.stderr)
    print("Hasil demo:")
    for label, where in outputs:
        print(f"  {label}: {where}")
    print(f"\nCoba juga: jikubata periksa {inputs}")
    return 0


def _product_steps(out_dir: Path, inputs: Path, period: Period, clock: Clock):
    """The rest of the product on the demo data: summary, letters, the weekly job and the month's entry forms.

    The weekly job runs for the last four Sundays in order, so its `Tren`
    sheet and email show a real trend. The entry forms are made from the
    input folder (one office's roster is a SIASN export beside the central
    workbook), as the program's admin does at the start of a month.
    """
    from jikubata import services

    def weekly_runs():
        last = services.last_full_week_end(clock.now())
        outcome = None
        for back in (3, 2, 1, 0):
            outcome = services.run_weekly([inputs], out_dir, as_of=last - dt.timedelta(weeks=back), clock=clock)
        return outcome.folder

    return [
        ("Rekap OPD", lambda: services.write_summary([inputs], out_dir / "rekap", period, clock=clock).path),
        ("Rekap tahunan", lambda: services.write_year_summary([inputs], out_dir / "rekap", period.year,
                                                              clock=clock).path),
        # Notices of the last finished month: the demo's letters do not depend on today's day of the month.
        ("Surat pemberitahuan", lambda: services.write_letters([inputs], out_dir / "surat", period.previous(),
                                                               clock=clock).letters.index_path),
        ("Rekap mingguan", weekly_runs),
        ("Formulir OPD", lambda: services.write_forms([inputs], out_dir / "formulir", period,
                                                      clock=clock).folder),
        ("Formulir penjual", lambda: services.write_seller_forms([inputs], out_dir / "formulir-penjual", period,
                                                                 clock=clock).folder),
    ]

"""Jiku Bata: the minimum monthly UMKM spend of Kota Ambon's ASN, checked and reminded."""

__version__ = "0.1.0"

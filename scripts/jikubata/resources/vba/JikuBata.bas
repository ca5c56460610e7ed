Attribute VB_Name = "JikuBata"
' Jiku Bata: the buttons of the Beranda sheet.
' Each macro runs the Python package `jikubata` through xlwings' RunPython
' (the xlwings module is embedded in this workbook; no add-in needed).
' The Python side shows its own message and never a traceback.
Option Explicit

Sub JB_PeriksaData()
    RunPython "import jikubata.excel as jb; jb.periksa_data()"
End Sub

Sub JB_HitungKekurangan()
    RunPython "import jikubata.excel as jb; jb.hitung_kekurangan()"
End Sub

Sub JB_BuatRekap()
    RunPython "import jikubata.excel as jb; jb.buat_rekap()"
End Sub

Sub JB_BuatSurat()
    RunPython "import jikubata.excel as jb; jb.buat_surat()"
End Sub

Sub JB_BuatFormulir()
    RunPython "import jikubata.excel as jb; jb.buat_formulir()"
End Sub

Sub JB_BuatDaftarTPP()
    RunPython "import jikubata.excel as jb; jb.buat_daftar_tpp()"
End Sub

Sub JB_BuatFormulirPenjual()
    RunPython "import jikubata.excel as jb; jb.buat_formulir_penjual()"
End Sub

"""Kota Malang's Perangkat Daerah, for seeding the agency list.

Source: Perda Kota Malang No. 7 Tahun 2016 as amended by Perda No. 5 Tahun
2019 (in force since early 2020); names as used by the city 2021–2025.
Admins keep the list current in the admin pages.
"""

AGENCIES = (
    ("Setda", "Sekretariat Daerah", "sekretariat"),
    ("Setwan", "Sekretariat Dewan Perwakilan Rakyat Daerah", "sekretariat"),
    ("Inspektorat", "Inspektorat Daerah", "inspektorat"),
    ("Disdikbud", "Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("Dinkes", "Dinas Kesehatan", "dinas"),
    ("DPUPRPKP", "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman", "dinas"),
    ("Satpol PP", "Satuan Polisi Pamong Praja", "satpol-pp"),
    ("Dinsos-P3AP2KB", "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana", "dinas"),
    ("Disnaker-PMPTSP", "Dinas Tenaga Kerja, Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
    ("Dispangtan", "Dinas Ketahanan Pangan dan Pertanian", "dinas"),
    ("DLH", "Dinas Lingkungan Hidup", "dinas"),
    ("Dispendukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("Dishub", "Dinas Perhubungan", "dinas"),
    ("Diskominfo", "Dinas Komunikasi dan Informatika", "dinas"),
    ("Diskopindag", "Dinas Koperasi, Perindustrian dan Perdagangan", "dinas"),
    ("Disporapar", "Dinas Kepemudaan, Olahraga dan Pariwisata", "dinas"),
    ("Dispussipda", "Dinas Perpustakaan Umum dan Arsip Daerah", "dinas"),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", "badan"),
    ("Bapenda", "Badan Pendapatan Daerah", "badan"),
    ("BKAD", "Badan Keuangan dan Aset Daerah", "badan"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    ("Bakesbangpol", "Badan Kesatuan Bangsa dan Politik", "badan"),
    ("RSUD Kota Malang", "Rumah Sakit Umum Daerah Kota Malang", "rsud"),
    ("Kec. Blimbing", "Kecamatan Blimbing", "kecamatan"),
    ("Kec. Kedungkandang", "Kecamatan Kedungkandang", "kecamatan"),
    ("Kec. Klojen", "Kecamatan Klojen", "kecamatan"),
    ("Kec. Lowokwaru", "Kecamatan Lowokwaru", "kecamatan"),
    ("Kec. Sukun", "Kecamatan Sukun", "kecamatan"),
)

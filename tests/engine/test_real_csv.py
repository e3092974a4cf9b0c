"""CSV files as teachers download them: each layout is built here (never downloaded) and read back.

Layouts: INMET hourly station export, BDMEP daily export, Excel in Portuguese with thousands
separators, Google Sheets in Portuguese, tab-separated pastes, UTF-16 "Unicode text" from Excel, the
lesson's Melbourne daily minimum temperatures, English spreadsheets, a bare column of numbers."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.csv_series import MAX_ROWS, numeric_columns, read_series, upload_task
from app.engine.problems import InputError

TEMPS = 20 + 5 * np.sin(np.arange(960) / 24 * 2 * np.pi) + np.arange(960) % 7 / 10


def comma(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def inmet_hourly() -> bytes:
    """INMET automatic station file: 8 metadata lines, ';', decimal commas, -9999 for no reading."""
    meta = [
        "REGIAO:;S",
        "UF:;RS",
        "ESTACAO:;PORTO ALEGRE",
        "CODIGO (WMO):;A801",
        "LATITUDE:;-30,05361111",
        "LONGITUDE:;-51,17472221",
        "ALTITUDE:;46,97",
        "DATA DE FUNDACAO:;22/09/00",
    ]
    header = (
        "Data;Hora UTC;PRECIPITACAO TOTAL, HORARIO (mm);"
        "PRESSAO ATMOSFERICA AO NIVEL DA ESTACAO, HORARIA (mB);"
        "TEMPERATURA DO AR - BULBO SECO, HORARIA (°C);UMIDADE RELATIVA DO AR, HORARIA (%);"
    )
    rows = []
    for i, temp in enumerate(TEMPS):
        cell = "-9999" if i in (100, 101, 102, 500, 958, 959) else comma(temp)
        day, hour = divmod(i, 24)
        rows.append(
            f"2020/{1 + day // 28:02d}/{1 + day % 28:02d};{hour:02d}00 UTC;0;"
            f"{comma(1010 + i % 5)};{cell};{70 + i % 20};"
        )
    return "\n".join([*meta, header, *rows]).encode("cp1252")  # INMET files are Windows-1252


def test_inmet_hourly_station_file() -> None:
    read = read_series(inmet_hourly())
    name = "TEMPERATURA DO AR - BULBO SECO, HORARIA (°C)"
    assert name in read.columns
    values = read.columns[name]
    assert len(values) == 958  # the two -9999 at the end are left out, not invented
    np.testing.assert_allclose(values[:100], np.round(TEMPS[:100], 1))
    # Inside gaps are interpolated between their neighbours.
    np.testing.assert_allclose(
        values[100:103], np.interp([100, 101, 102], [99, 103], np.round(TEMPS[[99, 103]], 1))
    )
    report = read.reports[name]
    assert (report.sentinels, report.dropped, report.filled, report.longest_gap) == (6, 2, 4, 3)
    assert "PRESSAO ATMOSFERICA AO NIVEL DA ESTACAO, HORARIA (mB)" in read.columns
    assert "Data" not in read.columns and "Hora UTC" not in read.columns


def bdmep_daily() -> bytes:
    meta = [
        "Nome: PORTO ALEGRE",
        "Codigo Estacao: 83967",
        "Latitude: -30.05",
        "Longitude: -51.16",
        "Altitude: 46.97",
        "Situacao: Operante",
        "Data Inicial: 2019-01-01",
        "Data Final: 2019-12-31",
        "Periodicidade da Medicao: Diaria",
        "",
    ]
    header = "Data Medicao;TEMPERATURA MEDIA COMPENSADA, DIARIA(°C);UMIDADE RELATIVA DO AR, MEDIA DIARIA(%);"
    rows = []
    for day in range(365):
        temp = "null" if day in (3, 40) else "" if day == 41 else comma(TEMPS[day], 2)
        rows.append(f"2019-{1 + day // 31:02d}-{1 + day % 31:02d};{temp};{comma(70 + day % 9, 2)};")
    return "\n".join([*meta, header, *rows]).encode("utf-8")


def test_bdmep_daily_export() -> None:
    read = read_series(bdmep_daily())
    name = "TEMPERATURA MEDIA COMPENSADA, DIARIA(°C)"
    values = read.columns[name]
    assert len(values) == 365
    assert values[0] == pytest.approx(round(TEMPS[0], 2))
    report = read.reports[name]
    assert (report.blank, report.filled, report.dropped) == (3, 3, 0)


def test_excel_in_portuguese_with_thousands_separators() -> None:
    amounts = [1234.56, 987.1, 12345.0, 1000.0, 45.5] * 10
    cells = ["1.234,56", "987,10", "12.345", "1.000,00", "45,5"] * 10
    text = "Data;Vendas (R$)\n" + "\n".join(f"{i:02d}/01/2020;{c}" for i, c in enumerate(cells))
    values = numeric_columns(text.encode("cp1252"))["Vendas (R$)"]
    np.testing.assert_allclose(values, amounts)


def test_google_sheets_export_in_portuguese() -> None:
    cells = [f'"{comma(t)}"' if i % 4 else str(round(t)) for i, t in enumerate(TEMPS[:60])]
    text = "Data,Temperatura\n" + "\n".join(f"{i:02d}/03/2021,{c}" for i, c in enumerate(cells))
    values = numeric_columns(text.encode())["Temperatura"]
    expected = [round(t, 1) if i % 4 else round(t) for i, t in enumerate(TEMPS[:60])]
    np.testing.assert_allclose(values, expected)


@pytest.mark.parametrize("decimal", [".", ","])
def test_tab_separated_paste(decimal: str) -> None:
    rows = [f"{i}\t{t:.2f}".replace(".", decimal) for i, t in enumerate(TEMPS[:50])]
    values = numeric_columns(("dia\ttemp\n" + "\n".join(rows)).encode())["temp"]
    np.testing.assert_allclose(values, np.round(TEMPS[:50], 2))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_unicode_text_from_excel(encoding: str) -> None:
    rows = [f"{i + 1:02d}/01/2022\t{comma(t)}\t{i}" for i, t in enumerate(TEMPS[:40])]
    data = ("Data\tTemperatura (°C)\tDia\r\n" + "\r\n".join(rows) + "\r\n").encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in data
    read = numeric_columns(data)
    np.testing.assert_allclose(read["Temperatura (°C)"], np.round(TEMPS[:40], 1))
    assert read["Dia"].tolist() == list(range(40))


def melbourne() -> bytes:
    """The layout of the lesson's daily-min-temperatures.csv: quoted header and dates, 3,650 rows,
    and three values written like "?0.2" as in the original file."""
    days = np.arange(3650)
    temps = 11 + 4 * np.cos(days / 365.25 * 2 * np.pi) + (days % 5) / 2
    odd = {566: "?0.2", 567: "?0.8", 1290: "?0.1"}
    rows = [
        f'"{1981 + d // 365}-{1 + d % 365 // 31:02d}-{1 + d % 31:02d}",{odd.get(d, f"{t:.1f}")}'
        for d, t in zip(days, temps, strict=True)
    ]
    return ('"Date","Temp"\n' + "\n".join(rows) + "\n").encode()


def test_melbourne_daily_minimum_temperatures() -> None:
    read = read_series(melbourne())
    values, report = read.columns["Temp"], read.reports["Temp"]
    assert len(values) == 3650  # nothing silently dropped
    # "?0.2" is not read as 0.2 nor dropped: it is reported and filled in from its neighbours.
    assert (report.unreadable, report.filled, report.example) == (3, 3, "?0.2")
    assert 0.5 < values[566] < 16 and values[566] == pytest.approx(
        values[565] + (values[568] - values[565]) / 3
    )
    task = upload_task(values, 30)
    assert task.x_train.shape[1] == 30
    # The DataMarket export of the same data ends with a blank line and a line of text: both are
    # left out (they come after the last number), and the report says so.
    footer = melbourne() + b"\nDaily minimum temperatures in Melbourne, Australia, 1981-1990\n"
    read = read_series(footer)
    assert len(read.columns["Temp"]) == 3650 and read.reports["Temp"].dropped == 2


def test_english_spreadsheet_with_thousands_and_a_bare_column() -> None:
    cells = ['"1,234.5"', "987.25", '"12,000.75"'] * 12
    values = numeric_columns(
        ("id,amount\n" + "\n".join(f"{i},{c}" for i, c in enumerate(cells))).encode()
    )
    np.testing.assert_allclose(values["amount"], [1234.5, 987.25, 12000.75] * 12)
    bare = numeric_columns("\n".join(f"{t:.3f}" for t in TEMPS[:45]).encode())
    np.testing.assert_allclose(next(iter(bare.values())), np.round(TEMPS[:45], 3))


def test_missing_markers_are_counted_and_never_silently_change_the_length() -> None:
    markers = ["", "NA", "NaN", "null", "-9999"]
    cells = [
        markers[i // 10] if i % 10 == 5 and i < 50 else f"{t:.1f}"
        for i, t in enumerate(TEMPS[:100])
    ]
    read = read_series(("t\n" + "\n".join(cells)).encode())
    report = read.reports["t"]
    assert (report.blank, report.sentinels, report.filled, report.dropped) == (4, 1, 5, 0)
    assert len(read.columns["t"]) == 100


def test_a_comma_in_a_dot_decimal_column_is_reported_not_read_as_thousands() -> None:
    cells = [f"{t:.1f}" for t in TEMPS[:60]]
    cells[10] = "21,5"
    report = read_series(("t\n" + "\n".join(cells)).encode()).reports["t"]
    assert report.unreadable == 1 and report.example == "21,5"


def test_too_many_gaps_too_many_rows_and_no_table_are_refused_with_what_to_change() -> None:
    gappy = "t\n" + "\n".join("-9999" if i % 3 == 0 else "20,5" for i in range(90))
    with pytest.raises(InputError) as refused:
        read_series(gappy.encode())
    assert refused.value.problems[0].key == "problem.csv_gaps"
    assert refused.value.problems[0].values["missing"] == 30
    long = ("t\n" + "1\n" * (MAX_ROWS + 200)).encode()
    with pytest.raises(InputError) as refused:
        read_series(long)
    assert refused.value.problems[0].key == "problem.csv_rows"
    with pytest.raises(InputError) as refused:
        upload_task(np.arange(90_000, dtype=float), 200)
    assert refused.value.problems[0].key == "problem.csv_window_memory"
    with pytest.raises(InputError) as refused:
        read_series(b'a\n"' + b"x" * 200_000 + b"\n")
    assert refused.value.problems[0].key in {"problem.csv_table", "problem.csv_numbers"}

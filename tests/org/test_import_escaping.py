"""One problem, one line: values quoted from an import file show newlines and control characters
escaped, so the CLI's ``FILE:LINE: message`` output (INTERFACES.md) never splits a problem."""

import re

import pytest

from kinerja.org import imports
from kinerja.org.imports import Problem, escape_controls

UNITS = "code,name,parent_code,level,region,kind,timezone\n"
EMPLOYEES = "nip,name,status,jenjang,jf_name,golongan,unit_code,is_head,email\n"
ACTING = "nip,unit_code,kind,start,end\n"

FILES = {
    "units": UNITS + 'A,Unit A,BKKBN,"ESELON\nII",PUSAT,,\n'
                     'B,"Unit\r\nB",BKKBN,ESELON_II,"PUS\tAT",,"Asia/\nJakarta"\n',
    "employees": EMPLOYEES + '"1980\n0101",Budi,"P\nNS",PELAKSANA,,III/a,"BK\nKBN",0,"a\n@b.c"\n',
    "acting": ACTING + '"1980\n0101",BKKBN,"P\u2028LT","2026-01-\n01",2026-02-01\n'
                       '198001010000000001,"X\x1bY",PLT,2026-01-01,2026-02-01\n',
}


@pytest.mark.parametrize(("value", "shown"), [
    ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("a\tb", "a\\tb"), ("\x00\x1b\x7f\x85", "\\x00\\x1b\\x7f\\x85"),
    ("a\u2028b\u2029", "a\\u2028b\\u2029"), ("Jl. Merdeka \\ 5 é → “x”", "Jl. Merdeka \\ 5 é → “x”"),
])
def test_escape_controls_shows_control_characters_and_keeps_the_rest(value, shown):
    assert escape_controls(value) == shown


def test_a_problem_message_is_always_one_line():
    assert Problem(3, 'level "X\nY" tidak dikenal').message == 'level "X\\nY" tidak dikenal'


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_cli_problem_is_one_line_file_line_message(runner, tmp_path, make_unit, kind):
    make_unit("BKKBN", "BADAN")
    path = tmp_path / f"{kind}.csv"
    path.write_text(FILES[kind], encoding="utf-8", newline="")
    expected = imports.check_import(kind, path.read_bytes()).errors
    result = runner.invoke(args=[f"import-{kind}", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected) >= 2
    pattern = re.compile(rf"^{re.escape(str(path))}:\d+: \S")
    assert [line for line in lines if not pattern.match(line)] == []
    assert any("\\n" in line for line in lines)


def test_a_header_with_a_newline_is_one_line(runner, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text('"co\nde",name,parent_code,level,region,kind,timezone\n', encoding="utf-8", newline="")
    result = runner.invoke(args=["import-units", str(path)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{path}:1: kepala kolom harus persis") and "co\\nde" in line


def test_a_file_name_with_a_newline_is_shown_escaped(runner, tmp_path):
    path = tmp_path / "unit\nbaru.csv"
    path.write_text("salah\n", encoding="utf-8")
    result = runner.invoke(args=["import-units", str(path)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(str(tmp_path) + "/unit\\nbaru.csv:1: ")

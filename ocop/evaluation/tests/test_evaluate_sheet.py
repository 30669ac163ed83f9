"""`ocop evaluate-sheet --set N --json FILE` (SPEC §5.6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ocop.evaluation.criteria import load_sheet

from .helpers import best_choices, lowered

KEYS = ["average", "parts", "band_stars", "stars", "held_back_by", "spread_blocked"]
OCOP = Path(sys.executable).parent / "ocop"


def write(tmp_path, data, name="sheet.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def council_74(tmp_path):
    """Set 1: three members at 74, 74 and 73 points, A3.e (4★ criterion mark) unscored by all.

    Each starts from 100 and loses A3.e (−2), B4.b, B4.c, B5.a (−13) and C6.c, C6.d, C9.b, C7.a (−11):
    A 38, B 12, C 24 = 74; the third also loses A1.e (−1): A 37 → 73."""
    sheet = load_sheet(1)
    best = best_choices(sheet)
    base = lowered(sheet, best, B4_b=0, B4_c=0, B5_a=0, C6_c=0, C6_d=0, C9_b=0, C7_a=0)
    del base["A3.e"]
    members = [base, base, lowered(sheet, base, A1_e=0)]
    return write(tmp_path, {"set": 1, "members": members})


def run_command(*args):
    out, err = StringIO(), StringIO()
    call_command("evaluate_sheet", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_call_command_prints_the_contract(tmp_path):
    out, _ = run_command("--set", "1", "--json", str(council_74(tmp_path)))
    data = json.loads(out)
    assert list(data) == KEYS
    assert list(data["parts"]) == ["A", "B", "C"]
    # 221 / 3 = 73.666… → 73.67; A (38 + 38 + 37) / 3 = 37.666… → 37.67
    assert data == {
        "average": 73.67,
        "parts": {"A": 37.67, "B": 12.0, "C": 24.0},
        "band_stars": 4,
        "stars": 3,
        "held_back_by": ["A3.e"],
        "spread_blocked": False,
    }
    assert '"average": 73.67' in out
    assert '"B": 12.00' in out  # averages always carry 2 decimals
    assert out.count("\n") <= 1


def test_call_command_spread_and_five_stars(tmp_path):
    sheet = load_sheet(1)
    best = best_choices(sheet)
    path = write(tmp_path, {"set": 1, "members": [best, lowered(sheet, best, B5_a=0, A1_a=1, A1_e=0)]})
    data = json.loads(run_command("--set", "1", "--json", str(path))[0])
    assert data["average"] == 95.0
    assert (data["band_stars"], data["stars"], data["spread_blocked"]) == (5, 5, True)


def test_flagged_sheet_warns_on_stderr_but_succeeds(tmp_path):
    sheet = load_sheet(12)
    path = write(tmp_path, {"set": 12, "members": [best_choices(sheet)]})
    out, err = run_command("--set", "12", "--json", str(path))
    assert json.loads(out)["average"] == 97.0
    assert "cần rà soát" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Không tìm thấy tệp"),
        ("{not json", "không phải JSON"),
        ('{"set": 2, "members": [{"A1.a": 1}]}', "khác với --set 1"),
        ('{"set": 1, "members": []}', "Thiếu phiếu chấm"),
        ('{"set": 1}', "Thiếu phiếu chấm"),
        ('{"set": 1, "members": [{"A1.a": 1}, {"X9.z": 1}]}', "Thành viên 2: Mã tiêu chí 'X9.z'"),
        ('{"set": 1, "members": [{"A1.a": 7}]}', "A1.a: phương án 7 không hợp lệ"),
        ('{"set": 1, "members": [[1, 2]]}', "thành viên 1"),
        ("[1]", "đối tượng"),
    ],
)
def test_bad_input_is_a_command_error(tmp_path, content, message):
    path = tmp_path / "missing.json" if content is None else write(tmp_path, content)
    with pytest.raises(CommandError, match=message):
        run_command("--set", "1", "--json", str(path))


def test_unknown_set_is_refused(tmp_path):
    path = write(tmp_path, {"set": 27, "members": [{}]})
    with pytest.raises(CommandError, match="27"):
        run_command("--set", "27", "--json", str(path))


def run_cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # the CLI's own default
    return subprocess.run(
        [str(OCOP), "evaluate-sheet", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_prints_exact_keys(tmp_path):
    proc = run_cli("--set", "1", "--json", str(council_74(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == KEYS
    assert (data["band_stars"], data["stars"], data["held_back_by"]) == (4, 3, ["A3.e"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Không tìm thấy tệp"),
        ('{"set": 2, "members": [{}]}', "khác với --set 1"),
        ('{"set": 1, "members": [{"A1.a": 9}]}', "A1.a"),
        ('{"set": 1, "members": []}', "Thiếu phiếu chấm"),
    ],
)
def test_cli_bad_input_exits_non_zero(tmp_path, content, message):
    path = tmp_path / "missing.json" if content is None else write(tmp_path, content)
    proc = run_cli("--set", "1", "--json", str(path))
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert message in proc.stderr

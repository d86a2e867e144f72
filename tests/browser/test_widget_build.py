"""The widgets add-on as the SDK loads it: one module per widget type, shared code in
chunks so no widget carries another's, one stylesheet; and its unit tests and type check."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

pytest_plugins = ["tests.browser.widget_harness"]

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"
MODULES = ["tour", "checklist", "announcement", "hotspot", "resource_center", "survey"]


def npm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [shutil.which("npm") or "npm", *args],
        check=False,
        cwd=WIDGETS,
        capture_output=True,
        text=True,
    )


def test_build_writes_one_module_per_widget_type_and_one_stylesheet(widgets_dist: Path) -> None:
    assert sorted(path.name for path in widgets_dist.glob("*.js")) == sorted(
        f"{m}.js" for m in MODULES
    )
    assert [path.name for path in widgets_dist.glob("*.css")] == ["widgets.css"]


def imports_of(module: Path) -> set[str]:
    return set(re.findall(r'from"\./(chunks/[\w-]+\.js)"', module.read_text()))


def test_widgets_import_only_shared_chunks_never_each_other(widgets_dist: Path) -> None:
    for module in MODULES:
        text = (widgets_dist / f"{module}.js").read_text()
        assert not re.search(r'from"\./(?!chunks/)', text), module
        assert imports_of(widgets_dist / f"{module}.js") <= {
            f"chunks/{chunk.name}" for chunk in (widgets_dist / "chunks").iterdir()
        }


def test_survey_code_stays_out_of_the_tour_module(widgets_dist: Path) -> None:
    tour = (widgets_dist / "tour.js").read_text()
    chunks = "".join(
        (widgets_dist / name).read_text() for name in imports_of(widgets_dist / "tour.js")
    )
    assert "Survey Responded" not in tour + chunks
    assert "Survey Responded" in (widgets_dist / "survey.js").read_text()


def test_pure_modules_pass_their_unit_tests() -> None:
    result = npm("test", "--silent")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"^# fail 0$", result.stdout, re.MULTILINE)


def test_sources_and_tests_type_check_strictly() -> None:
    result = npm("run", "typecheck", "--silent")
    assert result.returncode == 0, result.stdout + result.stderr

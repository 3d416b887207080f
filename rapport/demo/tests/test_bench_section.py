import importlib.util
from pathlib import Path

COMMON = Path(__file__).resolve().parents[3] / "benchmarks" / "common.py"


def load_common():
    spec = importlib.util.spec_from_file_location("bench_common", COMMON)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_replaces_only_its_own_section(tmp_path, monkeypatch):
    common = load_common()
    monkeypatch.setattr(common, "REPORT", tmp_path / "benchmarks.md")
    start, end = "<!-- bench:demo:start -->", "<!-- bench:demo:end -->"
    other = "<!-- bench:import:start -->\n## Import\nkept\n<!-- bench:import:end -->"
    common.REPORT.write_text(
        f"# Benchmarks\n\n{start}\n## Demo generation\nold\n{end}\n\n{other}\n"
    )
    common.write_section("demo", "## Demo generation\nnew")
    updated = common.REPORT.read_text()
    assert "new" in updated and "old" not in updated
    assert other in updated
    assert updated.count(start) == 1


def test_the_benchmark_appends_its_section_when_missing(tmp_path, monkeypatch):
    common = load_common()
    monkeypatch.setattr(common, "REPORT", tmp_path / "benchmarks.md")
    common.write_section("demo", "## Demo generation")
    assert common.REPORT.read_text().startswith("# Benchmarks")
    common.REPORT.write_text("# Benchmarks\n\nsomething else\n")
    common.write_section("demo", "## Demo generation")
    assert common.REPORT.read_text().startswith(
        "# Benchmarks\n\nsomething else\n\n<!-- bench:demo:start -->\n## Demo generation\n\n_Measured"
    )

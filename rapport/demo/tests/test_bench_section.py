import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_demo.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_demo", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_replaces_only_its_own_section():
    bench = load_bench()
    other = "<!-- bench:import:start -->\n## Import\nkept\n<!-- bench:import:end -->"
    text = f"# Benchmarks\n\n{bench.START}\n## Demo generation\nold\n{bench.END}\n\n{other}\n"
    updated = bench.replace_section(text, "## Demo generation\nnew")
    assert "new" in updated and "old" not in updated
    assert other in updated
    assert updated.count(bench.START) == 1


def test_the_benchmark_appends_its_section_when_missing():
    bench = load_bench()
    assert bench.replace_section("", "## Demo generation").startswith("# Benchmarks")
    updated = bench.replace_section("# Benchmarks\n\nsomething else\n", "## Demo generation")
    assert updated.startswith("# Benchmarks\n\nsomething else\n\n" + bench.START)

import subprocess
import sys


def test_the_engine_imports_without_loading_django():
    code = (
        "import sys, pkgutil, importlib, rapport.engine as e\n"
        "for m in pkgutil.walk_packages(e.__path__, 'rapport.engine.'):\n"
        "    importlib.import_module(m.name)\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"

"""Install llama.cpp's Hugging Face -> GGUF converter into the environment, matching the installed llama-cpp-python.

    .venv/bin/python scripts/fetch_gguf_converter.py      # run by `make setup`; does nothing when already there

chatforge writes GGUF itself only for Llama models (models/gguf_write.py); the default Gemma 3 and
other architectures need llama.cpp's `convert_hf_to_gguf.py`, which no wheel ships. llama-cpp-python's
source distribution vendors the llama.cpp it was built from, so this fetches that sdist with pip (the
version installed, from pip's cache when it is there) and extracts `convert_hf_to_gguf.py`, its
`conversion/` package and `gguf-py/` (the gguf library of the same llama.cpp, which the converter puts
first on its path) into `<venv>/share/chatforge/llama.cpp/`, where models/export.py looks. Export and
eval then convert without internet at run time. Prints one line saying what it did.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TARGET = Path(sys.prefix) / "share" / "chatforge" / "llama.cpp"
WANTED = ("convert_hf_to_gguf.py", "conversion/", "gguf-py/")


def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("llama-cpp-python")
    except PackageNotFoundError:
        sys.exit("llama-cpp-python is not installed: install chatforge first (make setup)")


def main() -> None:
    ver = installed_version()
    stamp = TARGET / "VERSION"
    if stamp.is_file() and stamp.read_text().strip() == ver and (TARGET / "convert_hf_to_gguf.py").is_file():
        print(f"GGUF converter of llama-cpp-python {ver} already in {TARGET}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        # --no-binary: the source distribution (the wheel has no converter); --no-deps: only this one file
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-binary",
                ":all:",
                "--no-deps",
                f"llama-cpp-python=={ver}",
                "-d",
                tmp,
            ],
            check=True,
        )
        sdist = next(Path(tmp).glob("llama_cpp_python-*.tar.gz"))
        prefix = f"{sdist.name[: -len('.tar.gz')]}/vendor/llama.cpp/"
        with tarfile.open(sdist) as tar:
            members = [
                m
                for m in tar.getmembers()
                if m.name.startswith(prefix) and m.name[len(prefix) :].startswith(WANTED) and (m.isfile() or m.isdir())
            ]
            if not any(m.name.endswith("/convert_hf_to_gguf.py") for m in members):
                sys.exit(f"{sdist.name} holds no vendor/llama.cpp/convert_hf_to_gguf.py")
            for m in members:
                m.name = m.name[len(prefix) :]
            TARGET.mkdir(parents=True, exist_ok=True)
            tar.extractall(TARGET, members=members, filter="data")
    stamp.write_text(ver + "\n")
    print(f"GGUF converter of llama-cpp-python {ver} installed in {TARGET}")


if __name__ == "__main__":
    main()

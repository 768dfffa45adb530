"""A signal whose exception Python swallowed still stops the build before it commits a file."""

from __future__ import annotations

import gc
import signal
from pathlib import Path

import pytest

from bulletin_kit import interrupts, outputs


@pytest.fixture(autouse=True)
def no_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interrupts, "_pending", None)


def test_no_signal_commits(tmp_path: Path) -> None:
    outputs.atomic_write_bytes(tmp_path / "a.pdf", b"%PDF")
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_signal_swallowed_in_a_destructor_still_stops_the_commit(tmp_path: Path) -> None:
    class Freed:  # as WeasyPrint's cffi objects: freed by a __del__ / weakref callback
        def __del__(self) -> None:
            interrupts.on_signal(signal.SIGTERM, None)  # Python drops what this raises

    dest = tmp_path / "2018-28.pdf"

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"%PDF-1.7 whole file")
        Freed()  # the handler runs here; its exception is printed as "Exception ignored"
        gc.collect()

    with pytest.raises(interrupts.Interrupted) as raised:
        outputs.atomic_write(dest, write)
    assert raised.value.signum == signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither the file nor its temporary

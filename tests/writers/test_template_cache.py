"""The compiled HTML/CSS templates kept in the user's cache folder (writers/template_cache.py)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from bulletin_kit import user_cache
from bulletin_kit.writers import html, sandbox, template_cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "bulletin-kit" / template_cache.FOLDER


def _environment(templates: Path, **options: object) -> jinja2.Environment:
    env = sandbox.html_environment(jinja2.FileSystemLoader(templates), autoescape=True, **options)
    env.filters["t"] = html.text_run
    template_cache.install(env)
    return env


def _compiles(env: jinja2.Environment, name: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Load template ``name`` in ``env`` and return whether Jinja compiled it from source."""
    calls: list[str] = []
    compile_ = env.compile

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(name)
        return compile_(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(env, "compile", counting)
    env.get_template(name)
    return bool(calls)


def _templates(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "a.html.j2").write_text(text, encoding="utf-8")
    return folder


def test_second_process_loads_the_compiled_template_and_renders_the_same(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = _templates(tmp_path, "<p>{{ x | t }}</p>{% for i in items %}{{ i }}{% endfor %}\n")
    first = _environment(templates)
    assert _compiles(first, "a.html.j2", monkeypatch)
    assert len(list(cache_home.glob("*.jinja"))) == 1
    fresh = _environment(templates)  # as a new process: a new environment with an empty memory cache
    assert not _compiles(fresh, "a.html.j2", monkeypatch)
    context = {"x": "共5个<b>", "items": [1, 2]}
    assert fresh.get_template("a.html.j2").render(context) == first.get_template("a.html.j2").render(context)


def test_changed_source_or_options_are_compiled_again(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = _templates(tmp_path, "{{ x }}\n")
    assert _compiles(_environment(templates), "a.html.j2", monkeypatch)
    _templates(tmp_path, "[{{ x }}]\n")
    changed = _environment(templates)
    assert _compiles(changed, "a.html.j2", monkeypatch)
    assert changed.get_template("a.html.j2").render(x=1) == "[1]"
    # the same source under other whitespace options compiles to other code: not the same entry
    assert _compiles(_environment(templates, trim_blocks=True), "a.html.j2", monkeypatch)
    # the new source replaced the old entry; the other options have their own
    assert len(list(cache_home.glob("*.jinja"))) == 2


def test_corrupt_entries_are_ignored(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = _templates(tmp_path, "{{ x }}!\n")
    _environment(templates).get_template("a.html.j2")
    (entry,) = cache_home.glob("*.jinja")
    data = entry.read_bytes()
    for broken in (b"", data[:40], data[:-20], b"\x80\x04garbage" + data, data.replace(b"\xe3", b"\x00")):
        entry.write_bytes(broken)
        env = _environment(templates)
        assert env.get_template("a.html.j2").render(x=2) == "2!"


def test_unsafe_or_unwritable_folder_is_not_used(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home.mkdir(parents=True)
    cache_home.chmod(0o777)  # writable by others: never trusted
    assert user_cache.folder(template_cache.FOLDER) is None
    templates = _templates(tmp_path, "{{ x }}\n")
    env = _environment(templates)
    assert env.bytecode_cache is None
    assert env.get_template("a.html.j2").render(x=3) == "3"
    # a file where the folder should be: no cache either, and no error
    cache_home.chmod(0o700)
    cache_home.rmdir()
    cache_home.write_text("not a folder")
    assert user_cache.folder(template_cache.FOLDER) is None


def test_unwritable_folder_renders_without_writing(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only folder, as a PermissionError from the file system (the tests run as root, whom
    # chmod does not stop).
    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    cache_home.mkdir(parents=True)
    monkeypatch.setattr(user_cache.tempfile, "mkstemp", refused)
    templates = _templates(tmp_path, "{{ x }}\n")
    assert _environment(templates).get_template("a.html.j2").render(x=4) == "4"
    assert _environment(templates).get_template("a.html.j2").render(x=5) == "5"
    assert [p for p in cache_home.rglob("*") if p.is_file()] == []


def test_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert user_cache.base_folder() == Path.home() / ".cache" / "bulletin-kit"


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    assert user_cache.write_atomic(target, b"one")
    assert user_cache.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]
    assert not user_cache.write_atomic(tmp_path / "missing" / "entry", b"x")


def test_bundled_templates_render_the_same_from_the_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bulletin_kit import pipeline
    from bulletin_kit.theme import get_theme

    issue, _ = pipeline.read(Path(__file__).resolve().parents[2] / "issues" / "2018-28.yaml")
    assert issue is not None
    theme = get_theme(issue.layout.theme)
    html.environment.cache_clear()
    try:
        compiled = html.render(issue, theme)
        assert len(list(cache_home.glob("*.jinja"))) == 2  # the HTML and the CSS template
        html.environment.cache_clear()
        env = html.environment()
        assert not _compiles(env, html.HTML_TEMPLATE, monkeypatch)
        assert not _compiles(env, html.CSS_TEMPLATE, monkeypatch)
        assert html.render(issue, theme) == compiled
    finally:
        html.environment.cache_clear()


def test_cached_code_still_runs_in_the_sandbox(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = _templates(tmp_path, "{{ x.__class__.__mro__ }}\n")
    for _ in range(2):  # compiled, then from the cache
        env = _environment(templates)
        with pytest.raises(jinja2.exceptions.SecurityError):
            env.get_template("a.html.j2").render(x="")
    assert not _compiles(_environment(templates), "a.html.j2", monkeypatch)


def test_no_home_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert user_cache.folder(template_cache.FOLDER) is None

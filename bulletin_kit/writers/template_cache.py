"""Our compiled HTML/CSS templates kept between runs: Jinja's bytecode cache, in the user's cache folder.

Input: the sandboxed environment of :func:`bulletin_kit.writers.html.environment`. Output: that
environment's ``bytecode_cache`` set to a :class:`TemplateBytecodeCache` in
``~/.cache/bulletin-kit/templates`` (:mod:`bulletin_kit.user_cache`).

What it saves. A new process compiled ``bulletin.html.j2`` and ``bulletin.css.j2`` from source on
every ``bulletin build`` (lexing, parsing, generating and compiling Python): about 33 ms of every cold
PDF build (median of 5 new processes, 2-core machine: 32–45 ms compiling, 0.8–5 ms loading the
cached code). A warm process (``watch``) keeps its templates in memory and is unaffected.

When an entry is used. Jinja reads the template's source on every load and the entry is used only if
it was compiled from exactly that source (SHA-1 of the source, checked by Jinja), and its file name is a
hash of everything else that goes into the compiled code: the template's name and path, the Jinja and
Python versions, the environment's class (the sandbox), its syntax and whitespace options, autoescaping
for that template, its filters and tests, and the bulletin-kit version. An unreadable, corrupt or
foreign entry is a miss (the template is compiled from source, as without a cache); a failed write is
ignored. The entry holds only ``marshal`` data of one code object, never a pickle.

Why it is as safe as Python's own ``__pycache__``. The compiled code is what Jinja would compile from
our own bundled templates (only :func:`html.environment` uses this cache; the Word templates that users
supply are checked tag by tag by :class:`~bulletin_kit.writers.sandbox.DocxSandbox` and are never
cached). The sandbox is not in the cached code but in the environment that runs it: attribute access
and calls in the compiled template go through the environment's checks whether or not it came from the
cache. The folder is used only if it is ours and not writable by anyone else
(:func:`bulletin_kit.user_cache.folder`); whoever can write to it can already change the user's
start-up files or user site-packages, which Python trusts in the same way.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import types
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache, bc_magic

from .. import __version__, user_cache

FOLDER = "templates"
_MAGIC = b"bulletin-kit template 1\n" + bc_magic


class TemplateBytecodeCache(BytecodeCache):
    """Jinja's compiled templates of ``env`` as ``<hash>.jinja`` files in ``folder``."""

    def __init__(self, folder: Path, env: jinja2.Environment) -> None:
        self.folder = folder
        self.env = env

    def fingerprint(self, name: str) -> str:
        """Return what, besides the source, decides the code Jinja compiles for template ``name``."""
        env = self.env
        autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        parts = (
            __version__,
            jinja2.__version__,
            sys.version,
            f"{type(env).__module__}.{type(env).__qualname__}",
            env.sandboxed,
            env.optimized,
            env.is_async,
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
            env.finalize is None,
            sorted(env.extensions),
            sorted(env.filters),
            sorted(env.tests),
            bool(autoescape),
        )
        return repr(parts)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """Return the entry's file name stem: a hash of the template's name, path and :meth:`fingerprint`."""
        text = repr((name, filename, self.fingerprint(name)))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def _header(self, bucket: Bucket) -> bytes:
        return _MAGIC + b"\n" + bucket.checksum.encode("ascii") + b"\n"

    def load_bytecode(self, bucket: Bucket) -> None:
        """Give ``bucket`` the cached code if the entry is there, intact and for the same source."""
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        header = self._header(bucket)
        if not data.startswith(header):
            return
        try:
            code = marshal.loads(data[len(header) :])
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store the code Jinja just compiled (silently nothing if the folder is not writable)."""
        if bucket.code is not None:
            user_cache.write_atomic(self._path(bucket), self._header(bucket) + marshal.dumps(bucket.code))


def install(env: jinja2.Environment) -> None:
    """Give ``env`` the bytecode cache, if the user's cache folder can be used."""
    folder = user_cache.folder(FOLDER)
    if folder is not None:
        env.bytecode_cache = TemplateBytecodeCache(folder, env)

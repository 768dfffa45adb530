#!/usr/bin/env bash
# 一键安装 bulletin-kit 所需的一切（可重复运行，第二次很快）。
# Sets up everything bulletin-kit needs on a fresh Debian machine; idempotent.
#   bash scripts/setup.sh          runtime: system packages, fonts, .venv with pinned deps
#   bash scripts/setup.sh --dev    also the test/lint tools (requirements-dev.lock)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1

SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# ---- 1. system packages -------------------------------------------------
# fonts-noto-cjk: Noto Serif/Sans CJK SC (last fallback, covers GBK rarities)
# libharfbuzz-subset0: WeasyPrint subsets CJK fonts 35x faster with it
# libpango-1.0-0 libpangoft2-1.0-0: WeasyPrint's text layout
# poppler-utils: pdftoppm/pdftotext for tests; libreoffice-writer-nogui: opens the .docx in tests
# chromium: headless screenshots of the bulletin watch preview page in tests
APT_PKGS=(python3 python3-venv fontconfig fonts-noto-cjk fonts-liberation
          libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
if [[ "$DEV" == "1" ]]; then APT_PKGS+=(libreoffice-writer-nogui chromium); fi

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  say "安装系统软件包 / installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. Fandol fonts (仿宋/楷体/宋体/黑体 free substitutes) -----------------
# Debian ships them only inside texlive-lang-chinese; take just fandol/*.otf.
FONT_DIR=/usr/local/share/fonts/bulletin-kit-fandol
if ! ls "$FONT_DIR"/FandolFang-Regular.otf >/dev/null 2>&1; then
  say "安装 Fandol 字体 / installing Fandol fonts into $FONT_DIR"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  ( cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1 ) || {
    $SUDO apt-get update -qq
    ( cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null )
  }
  dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  $SUDO mkdir -p "$FONT_DIR"
  # Only the regular faces: the Bold files declare weight 400 too (fontconfig weight 80), so
  # fontconfig would pick FandolHei-Bold for plain 黑体; Braille is not needed.
  for f in FandolFang-Regular FandolKai-Regular FandolHei-Regular FandolSong-Regular; do
    find "$tmp/x" -path '*fandol*' -name "$f.otf" -exec $SUDO cp {} "$FONT_DIR"/ \;
  done
  $SUDO fc-cache -f "$FONT_DIR" >/dev/null
fi
if ls "$FONT_DIR"/*-Bold.otf "$FONT_DIR"/FandolBraille* >/dev/null 2>&1; then  # left by an older setup
  $SUDO rm -f "$FONT_DIR"/*-Bold.otf "$FONT_DIR"/FandolBraille*
  $SUDO fc-cache -f "$FONT_DIR" >/dev/null
fi

# ---- 3. Python virtual environment with pinned dependencies -------------
PY="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  say "创建 .venv / creating .venv"
  "$PY" -m venv .venv
fi
lock=requirements.lock
[[ "$DEV" == "1" ]] && lock=requirements-dev.lock
stamp=".venv/.installed-$(sha256sum "$lock" pyproject.toml | sha256sum | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  say "安装 Python 依赖 / installing pinned Python packages from $lock"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$lock" 2>&1 | { grep -v "^WARNING: Location" || true; }
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
    || .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# Bytecode of bulletin-kit itself: an editable install compiles nothing, and with
# PYTHONDONTWRITEBYTECODE set Python never caches it, so every command compiled the package from
# source (about 0.1 s CPU of a cold `bulletin build`). Stale files are ignored by Python (mtime check).
.venv/bin/python -m compileall -q bulletin_kit >/dev/null || true
# Map the office font names to the free substitutes for LibreOffice (the .docx names 仿宋_GB2312 etc.;
# a real office font, when installed, still wins: the rules append).
conf=/etc/fonts/conf.d/60-bulletin-kit.conf
aliases="$(.venv/bin/python -m bulletin_kit.fonts --fontconfig)"
if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$aliases" ]]; then
  say "安装字体别名 / installing font aliases into $conf"
  printf '%s\n' "$aliases" | $SUDO tee "$conf" >/dev/null
fi

# JSON Schema for VS Code's YAML extension (issue files point to ../schema/issue.schema.json)
mkdir -p schema
.venv/bin/bulletin schema -o schema/issue.schema.json >/dev/null
say "完成 / ready: $ROOT/.venv/bin/bulletin"

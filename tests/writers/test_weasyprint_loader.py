"""weasyprint_loader: the presentational-hints stylesheet is parsed only when a document uses it."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from bulletin_kit.writers import weasyprint_loader
weasyprint = weasyprint_loader.load()
import weasyprint.html as html
prefix = "" if hasattr(html, "PH_STYLESHEET") else "HTML5_"  # WeasyPrint 70, 68
deferred = getattr(html, prefix + "PH_STYLESHEET")
assert isinstance(deferred, weasyprint_loader._DeferredStylesheet), type(deferred)
assert getattr(weasyprint, prefix + "PH_STYLESHEET") is deferred and not deferred.parsed
assert type(getattr(html, prefix + "UA_STYLESHEET")) is weasyprint.CSS and html.CSS is weasyprint.CSS
assert not any(isinstance(f, weasyprint_loader._HtmlModuleFinder) for f in sys.meta_path)

def text_x(hints):
    page = '<body style="margin:0"><p align="right" style="width:100px">x</p>'
    document = weasyprint.HTML(string=page).render(presentational_hints=hints)
    paragraph = document.pages[0]._page_box.children[0].children[0]
    return paragraph.children[0].children[0].position_x

plain = text_x(False)
assert not deferred.parsed  # an ordinary render never reads it
hinted = text_x(True)
assert deferred.parsed and hinted > plain + 50, (plain, hinted)  # align="right" applied
fresh = weasyprint.CSS(string=getattr(html, prefix + "PH"))
assert len(deferred.page_rules) == len(fresh.page_rules)
assert deferred.matcher.order == fresh.matcher.order  # as many selectors
print("ok")
"""


def test_presentational_hints_stylesheet_is_parsed_on_first_use() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"

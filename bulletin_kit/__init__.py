"""bulletin-kit: Chinese government internal bulletins (简报 / 内部刊物) from YAML to Word and PDF.

Pipeline: readers (YAML, later .docx/.txt) -> :mod:`bulletin_kit.model` -> transforms -> writers.
"""

__version__ = "0.2.0"

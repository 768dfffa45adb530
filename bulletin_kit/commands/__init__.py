"""One module per ``bulletin`` command: what the command does once click has parsed its arguments.

Input: parsed arguments (paths, flags). Output: messages on stdout/stderr and the exit code.
:mod:`bulletin_kit.cli` holds only the click wiring and imports each module when its command runs,
so that ``check`` never loads WeasyPrint and ``build`` never loads the importer.
"""

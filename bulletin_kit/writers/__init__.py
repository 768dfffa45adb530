"""Writers: document model -> output file. Each module exposes ``write(issue, theme, dest) -> problems``.

``issue`` has been through :func:`bulletin_kit.transforms.apply`; ``dest`` is a temporary path that
the caller renames into place only when the writer returned without an error.
"""

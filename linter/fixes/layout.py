"""A fixed file keeps the layout it was written in: its UTF-8 byte order mark and its line endings.

rlint reads every file as text without the mark and with LF line endings (positions and edits work on that
text); writing the fixed text back as it is would turn a one-line fix of a CRLF file into a whole-file diff.
Lines the fix did not touch keep their own ending, new lines take the file's usual one.
"""
from __future__ import annotations

import codecs
import difflib
from typing import Optional


def normalized(data: bytes) -> str:
    """The text rlint works on: decoded, without the byte order mark, with LF line endings."""
    return data.decode("utf-8-sig").replace("\r\n", "\n")


def encode_like(new_text: str, original: Optional[bytes]) -> bytes:
    """`new_text` (LF line endings) as bytes laid out like `original` (None for a new file)."""
    if original is None:
        return new_text.encode("utf-8")
    bom = codecs.BOM_UTF8 if original.startswith(codecs.BOM_UTF8) else b""
    raw = original[len(bom):].decode("utf-8")
    if "\r\n" not in raw:
        return bom + new_text.encode("utf-8")
    old_lines = raw.splitlines(keepends=True)
    crlf = sum(line.endswith("\r\n") for line in old_lines)
    usual = "\r\n" if crlf * 2 >= sum(line.endswith("\n") for line in old_lines) else "\n"
    new_lines = new_text.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, [line.replace("\r\n", "\n") for line in old_lines], new_lines,
                                      autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(old_lines[i1:i2])
            continue
        for k, line in enumerate(new_lines[j1:j2]):
            if not line.endswith("\n"):
                out.append(line)
                continue
            replaced = old_lines[i1 + k] if i1 + k < i2 else ""  # a changed line keeps its own ending
            out.append(line[:-1] + ("\r\n" if replaced.endswith("\r\n") else "\n" if replaced else usual))
    return bom + "".join(out).encode("utf-8")

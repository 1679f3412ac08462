"""Read the articles: files -> SourceDoc (doc_id, exact text, publication date, warnings).

The text is kept exactly as decoded (no stripping, no newline rewriting, a UTF-8 byte-order
mark kept as U+FEFF at offset 0), so every offset the pipeline writes indexes this string.

Real corpora are messy; each oddity gives a warning in the document's `warnings` list and
the run goes on:

- empty or whitespace-only text: "empty text";
- not UTF-8: decoded as Windows-1252 or Latin-1 (ISO-8859-1), or UTF-16 when a UTF-16
  byte-order mark says so; the warning names the encoding;
- a UTF-8 byte-order mark, CRLF (or bare CR) line ends: kept, flagged;
- a binary file (NUL bytes, control characters, or mostly bytes above 0x7F that are not
  UTF-8): not given to the model ("binary file: skipped", empty text);
- a file that cannot be read: "unreadable: <reason>", empty text;
- HTML saved as .txt: flagged; the model sees `SourceDoc.model_text`, the same text with
  tags blanked out by whitespace of the same length, so offsets still index the raw file;
- a text that does not look French (few French function words): flagged, still processed.

Folders are searched recursively for `.txt` files (other files are counted and skipped);
two files with the same stem get distinct, stable doc_ids (see `scan_inputs`).
"""
from __future__ import annotations

import codecs
import collections
import csv
import datetime
import errno
import functools
import hashlib
import io
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from .config import INPUT_SUFFIX
from .language import short_text_language
from .rule_cache import load_or_build

HEADER_DATE = re.compile(r"\A\ufeff?\s*date\s+(?P<value>\d{4}-\d{2}(?:-\d{2})?)\b")
ISO_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")

# Binary detection, on the first BINARY_SAMPLE bytes.
BINARY_SAMPLE = 65536
TEXT_CONTROLS = frozenset(b"\t\n\v\f\r\x1b")
NOT_CONTROLS = bytes(sorted(TEXT_CONTROLS)) + bytes(range(0x20, 0x100))  # deleted, the controls are left
MAX_CONTROL_SHARE = 0.02      # C0 controls other than tab, line ends, form feed, escape
MAX_HIGH_BYTE_SHARE = 0.30    # bytes >= 0x80 when not UTF-8 (French Latin-1 text: ~3-6 %)

# HTML: a document marker, or several common tags.
HTML_DOCUMENT = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
HTML_TAG = re.compile(r"</?(?:p|div|br|span|a|h[1-6]|li|ul|ol|table|tr|td|img|meta|script|style|"
                      r"strong|em|b|i|article|section|header|footer|title|link|nav)\b[^<>]*>",
                      re.IGNORECASE)
MIN_HTML_TAGS = 3
MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"                                   # comments
    r"|<(?P<raw>script|style)\b[^>]*>.*?(?:</(?P=raw)\s*>|\Z)"  # script and style bodies
    r"|<![a-zA-Z][^<>]*>"                                  # <!DOCTYPE ...>
    r"|</?(?P<tag>[a-zA-Z][a-zA-Z0-9:-]*)(?:\s[^<>]*)?/?>"  # tags
    r"|&(?:nbsp|#160|#xa0);",                              # no-break spaces as entities
    re.IGNORECASE | re.DOTALL)
BLOCK_TAGS = frozenset("p div br h1 h2 h3 h4 h5 h6 li ul ol tr td th table title section "
                       "article header footer blockquote hr body head html nav main figure "
                       "figcaption pre".split())

# French check: share of very common French words among the words of the text. Words that
# Spanish, Italian or Portuguese share (de, la, en, que, un, con...) are left out, so those
# languages score low too. Measured: French news 25-30 %; English, Spanish, Portuguese 0 %;
# Italian 4 %.
FRENCH_WORDS = frozenset(
    "le les des du et l d qu une au aux qui pour dans est sur ce cette ces pas avec été ont "
    "être à ils elle".split())
FRENCH_MIN_WORDS = 30
FRENCH_MIN_SHARE = 0.10
WORD = re.compile(r"[^\W\d_]+")

MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]")
MIN_MOJIBAKE = 3


@dataclass
class SourceDoc:
    """One input article, as read from disk.

    `text` is what offsets index; `model_text` is what the model should see when it differs
    (HTML tags blanked out; "" for a skipped file; invisible characters left out, their
    offsets in `hidden`, see `pieces.restore_offsets`), else None.
    """

    doc_id: str
    path: str
    text: str
    sha256: str
    dct_value: str | None = None
    dct_source: str | None = None
    warnings: list[str] = field(default_factory=list)
    model_text: str | None = None
    hidden: tuple[int, ...] = ()    # offsets in `text` of the characters `model_text` leaves out


@dataclass
class InputFile:
    """A file to read, with the doc_id it will have and warnings about its name."""

    path: Path
    doc_id: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class InputPlan:
    """The files of a run, in a stable order, and what was left aside."""

    files: list[InputFile]
    skipped: int = 0            # non-.txt files found in the folders
    notes: list[str] = field(default_factory=list)   # links not followed, special files

    @property
    def paths(self) -> list[Path]:
        return [f.path for f in self.files]

    @property
    def doc_ids(self) -> list[str]:
        return [f.doc_id for f in self.files]

    def messages(self) -> list[str]:
        """Run-level warnings (not tied to one document)."""
        counts = [f"{self.skipped} file(s) without the {INPUT_SUFFIX} suffix skipped"] if self.skipped else []
        return list(self.notes) + counts


class InputError(Exception):
    """Raised when the input cannot be used at all (no file, unreadable metadata)."""


class Metadata(dict):
    """doc_id -> published date, with the warnings met while reading it and the row numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []
        self.about: dict[str, list[str]] = {}   # doc_id -> the warnings of `warnings` about it
        self.rows: dict[str, int] = {}
        self.source = ""

    def warn(self, message: str, doc_id: str | None = None) -> None:
        self.warnings.append(message)
        if doc_id:
            self.about.setdefault(doc_id, []).append(message)

    def attach_warnings(self, plan: "InputPlan") -> tuple["InputPlan", list[str]]:
        """The plan with each document's metadata warnings added to its own, and the
        warnings left for the run (rows about no planned document)."""
        files = [replace(item, warnings=item.warnings + self.about.get(item.doc_id, []))
                 for item in plan.files]
        attached = {m for item in plan.files for m in self.about.get(item.doc_id, [])}
        return replace(plan, files=files), [m for m in self.warnings if m not in attached]

    def unknown(self, doc_ids: Iterable[str]) -> list[str]:
        """Warnings for the metadata ids that no input file has."""
        known = set(doc_ids)
        return [f"{self.source} row {self.rows[doc_id]}: unknown doc_id {doc_id!r} (no such input file)"
                for doc_id in self if doc_id not in known]


# ---------------------------------------------------------------------- files and ids

def scan_inputs(paths: Iterable[Path], follow_symlinks: bool = False) -> InputPlan:
    """Expand files and folders (recursively) into the `.txt` files to read, with doc_ids.

    Order: by file stem, then path depth, then path (stable). A doc_id is the file stem
    (control and invisible characters replaced by `_`, with a warning); when a stem is
    already taken (by a file less deep, or before in that order), the file's path relative
    to the folder given (else to the current directory) is used with its parts joined by
    `__` (`2022__mars__article`), then a `~2`, `~3` suffix if needed; the renamed document
    gets a warning.

    In folders, a symbolic link that leads out of the folder given is not followed unless
    `follow_symlinks` (a run-level warning says so); links to folders inside it are not
    walked twice; FIFOs, sockets and devices named `.txt` are skipped with a warning (reading
    them could block). A path named on the command line is read whatever it links to.
    """
    found: dict[str, tuple[Path, Path | None]] = {}   # real path -> (path, root folder)
    walk = _FolderWalk(follow_symlinks)
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in walk.txt_files(path):
                found.setdefault(_key(child), (child, path))
        elif path.is_file() or path.is_symlink():   # a broken or looping link: "unreadable"
            found.setdefault(_key(path), (path, None))
        elif os.path.lexists(path):
            walk.skip(path, f"{_file_kind(path)}, not a regular file: skipped")
        else:
            raise InputError(f"no such file or folder: {path}")
    ordered = sorted(found.values(), key=lambda item: (item[0].stem, len(item[0].parts), str(item[0])))
    taken: dict[str, Path] = {}
    files = []
    for path, root in ordered:
        stem = printable_id(path.stem)
        warnings = [] if stem == path.stem else [
            f"file name {path.name!r} has control or invisible characters: doc_id {stem!r}"]
        doc_id = stem
        if doc_id in taken:
            first = taken[doc_id]
            doc_id = printable_id(_unique_id(path, root, taken))
            warnings.append(f"doc_id collision: {stem!r} is already {first.as_posix()!r}; "
                            f"this document is {doc_id!r}")
        taken[doc_id] = path
        files.append(InputFile(path, doc_id, warnings))
    return InputPlan(files, walk.skipped, walk.notes)


class _FolderWalk:
    """The `.txt` files under folders, with what was left aside (see `scan_inputs`)."""

    def __init__(self, follow_symlinks: bool):
        self.follow_symlinks = follow_symlinks
        self.skipped = 0                # files without the .txt suffix
        self.notes: list[str] = []     # one warning per link not followed or special file
        self.walked: set[str] = set()   # real paths of the folders walked (no loop twice)

    def skip(self, path: Path, why: str) -> None:
        """A file or folder left aside, as a one-line warning."""
        self.notes.append(f"{printable_id(str(path))}: {why}")

    def txt_files(self, root: Path) -> Iterator[Path]:
        real_root = os.path.realpath(root)
        self.walked.add(real_root)
        folders = collections.deque([root])   # breadth first, each folder in name order
        while folders:
            folder = folders.popleft()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as error:
                self.skip(folder, f"folder not readable ({error.strerror or error}): skipped")
                continue
            for entry in entries:
                path = Path(entry.path)
                if entry.is_symlink():
                    yield from self._link(path, real_root, folders)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                elif path.suffix.lower() != INPUT_SUFFIX:
                    self.skipped += 1
                elif entry.is_file(follow_symlinks=False):
                    yield path
                else:
                    self.skip(path, f"{_file_kind(path)}, not a regular file: skipped")

    def _link(self, path: Path, real_root: str, folders: collections.deque) -> Iterator[Path]:
        target = os.path.realpath(path)
        inside = target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)
        if os.path.isdir(path):
            if inside or target in self.walked:
                return                   # its files are reached through the tree already
            if not self.follow_symlinks:
                self.skip(path, f"symbolic link to a folder outside {real_root} not followed "
                                "(--follow-symlinks to read it)")
                return
            self.walked.add(target)
            folders.append(path)
        elif path.suffix.lower() != INPUT_SUFFIX:
            self.skipped += 1
        elif not os.path.exists(path) or inside or self.follow_symlinks:
            yield path                   # a broken or looping link gives an "unreadable" record
        else:
            self.skip(path, f"symbolic link to a file outside {real_root} not followed "
                            "(--follow-symlinks to read it)")


def _file_kind(path: Path) -> str:
    """`FIFO`, `socket`, `device`... for a file that is not a regular one."""
    try:
        return _kind_of(os.stat(path).st_mode)
    except OSError:
        return "unreadable"


def _kind_of(mode: int) -> str:
    """`_file_kind` of a file's mode."""
    for test, kind in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return kind
    return "special file"


# Control (Cc), format (Cf: zero-width, bidi controls), surrogate, private and unassigned
# characters: a doc_id is written in ids and files, where they break lines or hide text.
def printable_id(name: str) -> str:
    """`name` with every control or invisible character replaced by `_`."""
    return "".join("_" if unicodedata.category(c).startswith("C") else c for c in name) or "_"


def _key(path: Path) -> str:
    return os.path.realpath(path)   # never raises, even on a symbolic link loop


def _unique_id(path: Path, root: Path | None, taken: dict[str, Path]) -> str:
    candidates = []
    for base in ([root] if root is not None else []) + [Path.cwd()]:
        try:
            parts = path.absolute().relative_to(base.absolute()).with_suffix("").parts
        except ValueError:
            continue
        candidates.append("__".join(parts))
        if base is root and root is not None and root.absolute().name:
            candidates.append("__".join((root.absolute().name, *parts)))
    candidates.append("__".join(p for p in path.absolute().with_suffix("").parts if p != os.sep))
    for candidate in candidates:
        if candidate and candidate not in taken:
            return candidate
    n = 2
    while f"{candidates[-1]}~{n}" in taken:
        n += 1
    return f"{candidates[-1]}~{n}"


# ---------------------------------------------------------------------- metadata

def read_metadata(path: Path | None) -> Metadata:
    """Read a `doc_id,published` CSV (`,`, `;` or tab separated) into a Metadata dict.

    Raises InputError when the file cannot be read or lacks one of the two columns. A bad
    date or an empty doc_id skips the row with a warning in `Metadata.warnings` (the
    document then falls back to its header or inferred date).
    """
    metadata = Metadata()
    if path is None:
        return metadata
    metadata.source = f"metadata {Path(path).name}"
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"cannot read metadata file {path}: {error.strerror or error}") from error
    text, _ = decode(data)
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in ("doc_id", "published") if name not in header]
    if missing:
        raise InputError(f"metadata file {path} has no column {' or '.join(missing)} "
                         f"(expected a header line doc_id,published)")
    id_col, date_col = header.index("doc_id"), header.index("published")
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        doc_id = row[id_col].strip() if id_col < len(row) else ""
        published = row[date_col].strip() if date_col < len(row) else ""
        if doc_id.lower().endswith(INPUT_SUFFIX):
            doc_id = doc_id[:-len(INPUT_SUFFIX)]
        where = f"{metadata.source} row {number}"
        if not doc_id:
            metadata.warn(f"{where}: no doc_id (row ignored)")
        elif not valid_date(published):
            metadata.warn(f"{where}: bad date {published!r} for {doc_id!r} (ignored; "
                          "the header or inferred date is used)", doc_id)
        elif doc_id in metadata:
            if metadata[doc_id] != published:
                metadata.warn(f"{where}: {doc_id!r} again, with {published!r} (row "
                              f"{metadata.rows[doc_id]}'s {metadata[doc_id]!r} kept)", doc_id)
        else:
            metadata[doc_id] = published
            metadata.rows[doc_id] = number
    return metadata


def valid_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month or day."""
    match = ISO_DATE.match(value)
    if not match:
        return False
    year, month, day = match.group("y", "m", "d")
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------- bytes -> text

def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (a BOM kept as U+FEFF), else UTF-16 (BOM), Windows-1252 or Latin-1.

    Windows-1252 and Latin-1 give the same characters for bytes 0xA0-0xFF; the warning says
    Windows-1252 when the bytes 0x80-0x9F (curly quotes, dashes, `œ`, `€` in Windows-1252)
    occur, else Latin-1. Windows-1252's five unassigned bytes become U+FFFD.
    """
    if data.startswith(UTF16_BOMS) and not data.startswith(UTF8_BOM):
        try:
            return data.decode("utf-16"), ["not UTF-8: decoded as UTF-16 (byte-order mark)"]
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, (["UTF-8 byte-order mark at start"] if data.startswith(UTF8_BOM) else [])
    text = data.decode("cp1252", errors="replace")
    if any(0x80 <= byte <= 0x9F for byte in data):
        warnings = ["not UTF-8: decoded as Windows-1252"]
    else:
        warnings = ["not UTF-8: decoded as Latin-1 (ISO-8859-1)"]
    replaced = sum(data.count(byte) for byte in CP1252_UNDEFINED)
    if replaced:
        warnings.append(f"{replaced} byte(s) undefined in Windows-1252 replaced by U+FFFD")
    return text, warnings


def is_binary(data: bytes) -> bool:
    """NUL bytes, many control characters, or mostly high bytes that are not UTF-8."""
    if data.startswith(UTF16_BOMS) and not data.startswith(UTF8_BOM):
        return False
    sample = data[:BINARY_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, NOT_CONTROLS))
    if controls > MAX_CONTROL_SHARE * len(sample):
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) == len(data))
    except UnicodeDecodeError:
        high = sum(1 for byte in sample if byte >= 0x80)
        return high > MAX_HIGH_BYTE_SHARE * len(sample)
    return False


# ---------------------------------------------------------------------- text checks

def looks_html(text: str) -> bool:
    """An HTML page: a document tag (`<html`, `<body`, `<!DOCTYPE html`) or several tags."""
    if HTML_DOCUMENT.search(text):
        return True
    return len(HTML_TAG.findall(text, 0, 200_000)) >= MIN_HTML_TAGS


def mask_markup(text: str) -> str:
    """The text with HTML tags, comments, scripts and styles replaced by whitespace.

    Same length, same line ends (every `\\n`/`\\r` inside markup is kept), so offsets into
    the result are offsets into `text`. A block tag (`<p>`, `<br>`, `<div>`, ...) becomes a
    line break followed by spaces, so that paragraphs stay apart for the model.
    """
    def blank(match: re.Match) -> str:
        chunk = match.group(0)
        spaces = "".join(c if c in "\r\n" else " " for c in chunk)
        tag = (match.group("tag") or "").lower()
        if tag in BLOCK_TAGS and "\n" not in spaces:
            spaces = "\n" + spaces[1:]
        return spaces
    return MARKUP.sub(blank, text)


def french_share(text: str) -> tuple[float, int]:
    """(share of very common French words among the words, number of words)."""
    words = WORD.findall(text[:200_000].lower())
    if not words:
        return 0.0, 0
    return sum(1 for w in words if w in FRENCH_WORDS) / len(words), len(words)


def text_warnings(text: str) -> list[str]:
    """Warnings about a decoded text: empty, line ends, HTML, double encoding, not French."""
    if not text.strip():
        return ["empty text"]
    warnings = []
    if "\r\n" in text:
        warnings.append("CRLF line ends")
    elif "\r" in text:
        warnings.append("CR line ends (no LF)")
    if looks_html(text):
        warnings.append("HTML markup in a .txt file")
    mojibake = MOJIBAKE.findall(text)
    if len(mojibake) >= MIN_MOJIBAKE:
        warnings.append(f"text looks double-encoded (UTF-8 read as Latin-1: {mojibake[0]!r} ...)")
    readable = mask_markup(text) if "<" in text else text
    share, n_words = french_share(readable)
    if n_words >= FRENCH_MIN_WORDS and share < FRENCH_MIN_SHARE:
        warnings.append(f"text does not look French (French function words: {share:.0%} of "
                        f"{n_words} words)")
    elif n_words < FRENCH_MIN_WORDS and (language := short_text_language(readable, n_words)):
        warnings.append(f"text does not look French (a short text; detected: {language.lower()})")
    return warnings


# Invisible characters: Unicode's format characters (category Cf: zero-width space and
# joiners, bidi controls, soft hyphen, word joiner, a byte-order mark inside the text). In a
# word they hide it from the lexicons and the model (`Fra\u200bnce`); the model reads the
# text without them and offsets are mapped back (pipeline/pieces.py: restore_offsets). A
# byte-order mark at offset 0 stays, as it always has (see `decode`).
@functools.lru_cache(maxsize=1)
def _invisible_chars() -> frozenset:
    # a scan of every code point (~0.1 s), kept in the rule cache for this Unicode version
    return frozenset(load_or_build("format-characters", unicodedata.unidata_version, _format_characters))


@functools.lru_cache(maxsize=1)
def _invisible() -> re.Pattern:
    return re.compile("[" + re.escape("".join(sorted(_invisible_chars()))) + "]")


def _format_characters() -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")


def invisible_offsets(text: str) -> list[int]:
    """Offsets of the invisible (format) characters of `text`, but a byte-order mark at 0."""
    if _invisible_chars().isdisjoint(text):  # most texts: a set test per character, 20x faster than the search
        return []
    return [m.start() for m in _invisible().finditer(text) if m.start() or text[0] != "\ufeff"]


def without_offsets(text: str, offsets: list[int]) -> str:
    """`text` without the characters at `offsets` (sorted)."""
    pieces, start = [], 0
    for offset in offsets:
        pieces.append(text[start:offset])
        start = offset + 1
    pieces.append(text[start:])
    return "".join(pieces)


def header_date(text: str) -> str | None:
    """The publication date of a ` date YYYY-MM` header line, if the text opens with one."""
    match = HEADER_DATE.match(text)
    return match.group("value") if match else None


# ---------------------------------------------------------------------- documents

def read_document(path: Path, metadata: dict[str, str], root: Path | None = None,
                  doc_id: str | None = None) -> SourceDoc:
    """Read one file into a SourceDoc, with its DCT from metadata or header when known.

    Never raises for a bad file: an unreadable or binary one gives an empty text and a
    warning, so that the run goes on and the document is still listed.
    """
    doc_id = doc_id or path.stem
    relative = _relative(path, root)
    try:
        data = read_regular_file(path)
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        return SourceDoc(doc_id, relative, "", hashlib.sha256(b"").hexdigest(),
                         warnings=[f"unreadable: {reason}"], model_text="")
    return document_from_bytes(data, doc_id, relative, metadata)


def document_from_bytes(data: bytes, doc_id: str, path: str, metadata: dict[str, str]) -> SourceDoc:
    """A SourceDoc from an article's bytes (read from `path`, or given in memory through
    pipeline/api.py), with its DCT from metadata or header when known."""
    sha256 = hashlib.sha256(data).hexdigest()
    if is_binary(data):
        return SourceDoc(doc_id, path, "", sha256, warnings=["binary file: skipped"],
                         model_text="")
    text, warnings = decode(data)
    warnings += text_warnings(text)
    doc = SourceDoc(doc_id=doc_id, path=path, text=text, sha256=sha256, warnings=warnings)
    if "HTML markup in a .txt file" in warnings:
        doc.model_text = mask_markup(text)
    hidden = invisible_offsets(text)
    if hidden:
        doc.model_text = without_offsets(doc.model_text or text, hidden)
        doc.hidden = tuple(hidden)
        warnings.append(f"{len(hidden)} invisible character(s) (zero-width, bidi control, soft "
                        "hyphen...) in the text: the model reads it without them")
    if doc.doc_id in metadata:
        doc.dct_value, doc.dct_source = metadata[doc.doc_id], "metadata"
    elif (value := header_date(text)) is not None:
        doc.dct_value, doc.dct_source = value, "header"
    return doc


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; OSError for a FIFO, socket or device (opened without
    blocking, so a FIFO named `.txt` never hangs the run)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{_kind_of(mode)}, not a regular file", str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def iter_documents(paths: Iterable[Path] | InputPlan, metadata: dict[str, str]) -> Iterator[SourceDoc]:
    """Read the documents lazily, in a stable order (paths, or a plan from `scan_inputs`)."""
    plan = paths if isinstance(paths, InputPlan) else scan_inputs(paths)
    for item in plan.files:
        doc = read_document(item.path, metadata, doc_id=item.doc_id)
        doc.warnings[:0] = item.warnings
        yield doc


def _relative(path: Path, root: Path | None) -> str:
    root = root or Path.cwd()
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        try:
            return Path(_key(path)).relative_to(_key(root)).as_posix()
        except ValueError:
            return path.as_posix()

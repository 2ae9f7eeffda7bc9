"""The translations' maintainer tool: gettext PO files in, one JSON file per language out.

Sources (what translators and developers edit), in ``locale/`` at the top of the repository:

- ``locale/catalogue.pot``: every message of the library; ``msgctxt`` is the message's id,
  ``msgid`` its Spanish text (the source), ``#. en:`` its English for the translator's eye;
- ``locale/protocol.pot``: every bilingual text of the bundled data (protocol, crosswalks,
  migrations), written by ``extract`` from ``protocols/``; ``msgctxt`` is
  ``<file-stem>:<path>`` (list items named by id, level, letter or action, crosswalk rows by
  ``node>code``, else by index), ``msgid`` the Spanish text;
- ``locale/<lang>/catalogue.po`` (and ``protocol.po`` for languages other than es and en,
  whose data texts live in the YAML files): the translations, with the header fields
  ``Language``, ``Plural-Forms`` and ``X-Language-Name`` (the language's own name) and, for
  a language that is not es or en, ``X-Fallback`` (what a user-supplied label missing this
  language is shown in, with a warning). Every translation is a working translation, except
  an entry flagged ``#, official`` with a ``# source: ...`` line naming where the official
  text is published (the Sendai Framework in French, an ISSA guideline's title).

Compiled (what the package reads, committed; ``check`` and the tests say when stale):
``src/disaster_protocol/_locale/<lang>.json``.

Commands (run from the repository root)::

    python scripts/i18n.py extract          # protocols/ -> locale/protocol.pot; refresh #. en:
    python scripts/i18n.py update pt        # POT entries into locale/pt/*.po, changed ones fuzzy
    python scripts/i18n.py missing pt       # the entries still untranslated, as PO to fill in
    python scripts/i18n.py compile          # locale/ -> src/disaster_protocol/_locale/*.json
    python scripts/i18n.py check            # exit 1 if anything is stale or missing
    python scripts/i18n.py add KEY ES EN [pt=TEXT fr=TEXT]  # a new message
    python scripts/i18n.py carry FILE.py    # es/en tuples of an old-style _i18n.py, carried over
    python scripts/i18n.py remove KEY...    # messages no longer used, out of every file
"""

from __future__ import annotations

import ast
import json
import re
import string
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load_data_paths() -> Any:
    """``disaster_protocol._datapaths.data_paths``, loaded by path: the same keys the loader
    uses, without importing the package (whose compiled files this script may be repairing)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_datapaths", ROOT / "src" / "disaster_protocol" / "_datapaths.py")
    if spec is None or spec.loader is None:
        raise ImportError("src/disaster_protocol/_datapaths.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.data_paths


data_paths = _load_data_paths()

LOCALE = ROOT / "locale"
COMPILED = ROOT / "src" / "disaster_protocol" / "_locale"
SOURCE_LANGS = ("es", "en")
"""Languages whose data texts are in the YAML files; es is also the catalogue's source."""

PLURAL = re.compile(
    r"^\s*nplurals\s*=\s*2\s*;\s*plural\s*=\s*\(?\s*n\s*(!=|>)\s*1\s*\)?\s*;?\s*$")
"""The plural rules the package evaluates: ``n != 1`` (es, en) and ``n > 1`` (pt_BR, fr)."""


@dataclass
class Entry:
    """One PO entry."""

    ctx: str
    msgid: str
    msgstr: str = ""
    comments: list[str] = field(default_factory=list)  # "#." lines, without the "#. "
    fuzzy: bool = False
    previous: str | None = None  # "#| msgid" of a fuzzy entry
    official: str | None = None  # "#, official" with "# source: <where>": an official text

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and not self.fuzzy


@dataclass
class Po:
    """A PO file: its header fields and entries, in order."""

    headers: dict[str, str]
    entries: list[Entry]

    def by_ctx(self) -> dict[str, Entry]:
        return {e.ctx: e for e in self.entries}


# --- reading and writing PO ---------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise ValueError(f"{where}: unknown escape in {token!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def quote(text: str) -> str:
    """A PO string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _field(lines: list[str], start: int, where: str) -> tuple[str, int]:
    """A keyword's string, continuation lines joined; returns it and the next line's index."""
    rest = lines[start].partition(" ")[2]
    parts = [_unquote(rest, f"{where}:{start + 1}")]
    i = start + 1
    while i < len(lines) and lines[i].lstrip().startswith('"'):
        parts.append(_unquote(lines[i], f"{where}:{i + 1}"))
        i += 1
    return "".join(parts), i


def read_po(path: Path) -> Po:
    """Read a PO or POT file (``msgctxt``, ``msgid``, ``msgstr``; ``#.`` comments; the
    ``fuzzy`` flag and ``#| msgid``). Obsolete ``#~`` entries are ignored."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    headers: dict[str, str] = {}
    entries: list[Entry] = []
    for block in blocks:
        entry = _block(block, str(path))
        if entry is None:
            continue
        if entry.ctx == "" and entry.msgid == "":
            headers = dict(line.split(":", 1) for line in entry.msgstr.splitlines() if ":" in line)
            headers = {k.strip(): v.strip() for k, v in headers.items()}
        else:
            entries.append(entry)
    return Po(headers, entries)


def _comments(lines: list[str], where: str) -> Entry:
    """The comment lines of an entry, as an entry with no strings yet."""
    entry = Entry("", "")
    source, official = "", False
    for line in lines:
        if line.startswith("#."):
            entry.comments.append(line[2:].strip())
        elif line.startswith("# source:"):
            source = line[len("# source:"):].strip()
        elif line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",")}
            entry.fuzzy = entry.fuzzy or "fuzzy" in flags
            official = official or "official" in flags
        elif line.startswith("#| msgid "):
            entry.previous = _unquote(line[len("#| msgid "):], where)
    if official and not source:
        raise ValueError(f"{where}: an official text needs a '# source: ...' line saying "
                         "where it is published")
    entry.official = source if official else None
    return entry


def _block(block: list[str], where: str) -> Entry | None:
    if any(line.startswith("#~") for line in block):
        return None
    entry = _comments([line for line in block if line.startswith("#")], where)
    strings = [line for line in block if not line.startswith("#")]
    values: dict[str, str] = {}
    i = 0
    while i < len(strings):
        keyword = strings[i].split(" ", 1)[0]
        if keyword not in ("msgctxt", "msgid", "msgstr"):
            raise ValueError(f"{where}: {keyword} is not read here (no plural entries)")
        values[keyword], i = _field(strings, i, where)
    if "msgid" not in values:
        return None
    return replace(entry, ctx=values.get("msgctxt", ""), msgid=values["msgid"],
                   msgstr=values.get("msgstr", ""))


def write_po(path: Path, po: Po) -> None:
    """Write ``po`` (one blank line between entries, strings on one line each)."""
    head = "".join(f"{quote(f'{k}: {v}' + chr(10))}\n" for k, v in po.headers.items())
    out = [f'msgid ""\nmsgstr ""\n{head}']
    for e in po.entries:
        lines = [f"#. {c}" if c else "#." for c in e.comments]
        if e.official is not None:
            lines += [f"# source: {e.official}", "#, official"]
        if e.fuzzy:
            lines.append("#, fuzzy")
            if e.previous is not None:
                lines.append(f"#| msgid {quote(e.previous)}")
        lines += [f"msgctxt {quote(e.ctx)}", f"msgid {quote(e.msgid)}", f"msgstr {quote(e.msgstr)}"]
        out.append("\n".join(lines) + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


# --- the data texts -----------------------------------------------------------------------

def data_files(root: Path = ROOT) -> list[Path]:
    """The bundled data files whose texts are translated."""
    protocols = root / "protocols"
    return [protocols / "sendai_ciss.yaml", *sorted((protocols / "crosswalks").glob("*.yaml")),
            *sorted((protocols / "migrations").glob("*.yaml"))]


def protocol_pot(root: Path = ROOT) -> Po:
    """The POT of the bundled data, as ``extract`` writes it."""
    entries: list[Entry] = []
    seen: set[str] = set()
    for file in data_files(root):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for path, label in data_paths(data):
            es, en = label["es"], label["en"]
            ctx = f"{file.stem}:{path}"
            if ctx in seen:
                raise ValueError(f"{file}: two texts at {path}")
            seen.add(ctx)
            entries.append(Entry(ctx, es, "", [f"en: {line}" for line in en.split("\n")]))
    return Po({"Content-Type": "text/plain; charset=UTF-8"}, entries)


# --- languages ------------------------------------------------------------------------------

def languages() -> list[str]:
    """Every language with a folder in ``locale/``, plus es (the source)."""
    found = sorted(p.name for p in LOCALE.iterdir()
                   if p.is_dir() and (p / "catalogue.po").exists())
    return ["es", *[lang for lang in ("en",) if lang in found],
            *[lang for lang in found if lang not in SOURCE_LANGS]]


def pots() -> dict[str, Po]:
    return {kind: read_po(LOCALE / f"{kind}.pot") for kind in ("catalogue", "protocol")}


def fields(template: str) -> list[str]:
    """The ``str.format`` fields of a template, sorted (the placeholders to keep)."""
    return sorted({name for _, name, _, _ in string.Formatter().parse(template) if name})


def kinds(lang: str) -> tuple[str, ...]:
    """The PO files a language has: the catalogue, and the data texts unless es or en."""
    return ("catalogue",) if lang in SOURCE_LANGS else ("catalogue", "protocol")


def missing(lang: str, templates: dict[str, Po] | None = None) -> list[Entry]:
    """The POT entries ``lang`` does not translate yet: absent, empty, fuzzy, or translated
    from another Spanish text than today's (each comes back as the POT has it)."""
    if lang == "es":
        return []
    templates = templates or pots()
    out: list[Entry] = []
    for kind in kinds(lang):
        path = LOCALE / lang / f"{kind}.po"
        done = read_po(path).by_ctx() if path.exists() else {}
        for e in templates[kind].entries:
            have = done.get(e.ctx)
            if have is None or not have.translated or have.msgid != e.msgid:
                out.append(e)
    return out


def placeholder_problems(lang: str, templates: dict[str, Po] | None = None) -> list[str]:
    """Catalogue translations whose ``{fields}`` differ from the Spanish source's (data texts
    are not templates)."""
    templates = templates or pots()
    path = LOCALE / lang / "catalogue.po"
    if lang == "es" or not path.exists():
        return []
    source = templates["catalogue"].by_ctx()
    return [f"{path.relative_to(LOCALE.parent)}: {e.ctx}: placeholders {fields(e.msgstr)}, "
            f"Spanish has {fields(source[e.ctx].msgid)}"
            for e in read_po(path).entries
            if e.translated and e.ctx in source
            and fields(e.msgstr) != fields(source[e.ctx].msgid)]


def compiled(lang: str, templates: dict[str, Po] | None = None) -> str:
    """The JSON text of ``lang`` as ``compile`` writes it: only what is translated from
    today's Spanish (a stale translation is left out, and ``missing`` lists it)."""
    templates = templates or pots()
    catalogue_pot = templates["catalogue"]
    if lang == "es":
        headers = catalogue_pot.headers
        catalogue = {e.ctx: e.msgid for e in catalogue_pot.entries}
        data: dict[str, list[str]] = {}
        official: dict[str, str] = {}
    else:
        po = read_po(LOCALE / lang / "catalogue.po")
        headers = po.headers
        source = catalogue_pot.by_ctx()
        catalogue = {e.ctx: e.msgstr for e in po.entries if e.translated and e.ctx in source
                     and source[e.ctx].msgid == e.msgid}
        data = {}
        official = {e.ctx: str(e.official) for e in po.entries
                    if e.official and e.ctx in catalogue}
        if "protocol" in kinds(lang):
            texts = templates["protocol"].by_ctx()
            entries = [e for e in read_po(LOCALE / lang / "protocol.po").entries
                       if e.translated and e.ctx in texts and texts[e.ctx].msgid == e.msgid]
            data = {e.ctx: [e.msgid, e.msgstr] for e in entries}
            official.update({e.ctx: str(e.official) for e in entries if e.official})
    plural = headers.get("Plural-Forms", "nplurals=2; plural=(n != 1);")
    rule = PLURAL.match(plural)
    if rule is None:
        raise ValueError(f"{lang}: Plural-Forms {plural!r} is not one the package reads "
                         "(n != 1 or n > 1); add the rule to _i18n.plural_index")
    out = {"language": lang, "name": headers.get("X-Language-Name", lang),
           "fallback": headers.get("X-Fallback", "en"),
           "plural": "n>1" if rule.group(1) == ">" else "n!=1",
           "catalogue": dict(sorted(catalogue.items())), "data": dict(sorted(data.items())),
           "official": dict(sorted(official.items()))}
    return json.dumps(out, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


# --- commands -------------------------------------------------------------------------------

def cmd_extract() -> int:
    write_po(LOCALE / "protocol.pot", protocol_pot())
    english = read_po(LOCALE / "en" / "catalogue.po").by_ctx()
    pot = read_po(LOCALE / "catalogue.pot")
    for e in pot.entries:
        if e.ctx in english:
            e.comments = [f"en: {line}" for line in english[e.ctx].msgstr.split("\n")]
    write_po(LOCALE / "catalogue.pot", pot)
    print(f"locale/protocol.pot: {len(protocol_pot().entries)} texts; "
          f"locale/catalogue.pot: {len(pot.entries)} messages")
    return 0


def cmd_update(lang: str) -> int:
    """Bring ``locale/<lang>/*.po`` in line with the POTs (like msgmerge): new entries empty,
    entries whose Spanish changed kept as fuzzy with the old Spanish, obsolete ones dropped."""
    templates = pots()
    for kind in kinds(lang):
        path = LOCALE / lang / f"{kind}.po"
        old = read_po(path) if path.exists() else Po({"Language": lang}, [])
        have = old.by_ctx()
        entries = []
        for e in templates[kind].entries:
            prior = have.get(e.ctx)
            if prior is None:
                entries.append(replace(e, msgstr=""))
            elif prior.msgid != e.msgid and prior.msgstr:
                entries.append(replace(e, msgstr=prior.msgstr, fuzzy=True, previous=prior.msgid))
            else:
                entries.append(replace(e, msgstr=prior.msgstr, fuzzy=prior.fuzzy,
                                       previous=prior.previous))
        write_po(path, Po(old.headers, entries))
    return cmd_missing(lang, quiet=True)


def cmd_missing(lang: str, quiet: bool = False) -> int:
    todo = missing(lang)
    if not quiet:
        for e in todo:
            print("\n".join(f"#. {c}" for c in e.comments))
            print(f"msgctxt {quote(e.ctx)}\nmsgid {quote(e.msgid)}\nmsgstr \"\"\n")
    print(f"{lang}: {len(todo)} entries untranslated", file=sys.stderr)
    return 1 if todo else 0


def cmd_compile() -> int:
    templates = pots()
    COMPILED.mkdir(parents=True, exist_ok=True)
    problems = [p for lang in languages() for p in placeholder_problems(lang, templates)]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    wanted = {f"{lang}.json" for lang in languages()}
    for stale in COMPILED.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
    for lang in languages():
        (COMPILED / f"{lang}.json").write_text(compiled(lang, templates), encoding="utf-8")
        print(f"{lang}: {len(missing(lang, templates))} untranslated")
    return 0


def stale() -> list[str]:
    """What ``check`` finds out of date: the data POT against protocols/, each compiled file
    against its sources."""
    out = []
    if read_po(LOCALE / "protocol.pot").entries != protocol_pot().entries:
        out.append("locale/protocol.pot is stale: run python scripts/i18n.py extract")
    templates = pots()
    for lang in languages():
        path = COMPILED / f"{lang}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != compiled(lang, templates):
            out.append(f"{path.relative_to(ROOT)} is stale: run python scripts/i18n.py compile")
    extra = {p.stem for p in COMPILED.glob("*.json")} - set(languages())
    out += [f"{COMPILED.relative_to(ROOT)}/{lang}.json has no sources in locale/" for lang in extra]
    return out


def cmd_check() -> int:
    problems = stale() + [p for lang in languages() for p in placeholder_problems(lang)]
    problems += [f"{lang}: {len(missing(lang))} entries untranslated "
                 f"(python scripts/i18n.py missing {lang})"
                 for lang in languages() if missing(lang)]
    print("\n".join(problems) or "translations current and complete", file=sys.stderr)
    return 1 if problems else 0


def add_message(key: str, es: str, en: str, others: dict[str, str] | None = None) -> bool:
    """Add a message to the catalogue POT and the English PO, and to the other languages'
    POs (translated where ``others`` gives it, else empty); False if it is there already."""
    pot = read_po(LOCALE / "catalogue.pot")
    if key in pot.by_ctx():
        return False
    template = Entry(key, es, "", [f"en: {line}" for line in en.split("\n")])
    pot.entries.append(template)
    write_po(LOCALE / "catalogue.pot", pot)
    for lang in languages()[1:]:
        po = read_po(LOCALE / lang / "catalogue.po")
        given = en if lang == "en" else (others or {}).get(lang, "")
        po.entries.append(replace(template, msgstr=given,
                                  comments=[] if lang == "en" else template.comments))
        write_po(LOCALE / lang / "catalogue.po", po)
    return True


def cmd_add(key: str, es: str, en: str, *translations: str) -> int:
    """``add KEY ES EN [pt=TEXT fr=TEXT ...]``."""
    others = dict(item.split("=", 1) for item in translations)
    if not add_message(key, es, en, others):
        print(f"{key} is already in locale/catalogue.pot", file=sys.stderr)
        return 1
    return 0


def cmd_remove(*keys: str) -> int:
    """``remove KEY...``: messages the code no longer uses, out of the template and every
    language's catalogue."""
    gone = set(keys)
    for path in [LOCALE / "catalogue.pot", *(LOCALE / lang / "catalogue.po"
                                             for lang in languages()[1:])]:
        po = read_po(path)
        write_po(path, Po(po.headers, [e for e in po.entries if e.ctx not in gone]))
    return 0


def old_catalogue(source: str) -> dict[str, tuple[str, str]]:
    """The ``CATALOGUE = {key: (es, en)}`` of an old-style ``_i18n.py``."""
    target: ast.expr
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "CATALOGUE":
            found = ast.literal_eval(value)
            return {k: (v[0], v[1]) for k, v in found.items()}
    raise ValueError("no CATALOGUE = {...} found")


def _reword(theirs: dict[str, tuple[str, str]]) -> list[str]:
    """Take the branch's Spanish and English of the messages it reworded; the other
    languages then translate an older Spanish, which ``missing`` and ``update`` show."""
    pot = read_po(LOCALE / "catalogue.pot")
    english = read_po(LOCALE / "en" / "catalogue.po")
    ours, en_ours = pot.by_ctx(), english.by_ctx()
    changed = [k for k, (es, en) in theirs.items()
               if k in ours and (ours[k].msgid, en_ours[k].msgstr) != (es, en)]
    for k in changed:
        es, en = theirs[k]
        ours[k].msgid, ours[k].comments = es, [f"en: {line}" for line in en.split("\n")]
        en_ours[k].msgid, en_ours[k].msgstr = es, en
    write_po(LOCALE / "catalogue.pot", pot)
    write_po(LOCALE / "en" / "catalogue.po", english)
    return changed


def cmd_carry(file: str) -> int:
    """Carry over the es/en entries another branch added to the old tuples."""
    theirs = old_catalogue(Path(file).read_text(encoding="utf-8"))
    added = [k for k, (es, en) in theirs.items() if add_message(k, es, en)]
    print("\n".join(added) or "nothing new")
    changed = _reword(theirs)
    if changed:
        print("reworded (run update for each language): " + " ".join(changed))
    absent = [e.ctx for e in read_po(LOCALE / "catalogue.pot").entries if e.ctx not in theirs]
    if absent:
        print(f"not in {file} (removed there? then: python scripts/i18n.py remove "
              f"{' '.join(absent)})", file=sys.stderr)
    return 0


COMMANDS = {"extract": cmd_extract, "update": cmd_update, "missing": cmd_missing,
            "compile": cmd_compile, "check": cmd_check, "add": cmd_add, "carry": cmd_carry,
            "remove": cmd_remove}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    command: Any = COMMANDS[argv[0]]
    return int(command(*argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

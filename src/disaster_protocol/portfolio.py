"""Many institutions against one protocol: :func:`assess_many` -> :class:`Portfolio`.

A portfolio is one row per institution (:class:`Summary`: score, grade, blocking gaps, scores
by phase and Sendai priority), the files that could not be read (:class:`Failure`, with every
located problem), and, when asked for, the full assessments. A broken profile never stops a
batch: it is reported and every other profile is still scored.

Profiles are independent, so a batch of files runs on a process pool (``workers``): each
worker reads the protocol once, reads and scores its files, and sends back the compact summary
(an assessment pickles to tens of kilobytes; a summary to a few hundred bytes). The same work
maps over a Dask bag (:func:`assess_bag`, which sends the protocol once to each worker) or a
Spark RDD unchanged: :func:`score_file` is a pure function of a path and a protocol (see the
"Scale" section of docs/portfolio.md).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._assess import assess
from ._breakdown import breakdown
from ._frozen import Frozen
from ._i18n import Lang, Term, problem_said
from ._plain import paused_gc
from ._ranking import ranked
from ._summary import Breakdown, GroupStats, Summary
from .assessment import MIN_COVERAGE, Assessment, ProtocolRef
from .errors import DisasterProtocolError, InputWarning, Problem, require_type
from .loader import load_profile
from .model import Protocol
from .profile import EARLIEST_DATE, Glance, Profile, glance, packed, unpacked

if TYPE_CHECKING:
    import pandas as pd
    from dask.bag import Bag

__all__ = ["Breakdown", "Failure", "GroupStats", "Portfolio", "Summary", "assess_bag",
           "assess_many", "collect", "empty_folder", "internal_failure", "profile_files", "ranked",
           "score_file"]

PROFILE_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
"""The files a folder is searched for (``*.meta.yaml`` sidecars are not profiles)."""

NOT_PROFILES = ("partners.yaml", "partners.yml")
"""Names a folder search leaves out: the partners file ``cooperate --partners`` reads
(docs/partners.md) lives beside the profiles and is not one."""


class Failure(Frozen):
    """A file that could not be scored, with every problem found in it."""

    source: str
    problems: tuple[Problem, ...]


class Portfolio(Frozen):
    """Many assessments against one protocol, and the files that could not be read.

    ``summaries`` has one row per profile scored, in the order given; ``assessments`` holds
    the full assessments in the same order when every one was kept (profiles given in memory
    keep theirs; files with ``keep_assessments=True``), else it is empty. ``format_version``
    is the shape of its JSON (CHANGELOG.md): 2 since rows carry their range, reliability and
    rank interval.
    """

    format_version: Literal[2] = 2
    protocol: ProtocolRef
    summaries: tuple[Summary, ...]
    failures: tuple[Failure, ...]
    assessments: tuple[Assessment, ...] = ()

    def to_frame(self, kind: Literal["institutions", "groups", "actions"] | None = None, *,
                 lang: Lang = "es") -> pd.DataFrame:
        """A pandas DataFrame, one row per institution, or long per institution and group
        score or action (needs the ``analysis`` extra; see :mod:`disaster_protocol.frames`)."""
        from .frames import portfolio_frame

        return portfolio_frame(self, kind, lang)

    def __repr__(self) -> str:
        return (f"Portfolio({self.protocol.id} {self.protocol.version}: "
                f"{len(self.summaries)} institutions, {len(self.failures)} unreadable)")

    __str__ = __repr__

    def summary(self, by: str = "country", *, k: int = 3) -> Breakdown:
        """The institutions grouped by ``by`` (``country``, ``subregion``, ``type`` or
        ``language``): count, mean and median score, mean coverage, grades, the most common
        blocking gaps and the weakest Sendai priority; groups under ``k`` suppressed.

        Raises
        ------
        ValueError
            For another attribute, or ``k`` below 1.
        """
        return breakdown(self.summaries, by, k)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (summaries and failures; assessments when kept)."""
        return self.model_dump(mode="json", exclude={"assessments"} if not self.assessments
                               else None)

    def to_json(self) -> str:
        """Stable JSON text in every language (same input, same bytes)."""
        from .report.portfolio import portfolio_json

        return portfolio_json(self)

    def to_csv(self) -> str:
        """One row per institution (ids and numbers only: it has no words to translate);
        the unreadable files are listed by the other formats."""
        from .report.portfolio import portfolio_csv

        return portfolio_csv(self)

    def to_markdown(self, lang: Lang = "es") -> str:
        """A Markdown table of the institutions and the list of unreadable files."""
        from .report.portfolio import portfolio_markdown

        return portfolio_markdown(self, lang)

    def to_html(self, lang: Lang = "es") -> str:
        """A self-contained HTML page of the portfolio."""
        from .report.portfolio import portfolio_html

        return portfolio_html(self, lang)

    def to_junit(self, lang: Lang = "es") -> str:
        """JUnit XML for CI systems, a test suite per institution (the portfolio must keep
        its assessments: :mod:`disaster_protocol.report.junit`)."""
        from .report.junit import portfolio_junit

        return portfolio_junit(self, lang)

    def _repr_html_(self) -> str:
        from .report.portfolio import portfolio_html

        return portfolio_html(self, "es", fragment=True)


def profile_files(paths: Iterable[str | os.PathLike[str]], *,
                  recursive: bool = False) -> list[Path]:
    """The profile files named by ``paths``: files as given, folders searched for ``.yaml``,
    ``.yml``, ``.json`` and ``.csv`` files (sidecars ``*.meta.yaml`` and partners files
    ``partners.yaml`` left out), sorted.

    A path that does not exist is kept, so that reading it reports the problem; so is
    anything in a folder named like a profile that is not a readable file. A file named
    twice is listed once.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.is_dir() or path.suffix.lower() in PROFILE_SUFFIXES:
            found.append(path)  # a folder named x.yaml is reported when read, not searched
            continue
        pattern = "**/*" if recursive else "*"
        # Everything named like a profile is kept, so that reading reports what is not a
        # readable file (a dangling link, a link loop, a FIFO, a folder named x.yaml).
        found += sorted(p for p in path.glob(pattern)
                        if p.suffix.lower() in PROFILE_SUFFIXES
                        and not p.name.lower().endswith(".meta.yaml")
                        and p.name.lower() not in NOT_PROFILES)
    seen: set[str] = set()  # a file named twice (or through two folders) is read once
    unique = []
    for path in found:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def empty_folder(path: str | os.PathLike[str], *, recursive: bool = False) -> str | None:
    """Why the folder ``path`` yields no profile, naming the sub-folders that hold some (and
    ``recursive=True``); None when it yields one, or is not a folder.

    >>> print(empty_folder("examples/region").split("; ")[1])
    its sub-folders 2026, 2027 hold some: pass recursive=True to search them
    """
    why = why_empty(path, recursive=recursive)
    if why is None:
        return None
    kinds = ", ".join(PROFILE_SUFFIXES)
    if why == "under":
        return f"{path}: no profile file ({kinds}) in this folder or under it"
    if not why:
        return f"{path}: no profile file ({kinds}) in this folder or its sub-folders"
    return (f"{path}: no profile file ({kinds}) in this folder; its sub-folders "
            f"{', '.join(why)} hold some: pass recursive=True to search them")


def why_empty(path: str | os.PathLike[str], *, recursive: bool = False
              ) -> tuple[str, ...] | str | None:
    """None when the folder ``path`` yields a profile (or is not a folder); else ``"under"``
    when searched recursively, or the names of its sub-folders that hold profiles (empty
    when none does). :func:`empty_folder` says it in a sentence."""
    folder = Path(path)
    if not folder.is_dir() or folder.suffix.lower() in PROFILE_SUFFIXES:
        return None
    if profile_files([folder], recursive=recursive):
        return None
    if recursive:
        return "under"
    return tuple(sorted(p.name for p in folder.iterdir()
                        if p.is_dir() and profile_files([p], recursive=True)))


def internal_failure(source: str, exc: Exception) -> Failure:
    """The failure of one file that met a bug in disaster-protocol (not a broken input): it
    names the file and the error, so that the other files of a batch are still scored."""
    try:
        said = str(exc)
    except Exception:
        said = ""
    said = said if len(said) <= 200 else said[:197] + "..."
    message = (f"internal error ({type(exc).__name__}: {said}); this is a bug in "
               "disaster-protocol: please report it with this file (--debug shows the "
               "traceback)")
    return Failure(source=source, problems=(Problem(file=source, message=message,
                                                    code="internal-error"),))


@dataclass(frozen=True)
class _Options:
    as_of: date | None
    strict: bool
    keep: bool
    min_coverage: float = MIN_COVERAGE


def score_file(path: str | os.PathLike[str], protocol: Protocol, *, as_of: date | None = None,
               strict: bool = False, keep_assessment: bool = False,
               min_coverage: float = MIN_COVERAGE) -> Summary | Assessment | Failure:
    """Read one profile file and score it: its summary (or its assessment), or its failure.

    A pure function of its arguments, for mapping over many files (a process pool, a Dask bag).
    """
    try:
        assessment = assess(protocol, load_profile(path, protocol), as_of=as_of, strict=strict,
                            min_coverage=min_coverage)
    except DisasterProtocolError as exc:
        return Failure(source=str(path), problems=exc.problems)
    except Warning:  # a warning turned into an error by the caller's filter is theirs
        raise
    except Exception as exc:  # a bug met in one file must not stop the others
        return internal_failure(str(path), exc)
    return assessment if keep_assessment else Summary.of(assessment, str(path))


_WORKER: tuple[Protocol, _Options] | None = None


def _start_worker(protocol: Protocol, options: _Options) -> None:
    global _WORKER
    _WORKER = (protocol, options)
    # a worker has no one to tell: input warnings are for a profile read alone (docs/portfolio.md)
    warnings.simplefilter("ignore", InputWarning)


def _score_in_worker(paths: list[str]) -> list[Summary | Assessment | Failure]:
    assert _WORKER is not None, "the pool's initializer sets the protocol"
    protocol, options = _WORKER
    with paused_gc():
        return _score_paths(protocol, paths, options)


def _score_paths(protocol: Protocol, paths: Sequence[str], options: _Options,
                 tick: Callable[[int], None] = lambda n: None
                 ) -> list[Summary | Assessment | Failure]:
    """What :func:`score_file` gives for each path, the profiles read first and then scored
    together by the batch kernel (:func:`_score_profiles`); ``tick`` after each file read."""
    out: list[Summary | Assessment | Failure | None] = [None] * len(paths)
    read: list[tuple[int, Profile]] = []
    for i, path in enumerate(paths):
        try:
            read.append((i, load_profile(path, protocol)))
        except DisasterProtocolError as exc:
            out[i] = Failure(source=str(path), problems=exc.problems)
        except Warning:  # a warning turned into an error by the caller's filter is theirs
            raise
        except Exception as exc:  # a bug met in one file must not stop the others
            out[i] = internal_failure(str(path), exc)
        tick(1)
    scored = _score_profiles(protocol, [profile for _, profile in read], options,
                             None if options.keep else [str(paths[i]) for i, _ in read])
    for (i, _), result in zip(read, scored, strict=True):
        path = paths[i]
        if isinstance(result, Failure):  # said as the file alone says it (its path, not id)
            out[i] = score_file(path, protocol, as_of=options.as_of, strict=options.strict,
                                keep_assessment=options.keep,
                                min_coverage=options.min_coverage)
        else:
            out[i] = result
    return out  # type: ignore[return-value]  # every place is filled above


def assess_many(protocol: Protocol, profiles: Iterable[Profile | str | os.PathLike[str]], *,
                workers: int | None = None, as_of: date | None = None, strict: bool = False,
                keep_assessments: bool = False,
                progress: Callable[[int], None] | None = None,
                min_coverage: float = MIN_COVERAGE, recursive: bool = False) -> Portfolio:
    """Score many profiles against one protocol.

    Parameters
    ----------
    protocol : Protocol
        Loaded once; every profile is checked against it.
    profiles : iterable of Profile or path
        Profiles in memory, or profile files (``.yaml``, ``.json``, ``.csv`` with sidecar).
        A file that cannot be read becomes a :class:`Failure`; the others are still scored.
    workers : int, optional
        Score files on this many processes, at most one per core and per file (default: in
        this process). Profiles in memory are always scored here.
    as_of, strict, min_coverage
        As for :func:`~disaster_protocol.assess`.
    keep_assessments : bool
        Keep the full assessment of every file (profiles in memory always keep theirs).
    progress : callable, optional
        Called with the number of profiles just finished (for a progress bar); the library
        never prints.
    recursive : bool
        Search the folders given in their sub-folders too.

    Returns
    -------
    Portfolio

    Raises
    ------
    ValueError
        If a folder given yields no profile (the message names the sub-folders that hold
        some, and ``recursive=True``): an audit never passes with nothing checked.

    Examples
    --------
    >>> import disaster_protocol as dp
    >>> portfolio = dp.assess_many(dp.load_protocol(), ["examples/profiles"])
    >>> len(portfolio.summaries), portfolio.failures
    (3, ())
    >>> len(dp.assess_many(dp.load_protocol(), ["examples/region"], recursive=True).summaries)
    40
    """
    require_type(protocol, Protocol, "protocol", "a Protocol (from load_protocol)")
    if isinstance(profiles, (str, os.PathLike, Profile)):
        raise TypeError("profiles must be a list of Profiles or paths; wrap a single one in "
                        f"[...] (got {type(profiles).__name__})")
    if workers is not None:
        require_type(workers, int, "workers", "a whole number of processes")
        if workers < 1:
            raise ValueError(f"workers must be at least 1 (got {workers})")
    if as_of is not None:
        require_type(as_of, date, "as_of", "a datetime.date or None")
        if as_of < EARLIEST_DATE:
            raise ValueError(f"as_of must be {EARLIEST_DATE} or later (got {as_of})")
    entries: list[Profile | str] = []
    for item in profiles:
        if isinstance(item, Profile):
            entries.append(item)
        else:
            require_type(item, (str, os.PathLike), "profiles",
                         "Profiles or paths of profile files and folders")
            entries += _files_of(item, recursive)
    tick = progress or (lambda n: None)
    options = _Options(as_of, strict, keep_assessments, min_coverage)
    results: list[tuple[str | None, Summary | Assessment | Failure]] = []
    with paused_gc():
        paths = [e for e in entries if isinstance(e, str)]
        scored = iter(_score_files(protocol, paths, workers, options, tick))
        held = iter(_score_profiles(protocol, [e for e in entries if isinstance(e, Profile)],
                                    options))
        for entry in entries:
            if isinstance(entry, Profile):
                results.append((None, next(held)))
                tick(1)
            else:
                results.append((entry, next(scored)))
        # With as_of given, every assessment has that date: same dates say nothing then.
        # (Put together with the collector still paused: its passes over thousands of new
        # results would cost more than building the rows.)
        return _portfolio(protocol, results, one_per_date=as_of is None)


def _files_of(path: str | os.PathLike[str], recursive: bool) -> list[str]:
    """The profile files ``path`` names; a folder that yields none is refused."""
    empty = empty_folder(path, recursive=recursive)
    if empty:
        raise ValueError(empty)
    return [str(p) for p in profile_files([path], recursive=recursive)]


def assess_bag(protocol: Protocol, bag: Bag, *, as_of: date | None = None,
               strict: bool = False, keep_assessments: bool = False,
               min_coverage: float = MIN_COVERAGE) -> Bag:
    """Score a Dask bag of profiles or profile files, lazily, partition by partition.

    The protocol travels once to each worker (one task every partition depends on) rather
    than with every partition, and each profile comes back as its compact :class:`Summary`
    row (about a kilobyte; an assessment is tens of kilobytes) or as the :class:`Failure` of
    a file that could not be read. Rows carry no rank until the whole list is in:
    :func:`ranked` sets each row's rank interval, as :func:`assess_many` does.

    Parameters
    ----------
    protocol : Protocol
        Every profile is checked against it.
    bag : dask.bag.Bag
        Of :class:`~disaster_protocol.Profile` values or paths of profile files (``str`` or
        ``os.PathLike``), in any mix.
    as_of, strict, min_coverage
        As for :func:`~disaster_protocol.assess`.
    keep_assessments : bool
        Send back whole assessments instead of summary rows.

    Returns
    -------
    dask.bag.Bag
        Of :class:`Summary` (or :class:`~disaster_protocol.Assessment`) and
        :class:`Failure`, one per element, in the bag's order; compute it with any scheduler
        (a ``dask.distributed`` cluster included).

    Raises
    ------
    ImportError
        Without Dask (``pip install 'disaster-protocol[dask]'``).
    TypeError
        If ``protocol`` is not a Protocol or ``bag`` not a Dask bag.

    Examples
    --------
    >>> import dask.bag
    >>> import disaster_protocol as dp
    >>> from disaster_protocol.portfolio import assess_bag, ranked
    >>> paths = dask.bag.from_sequence(["examples/profiles/caja_intermedia.yaml"])
    >>> rows = assess_bag(dp.load_protocol(), paths).compute(scheduler="synchronous")
    >>> [(r.institution.id, r.grade) for r in ranked(rows)]
    [('caja-ejemplo-b', 'C')]
    """
    try:
        from dask.bag import Bag
        from dask.delayed import delayed
    except ImportError as exc:  # pragma: no cover - the dask extra is in the dev extra
        raise ImportError("assess_bag needs Dask: pip install 'disaster-protocol[dask]'"
                          ) from exc
    require_type(protocol, Protocol, "protocol", "a Protocol (from load_protocol)")
    require_type(bag, Bag, "bag", "a dask.bag.Bag of Profiles or paths")
    if as_of is not None:
        require_type(as_of, date, "as_of", "a datetime.date or None")
    # Named, so that Dask does not hash the whole protocol to name it; one task, so that a
    # cluster sends it to each worker once and every partition there shares it.
    shipped = delayed(protocol, name=f"protocol-{protocol.id}-{protocol.version}-"
                           f"{id(protocol):x}", traverse=False)
    options = _Options(as_of, strict, keep_assessments, min_coverage)
    scored: Bag = _packed_partitions(bag).map_partitions(  # type: ignore[no-untyped-call]
        _score_partition, shipped, options)
    return scored


def _packed_partitions(bag: Bag) -> Bag:
    """``bag``, or, when it is a bag of profiles made by ``dask.bag.from_sequence`` (its
    partitions are lists held in the graph), the same partitions, each of which crosses to a
    worker as one compact payload (:class:`_Partition`).

    Profiles held in a graph otherwise cross one by one, and a ``dask.distributed`` scheduler
    unpickles every one of them and pickles it again on the way to a worker; bytes it only
    copies. Any other bag (paths alone, or a bag derived from another) is returned as it is.
    """
    from dask.bag import Bag

    name = bag.name
    layers = getattr(bag.__dask_graph__(), "layers", None)
    if not name.startswith("from_sequence-") or not isinstance(layers, Mapping) \
            or list(layers) != [name]:
        return bag
    layer = layers[name]
    parts = [layer.get((name, i)) for i in range(bag.npartitions)]
    if len(layer) != len(parts) or not all(type(p) is list for p in parts) \
            or not any(type(item) is Profile for p in parts for item in p):
        return bag
    moved = f"packed-{name}"  # the source is named by hashing its items: so is this
    return Bag({(moved, i): _Partition(p) for i, p in enumerate(parts)},
               moved, len(parts))


class _Partition:
    """A partition of a bag of profiles: its items as they are in this process; pickled, each
    validated profile as its packed bytes (:func:`~.profile.packed`), read again in the
    worker's scoring loop (where the collector is paused): as a :class:`~.profile.Glance`
    where summary rows are wanted (:meth:`glanced`), otherwise unpacked one by one."""

    __slots__ = ("items", "packed_at")

    def __init__(self, items: Sequence[object], packed_at: bytes = b"") -> None:
        self.items = items
        self.packed_at = packed_at  # a flag per item: 1 where it is a packed profile

    def __iter__(self) -> Iterator[object]:
        if not self.packed_at:
            yield from self.items
            return
        for item, flag in zip(self.items, self.packed_at, strict=True):
            yield unpacked(item) if flag else item  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.items)

    def glanced(self) -> list[object]:
        """The items, each packed profile read as a :class:`Glance` (not rebuilt)."""
        if not self.packed_at:
            return list(self.items)
        return [glance(item) if flag else item  # type: ignore[arg-type]
                for item, flag in zip(self.items, self.packed_at, strict=True)]

    def __reduce__(self) -> tuple[type[_Partition], tuple[tuple[object, ...], bytes]]:
        if self.packed_at:  # pickled again on its way (a scheduler to a worker)
            return _Partition, (tuple(self.items), self.packed_at)
        blobs = [packed(item) if isinstance(item, Profile) and type(item) is Profile else None
                 for item in self.items]
        return _Partition, (tuple(i if b is None else b for i, b in zip(self.items, blobs,
                                                                          strict=True)),
                            bytes(b is not None for b in blobs))


def _score_partition(items: Iterable[Profile | str | os.PathLike[str]], protocol: Protocol,
                     options: _Options) -> _Rows:
    """One partition of :func:`assess_bag`: its profiles, and the files it names, scored
    together by the batch kernel (:func:`_score_profiles`, :func:`_score_paths`), in order."""
    out: list[Summary | Assessment | Failure | None] = []
    with paused_gc():
        # A packed partition is read here, the collector paused: for summary rows, each
        # profile's packed rows are scored as they are (a Glance); otherwise it is unpacked.
        given = items.glanced() if isinstance(items, _Partition) and not options.keep \
            else list(items)
        held = [i for i, item in enumerate(given) if isinstance(item, (Profile, Glance))]
        named = [i for i, item in enumerate(given) if not isinstance(item, (Profile, Glance))]
        out = [None] * len(given)
        profiles: list[Any] = [given[i] for i in held]
        for i, result in zip(held, _score_profiles(protocol, profiles, options, None
                                                   if options.keep else [None] * len(held)),
                             strict=True):
            out[i] = result
        paths: list[Any] = [given[i] for i in named]  # str or PathLike, as score_file takes
        for i, read in zip(named, _score_paths(protocol, paths, options), strict=True):
            out[i] = read
    return _Rows(out)  # every place is filled above


class _Rows(Sequence[Any]):
    """A partition's results, a read-only sequence. ``dask.distributed`` sends the items of a
    list, a tuple or a dict one by one, each in frames of its own (for 10,000 rows about a
    second of the client's time); any other value in one piece."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = tuple(items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __getitem__(self, i: Any) -> Any:  # an index, or a slice (a tuple then)
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Rows) and self.items == other.items

    __hash__ = None  # type: ignore[assignment]  # compared by content, like a list

    def __repr__(self) -> str:
        return f"_Rows({list(self.items)!r})"

    def __reduce__(self) -> tuple[type[_Rows], tuple[tuple[Any, ...]]]:
        return _Rows, (self.items,)


def collect(bag: Bag, **compute: Any) -> list[Any]:
    """``bag.compute(**compute)``, each partition brought back in one piece.

    ``dask.distributed`` sends a computed bag's items one by one, each in frames of its own:
    for the 10,000 rows of :func:`assess_bag` that is most of the client's time. Here each
    partition of ``assess_bag``'s bag crosses as one value and the list is put together in
    this process (other bags' partitions cross as they are).

    Examples
    --------
    >>> import dask.bag
    >>> import disaster_protocol as dp
    >>> from disaster_protocol.portfolio import assess_bag, collect
    >>> paths = dask.bag.from_sequence(["examples/profiles/caja_intermedia.yaml"])
    >>> [r.grade for r in collect(assess_bag(dp.load_protocol(), paths), scheduler="sync")]
    ['C']
    """
    try:
        from dask.bag import Bag
        from dask.base import compute as computed
    except ImportError as exc:  # pragma: no cover - the dask extra is in the dev extra
        raise ImportError("collect needs Dask: pip install 'disaster-protocol[dask]'") from exc
    require_type(bag, Bag, "bag", "a dask.bag.Bag")
    parts = computed(*bag.to_delayed(), **compute)  # type: ignore[no-untyped-call]
    return [item for part in parts for item in part]


_BATCH = 2048
"""Profiles are scored together, this many at a time (:mod:`._kernel`)."""
_WORKER_CHUNK = 256
"""At most this many files are sent to a worker process at a time."""


def _score_profiles(protocol: Protocol, profiles: Sequence[Profile | Glance],
                    options: _Options, sources: Sequence[str | None] | None = None
                    ) -> list[Any]:
    """Each profile's assessment or failure, as :func:`_score_profile` gives it, computed
    together by the batch kernel (the same values, in less time); given the rows' sources,
    each profile's :class:`Summary` row instead of its assessment, computed without the
    findings and plan a row does not show (profiles may then be packed: :class:`Glance`)."""
    from ._kernel import assess_batch, summarise_batch

    out: list[Summary | Assessment | Failure] = []
    for start in range(0, len(profiles), _BATCH):
        chunk = profiles[start:start + _BATCH]
        named = [None] * len(chunk) if sources is None else sources[start:start + _BATCH]
        try:
            scored: list[Any] = (
                assess_batch(protocol, chunk, as_of=options.as_of,  # type: ignore[arg-type]
                             strict=options.strict, min_coverage=options.min_coverage)
                if sources is None else
                summarise_batch(protocol, chunk, as_of=options.as_of, strict=options.strict,
                                min_coverage=options.min_coverage))
        except Warning:
            raise
        except Exception:  # a bug met in the batch: each profile alone, so that it stops none
            scored = [RuntimeError()] * len(chunk)  # of the others (and is reported as one)
        for item, source, result in zip(chunk, named, scored, strict=True):
            if isinstance(result, dict):
                out.append(Summary.of_parts(result, source))
                continue
            if not isinstance(result, Assessment):  # its failure, said as ever
                result = _score_profile(
                    protocol, unpacked(item.blob) if isinstance(item, Glance) else item, options)
            out.append(Summary.of(result, source) if sources is not None
                       and isinstance(result, Assessment) else result)
    return out


def _score_profile(protocol: Protocol, profile: Profile, options: _Options
                   ) -> Assessment | Failure:
    try:
        return assess(protocol, profile, as_of=options.as_of, strict=options.strict,
                      min_coverage=options.min_coverage)
    except DisasterProtocolError as exc:  # a profile checked against another protocol
        return Failure(source=f"<profile of {profile.institution.id}>", problems=exc.problems)
    except Warning:
        raise
    except Exception as exc:  # a bug met in one profile must not stop the others
        return internal_failure(f"<profile of {profile.institution.id}>", exc)


def _score_files(protocol: Protocol, paths: Sequence[str], workers: int | None,
                 options: _Options, tick: Callable[[int], None]
                 ) -> list[Summary | Assessment | Failure]:
    if not workers or workers == 1 or len(paths) < 2:
        out = []
        for start in range(0, len(paths), _BATCH):
            out += _score_paths(protocol, paths[start:start + _BATCH], options, tick)
        return out
    workers = min(workers, len(paths), os.cpu_count() or 1) or 1
    # Chunks large enough for the batch kernel, and enough of them to keep every worker busy.
    size = max(1, min(_WORKER_CHUNK, len(paths) // (workers * 4)))
    chunks = [list(paths[i:i + size]) for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                             initargs=(protocol, options)) as pool:
        out = []
        for results in pool.map(_score_in_worker, chunks):
            out += results
            tick(len(results))
        return out


def _one_per_date(summaries: list[Summary], assessments: list[Assessment]
                  ) -> tuple[list[Summary], list[Assessment], list[Failure]]:
    """Keep the first profile of an institution and date; a later one is a failure that names
    the first (which of two same-dated profiles is current cannot be told)."""
    first: dict[tuple[str, date], Summary] = {}
    kept: list[int] = []
    twins: list[Failure] = []
    for i, s in enumerate(summaries):
        known = first.setdefault((s.institution.id, s.as_of), s)
        if known is s:
            kept.append(i)
            continue
        source = s.source or f"<profile of {s.institution.id}>"
        other: object = known.source or Term("problem.twin.in-memory")
        twins.append(Failure(source=source, problems=(Problem(
            file=source, path="assessed_on", code="duplicate-id", **problem_said((
                "problem.twin", {"institution": s.institution.id, "date": s.as_of,
                                 "other": other}))),)))
    if len(kept) == len(summaries):
        return summaries, assessments, twins
    return ([summaries[i] for i in kept],
            [assessments[i] for i in kept] if len(assessments) == len(summaries) else [],
            twins)


def _portfolio(protocol: Protocol,
               results: list[tuple[str | None, Summary | Assessment | Failure]], *,
               one_per_date: bool = True) -> Portfolio:
    summaries: list[Summary] = []
    assessments: list[Assessment] = []
    failures: list[Failure] = []
    for source, result in results:
        if isinstance(result, Failure):
            failures.append(result)
        elif isinstance(result, Assessment):
            assessments.append(result)
            summaries.append(Summary.of(result, source))
        else:
            summaries.append(result)
    if one_per_date:
        summaries, assessments, twins = _one_per_date(summaries, assessments)
        failures += twins
    return Portfolio(protocol=ProtocolRef(id=protocol.id, version=protocol.version),
                     summaries=ranked(summaries), failures=tuple(failures),
                     assessments=tuple(assessments) if len(assessments) == len(summaries)
                     else ())

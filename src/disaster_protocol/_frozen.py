"""The base of every value: frozen, closed pydantic models and read-only mappings.

Frozen means frozen: fields cannot be assigned, mappings inside a value cannot be changed, and
``model_copy(update=...)`` validates what it is given (pydantic's own skips validation and would
carry caches derived from the old fields). Values pickle without their caches, so a protocol
sent to a worker process carries its data, not its compiled index.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Frozen", "FrozenDict", "Id", "NonEmpty", "ReadOnly", "trusted"]

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]

_K = TypeVar("_K")
_V = TypeVar("_V")
_M = TypeVar("_M", bound=BaseModel)


class FrozenDict(dict[_K, _V]):
    """A dict that refuses every change after it is made; it pickles and compares as a dict.

    Examples
    --------
    >>> levels = FrozenDict({"GOV-01": 3})
    >>> levels["GOV-01"] = 4
    Traceback (most recent call last):
    ...
    TypeError: this mapping is part of a frozen value and cannot be changed; build a new value
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("this mapping is part of a frozen value and cannot be changed; "
                        "build a new value")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict[_K, _V]], tuple[dict[_K, _V]]]:
        return type(self), (dict(self),)

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        return self


def _freeze(mapping: Mapping[_K, _V]) -> FrozenDict[_K, _V]:
    return mapping if isinstance(mapping, FrozenDict) else FrozenDict(mapping)


ReadOnly = Annotated[Mapping[_K, _V], AfterValidator(_freeze)]
"""A mapping field of a frozen value: validated as a dict, stored as a :class:`FrozenDict`."""


class Frozen(BaseModel):
    """Base of every model: frozen, unknown keys refused, text stripped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """A copy; with ``update``, a new value validated like any input (caches rebuilt).

        Raises
        ------
        pydantic.ValidationError
            If ``update`` does not fit the model.
        """
        if update:
            fields = {name: getattr(self, name) for name in type(self).model_fields}
            return self.model_validate({**fields, **update})
        return super().model_copy(deep=deep)

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        fields = type(self).model_fields
        state["__dict__"] = {k: v for k, v in self.__dict__.items() if k in fields}
        return state

    def __dask_tokenize__(self) -> tuple[str, str]:
        """Dask's name for the value (``dask.bag.from_sequence`` names a bag by its items):
        its class and its JSON, a tenth of what Dask's own hashing of a model costs."""
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}", self.model_dump_json()

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its fields alone and rebuilt without pydantic's per-object state
        # protocol: a profile crosses to a worker process in a third of the time. Caches
        # (cached properties kept beside the fields) stay behind.
        fields = type(self).__pydantic_fields__
        values = self.__dict__
        if len(values) != len(fields):
            values = {k: v for k, v in values.items() if k in fields}
        return _restore, (type(self), values, self.__pydantic_fields_set__)


def trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """A value built from parts the library computed itself from validated input.

    Validation belongs on every input boundary; re-validating what the library just built is
    most of the cost of an assessment. ``values`` must hold every field, already of the right
    type (mappings as :class:`FrozenDict`); the result equals ``cls(**values)``, which the tests
    check for every class built this way. This sets the four attributes
    :meth:`pydantic.BaseModel.model_construct` sets (pydantic 2), without its per-field loop.
    """
    value = _new(cls)
    _set(value, "__dict__", values)
    _set(value, "__pydantic_fields_set__", _every_field(cls))
    _set(value, "__pydantic_extra__", None)
    _set(value, "__pydantic_private__", None)
    return value


_new = object.__new__
_set = object.__setattr__


def _restore(cls: type[_M], values: dict[str, Any], fields_set: set[str] | frozenset[str]
             ) -> _M:
    """A value unpickled: its fields as they were pickled (see ``Frozen.__reduce__``)."""
    value = _new(cls)
    _set(value, "__dict__", values)
    _set(value, "__pydantic_fields_set__", fields_set)
    _set(value, "__pydantic_extra__", None)
    _set(value, "__pydantic_private__", None)
    return value


@cache
def _every_field(cls: type[BaseModel]) -> frozenset[str]:
    # Shared by every value of a class: a frozen value's set of given fields never changes.
    return frozenset(cls.model_fields)

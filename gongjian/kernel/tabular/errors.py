"""The one error a table can raise, with a message fit to show the user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

FORMAT_MESSAGE: Final = "无法识别的文件格式，请上传 .xlsx 或 .csv 文件"
NO_DATA_MESSAGE: Final = "文件中没有数据"


class TableError(ValueError):
    """A problem with an uploaded table, with a message fit to show the user.

    ``code`` is a stable machine-readable reason (``format``, ``empty``,
    ``too_large``, ``too_many_rows``, ``encoding``, ``encrypted``, ``corrupt``,
    ``csv``, ``sheet``, ``missing_columns``); ``missing`` lists the Chinese
    labels of missing required columns for ``missing_columns``.
    """

    def __init__(self, message: str, *, code: str = "invalid", missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.missing: tuple[str, ...] = tuple(missing)

    def __str__(self) -> str:
        return self.message

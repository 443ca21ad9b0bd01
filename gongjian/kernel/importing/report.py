"""What an import found and did: the counts and every bad row, with its spreadsheet row number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_LISTED_PROBLEMS = 1000


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


@dataclass
class ImportReport:
    """What an import found and did; `ok` only when every row was good."""

    kind: str
    dry_run: bool
    file_sha256: str = ""
    rows: int = 0
    created: int = 0
    existing: int = 0
    attended: int = 0
    already_attended: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and self.rows > 0

    def add_problem(self, row: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(RowProblem(row, message))

    def merge_problems(self, found: list[RowProblem]) -> None:
        """Add problems found apart (another pass, another thread): the list stays in row order."""
        if found:
            self.problem_count += len(found)
            self.problems = sorted(self.problems + found, key=lambda p: p.row)[:MAX_LISTED_PROBLEMS]

    def summary(self) -> str:
        if self.rows == 0 and self.problem_count:
            return "；".join(str(p) for p in self.problems[:3])
        parts = [f"共 {self.rows} 行"]
        if self.problem_count:
            parts.append(f"{self.problem_count} 行有问题")
        verb = "将新登记" if self.dry_run or not self.committed else "新登记"
        parts.append(f"{verb} {self.created} 人")
        if self.existing:
            parts.append(f"{self.existing} 人已登记（不变）")
        if self.kind == "attendance":
            verb = "将登记" if self.dry_run or not self.committed else "登记"
            parts.append(f"{verb}参加 {self.attended} 人次")
            if self.already_attended:
                parts.append(f"{self.already_attended} 人次已登记过")
        if self.problem_count and not self.dry_run:
            parts.append("未导入任何数据，请修改后重新导入")
        elif self.dry_run:
            parts.append("（检查，未写入）")
        return "，".join(parts) + "。"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "dry_run": self.dry_run, "ok": self.ok, "committed": self.committed,
            "rows": self.rows, "created": self.created, "existing": self.existing,
            "attended": self.attended, "already_attended": self.already_attended,
            "problem_count": self.problem_count,
            "problems": [{"row": p.row, "message": p.message} for p in self.problems],
            "summary": self.summary(), "file_sha256": self.file_sha256,
        }

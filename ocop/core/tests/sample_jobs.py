"""Background jobs used only by the tests of ocop.core.jobs (core imports no domain app, so it brings its
own)."""

from __future__ import annotations

from typing import Any

from ocop.core.jobs import JobContext, JobFailed, background_job


@background_job()
def echo_job(job: JobContext, *, words: list[str]) -> dict[str, Any]:
    job.progress(50, "Đang ghép chữ")
    text = " ".join(words)
    job.save_file("txt", name="ket-qua.txt", label="Tải kết quả", content=text.encode())
    return {"summary": f"Đã ghép {len(words)} chữ."}


@background_job()
def refusing_job(job: JobContext, *, reason: str) -> None:
    raise JobFailed(reason, result={"errors": [{"row": 3, "column": "A", "message": reason}]})


@background_job()
def crashing_job(job: JobContext) -> None:
    raise ZeroDivisionError("boom")

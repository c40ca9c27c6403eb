"""The exercise builder for trainers: /api/exercises (build, list, reopen, regenerate or
remove one item, download) and the trainer page at /trainer."""

from __future__ import annotations

import threading
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from tvaers import __version__
from tvaers.contracts import ExerciseKind, ExerciseOptions, ExerciseSheet
from tvaers.prompts.exercises.builder import ExerciseBuilder, ExerciseRequestError
from tvaers.prompts.exercises.export import FORMATS, NoQuizError, export
from tvaers.prompts.exercises.export_gift import gift_questions
from tvaers.prompts.exercises.select import ExerciseOptionError
from tvaers.prompts.exercises.store import SHEET_ID, ExerciseStore
from tvaers.service.routers.pages import TEMPLATES
from tvaers.service.routers.search import nfc
from tvaers.service.state import RuntimeDep, ServiceState, StateDep

router = APIRouter(prefix="/api", tags=["exercises"])
page_router = APIRouter(tags=["pages"], include_in_schema=False)

#: The builder is not thread-safe while it fills its caches; requests take turns.
_BUILD_LOCK = threading.Lock()
# a sheet is read, changed and saved whole: two edits at once would each save their own
# copy and lose the other's (and a delete during a regenerate would be undone)
_EDIT_LOCK = threading.Lock()

# NFC first: "Horsens på Forkant" pasted with a decomposed "å" names the same case
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    BeforeValidator(nfc),
]
Format = Literal["md", "html", "docx", "gift"]
SheetId = Annotated[str, Path(pattern=SHEET_ID.pattern)]
ItemId = Annotated[str, Path(pattern=r"^[a-z]+-[0-9]{1,3}$")]


class ExerciseRequest(BaseModel):
    """The options of ``tvaers exercise``; names match case-insensitively."""

    model_config = ConfigDict(extra="forbid")

    topics: list[Name] = Field(default=[], max_length=20, description="Topic names or slugs.")
    cases: list[Name] = Field(default=[], max_length=20, description="Case names or slugs.")
    docs: list[Name] = Field(default=[], max_length=20, description="Document ids or titles.")
    kinds: list[ExerciseKind] = Field(
        default=["case", "dilemma", "discussion", "quiz"], min_length=1, max_length=4,
        json_schema_extra={"uniqueItems": True},
    )
    n: int = Field(default=6, ge=1, le=40, description="Items: one per kind, the rest quiz.")
    seed: int = Field(default=1, ge=0, le=2**31 - 1)
    lang: Literal["da", "en"] = "da"
    k: int = Field(default=5, ge=1, le=50, description="Passages retrieved per quiz question.")
    format: Format | None = Field(default=None, description="The download link listed first.")

    @field_validator("kinds")
    @classmethod
    def _each_kind_once(cls, kinds: list[str]) -> list[str]:
        twice = sorted({k for k in kinds if kinds.count(k) > 1})
        if twice:
            raise ValueError(f"each kind once: {', '.join(twice)} given twice (n sets the count)")
        return kinds


class RegenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: int | None = Field(default=None, ge=0, le=2**31 - 1,
                             description="The new seed; derived from the old one when absent.")


class Download(BaseModel):
    format: Format
    part: Literal["handout", "key"]
    url: str


class SheetResponse(BaseModel):
    sheet: ExerciseSheet
    downloads: list[Download]


class SheetListEntry(BaseModel):
    sheet_id: str
    title: str
    items: int
    created: str
    updated: str
    url: str


class Parts:
    def __init__(self, builder: ExerciseBuilder, store: ExerciseStore) -> None:
        self.builder = builder
        self.store = store


def prepare_parts(state: ServiceState) -> Parts:
    """The exercise builder and the sheet store, built once, on first use."""
    return state.part(
        "exercises",
        lambda s: Parts(
            ExerciseBuilder.from_runtime(s.runtime), ExerciseStore(s.settings.resolved_db_path)
        ),
    )


def get_parts(state: StateDep, runtime: RuntimeDep) -> Parts:
    del runtime  # an unserved index gives its 503 first
    return prepare_parts(state)


PartsDep = Annotated[Parts, Depends(get_parts)]


def _downloads(sheet: ExerciseSheet, first: str | None = None) -> list[Download]:
    formats = sorted(FORMATS, key=lambda f: f != first)
    if not gift_questions(sheet):
        formats.remove("gift")  # it would be an empty file
    out = []
    for fmt in formats:
        for part in ("handout", "key") if fmt != "gift" else ("handout",):
            url = f"/api/exercises/{quote(sheet.sheet_id)}/download?format={fmt}&part={part}"
            out.append(Download(format=fmt, part=part, url=url))  # type: ignore[arg-type]
    return out


def _response(sheet: ExerciseSheet, first: str | None = None) -> SheetResponse:
    return SheetResponse(sheet=sheet, downloads=_downloads(sheet, first))


def _sheet(parts: Parts, sheet_id: str) -> ExerciseSheet:
    sheet = parts.store.get(sheet_id)
    if sheet is None:
        raise HTTPException(status_code=404, detail=f"no saved sheet {sheet_id!r}")
    return sheet


@router.post("/exercises", response_model=SheetResponse)
def build_sheet(request: ExerciseRequest, parts: PartsDep) -> SheetResponse:
    """Build and save a sheet; the same options as ``tvaers exercise``."""
    options = ExerciseOptions(**request.model_dump(exclude={"format"}))
    try:
        with _BUILD_LOCK:
            sheet = parts.builder.build(options)
    except ExerciseOptionError as exc:
        field = {"topic": "topics", "case": "cases", "document": "docs"}[exc.what]
        raise HTTPException(
            status_code=422,
            detail=[{"loc": ["body", field], "msg": str(exc), "type": "value_error",
                     "valid": exc.valid}],
        ) from exc
    except ExerciseRequestError as exc:
        raise HTTPException(
            status_code=422, detail=[{"loc": ["body"], "msg": str(exc), "type": "value_error"}]
        ) from exc
    return _response(parts.store.save(sheet), request.format)


@router.get("/exercises/options")
def exercise_options(parts: PartsDep) -> dict[str, list[dict[str, str]]]:
    """What a trainer can choose: topics, cases, documents and kinds."""
    return parts.builder.catalog()


@router.get("/exercises", response_model=list[SheetListEntry])
def list_sheets(parts: PartsDep) -> list[SheetListEntry]:
    """Saved sheets, most recently changed first."""
    return [
        SheetListEntry(**s._asdict(), url=f"/api/exercises/{quote(s.sheet_id)}")
        for s in parts.store.list()
    ]


@router.get("/exercises/{sheet_id}", response_model=SheetResponse)
def get_sheet(sheet_id: SheetId, parts: PartsDep) -> SheetResponse:
    return _response(_sheet(parts, sheet_id))


@router.delete("/exercises/{sheet_id}", status_code=204)
def delete_sheet(sheet_id: SheetId, parts: PartsDep) -> Response:
    """Forget a saved sheet; its downloads stop working with it."""
    with _EDIT_LOCK:
        deleted = parts.store.delete(sheet_id)
    if not deleted:
        raise HTTPException(status_code=404, detail=f"no saved sheet {sheet_id!r}")
    return Response(status_code=204)


@router.post("/exercises/{sheet_id}/items/{item_id}/regenerate", response_model=SheetResponse)
def regenerate_item(
    sheet_id: SheetId,
    item_id: ItemId,
    parts: PartsDep,
    request: RegenerateRequest | None = None,
) -> SheetResponse:
    """Rebuild one item from a new seed; the other items stay exactly as they were."""
    with _EDIT_LOCK:
        sheet = _sheet(parts, sheet_id)
        try:
            with _BUILD_LOCK:
                new = parts.builder.regenerate(sheet, item_id, request.seed if request else None)
        except ExerciseRequestError as exc:
            status = 404 if "no item" in str(exc) else 422
            raise HTTPException(status_code=status, detail=str(exc)) from exc
        return _response(parts.store.save(new))


@router.delete("/exercises/{sheet_id}/items/{item_id}", response_model=SheetResponse)
def remove_item(sheet_id: SheetId, item_id: ItemId, parts: PartsDep) -> SheetResponse:
    with _EDIT_LOCK:
        sheet = _sheet(parts, sheet_id)
        try:
            new = parts.builder.remove(sheet, item_id)
        except ExerciseRequestError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        return _response(parts.store.save(new))


@router.get("/exercises/{sheet_id}/download")
def download(
    sheet_id: SheetId,
    parts: PartsDep,
    format: Annotated[Format, Query(description="md, html, docx or gift")] = "md",
    part: Annotated[Literal["handout", "key"], Query()] = "handout",
) -> Response:
    """The sheet as a file: the handout or the trainer's key (GIFT: the quiz only)."""
    if format == "gift" and part == "key":
        raise HTTPException(
            422, detail="GIFT has no separate key: the answers are inside the quiz file "
            "(part=handout)"
        )
    try:
        out = export(_sheet(parts, sheet_id), format, part)
    except NoQuizError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    disposition = f"attachment; filename=\"{out.filename}\""
    return Response(out.content, media_type=out.media_type,
                    headers={"Content-Disposition": disposition})


@page_router.get("/trainer", response_class=HTMLResponse)
def trainer_page(request: Request) -> HTMLResponse:
    """The trainer page: pick topics, cases, documents and kinds; preview; download."""
    return TEMPLATES.TemplateResponse(request, "trainer.html", {"version": __version__})

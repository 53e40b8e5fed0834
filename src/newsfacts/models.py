"""Output records: the contract of ``shared/spec/facts.md`` as pydantic models.

Every line newsfacts writes is an :class:`ArticleRecord`; its ``facts`` are a
discriminated union on ``kind`` so that a consumer (or the published JSON
Schema) can validate each fact by its own fields.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

SCHEMA_VERSION = "1.0"

IndexCode = Literal[
    "PAR_INDEX", "SIPAS", "PAPI", "PCI", "DDCI", "DTI", "ICT_INDEX", "SERVICE_INDEX", "OTHER"
]
EvidenceKind = Literal[
    "sentence", "previous_sentence", "paragraph", "list", "title", "article", "publication_date"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Strict):
    """How each linked attribute was found, so an audit can question it."""

    subject: Optional[EvidenceKind] = None
    index: Optional[EvidenceKind] = None
    component: Optional[EvidenceKind] = None
    year: Optional[EvidenceKind] = None


class _FactBase(_Strict):
    text: str = Field(description="the matched surface, equal to text[span[0]:span[1]]")
    span: tuple[int, int] = Field(description="[start, end) offsets in the cleaned article text")
    sentence: str
    rule: str = Field(description="id of the rule that produced the fact")
    subject: Optional[str] = None
    subject_id: Optional[str] = None
    index: Optional[IndexCode] = None
    component: Optional[str] = None
    year: Optional[int] = None
    evidence: Evidence = Field(default_factory=Evidence)


class ScoreFact(_FactBase):
    kind: Literal["score"] = "score"
    value: float
    max: Optional[float] = None
    unit: Literal["point", "percent"] = "point"


class RankFact(_FactBase):
    kind: Literal["rank"] = "rank"
    position: Optional[int] = None
    out_of: Optional[int] = None
    change: Optional[int] = None
    scope: Optional[str] = None
    qualifier: Literal["exact", "top_n", "last"] = "exact"


class ProcedureCountFact(_FactBase):
    kind: Literal["procedure_count"] = "procedure_count"
    count: int
    object: Literal["procedure", "online_service", "dossier"]
    level: Optional[Literal["2", "3", "4", "full", "partial"]] = None
    action: Optional[str] = None


class PercentageFact(_FactBase):
    kind: Literal["percentage"] = "percentage"
    value: float
    value_max: Optional[float] = None
    qualifier: Literal["exact", "over", "under", "approx"] = "exact"
    is_change: bool = False
    measure: Optional[str] = None


Fact = Annotated[
    Union[ScoreFact, RankFact, ProcedureCountFact, PercentageFact], Field(discriminator="kind")
]
FACT_ADAPTER: TypeAdapter[Any] = TypeAdapter(Fact)
KINDS: tuple[str, ...] = ("score", "rank", "procedure_count", "percentage")


class Source(_Strict):
    path: Optional[str] = None
    url: Optional[str] = None
    record: Optional[int] = Field(default=None, description="position inside an archive or JSON Lines file")


class ArticleRecord(_Strict):
    """One article and the facts found in it: one JSON line of output."""

    schema_version: str = SCHEMA_VERSION
    doc_id: str
    source: Source
    title: Optional[str] = None
    published: Optional[str] = None
    author: Optional[str] = None
    site: Optional[str] = None
    url: Optional[str] = None
    language: Optional[str] = None
    facts: list[Fact] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    text: Optional[str] = Field(default=None, description="cleaned text (with --with-text)")


def record_json_schema() -> dict[str, Any]:
    """JSON Schema of one output line, published by ``newsfacts schema``."""
    return ArticleRecord.model_json_schema()

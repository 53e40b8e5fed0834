"""Output records: the contract of ``shared/spec/facts.md`` as pydantic models.

Every line newsfacts writes is an :class:`ArticleRecord`; its ``facts`` are a
discriminated union on ``kind`` so that a consumer (or the published JSON
Schema) can validate each fact by its own fields.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter

SCHEMA_VERSION = "1.0"
# The article metadata every record carries, in this order (readers and cleaners fill them):
# the one list of them; ArticleRecord declares them in this order (a test holds the two equal)
# and the CLI's `clean`, the sinks' columns and the page reader take them from here.
META_FIELDS: tuple[str, ...] = ("title", "published", "published_precision", "author", "site", "url",
                                "language")

IndexCode = Literal[
    "PAR_INDEX", "SIPAS", "PAPI", "PCI", "DDCI", "DTI", "ICT_INDEX", "SERVICE_INDEX", "OTHER"
]
EvidenceKind = Literal[
    "sentence", "previous_sentence", "paragraph", "list", "title", "article", "publication_date"
]
# The subject strategies of ``link.subject.SUBJECT_STRATEGIES``, by name (a test keeps them equal).
SubjectRule = Literal[
    "table_row", "respectively", "owner_after", "adjacent", "ranked_item", "bracketed_agent", "bracketed_list_name",
    "aside", "rank_before", "part_opener", "leading_figure", "measure_owner",
    "clause_subject", "frame", "share_base", "head_population", "continued_clause", "named_population",
    "bare_reference", "previous_figure", "paragraph_frame", "previous_sentence", "consequence", "heading", "ranked_country", "main_subject",
    "first_mention",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Strict):
    """How each linked attribute was found, so an audit can question it."""

    subject: EvidenceKind | None = None
    subject_rule: SubjectRule | None = Field(
        default=None, description="the subject strategy that decided (README, Linking)")
    index: EvidenceKind | None = None
    component: EvidenceKind | None = None
    year: EvidenceKind | None = None


class _FactBase(_Strict):
    fact_id: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{16}-[0-9]+$",
        description="the document's key (16 hex digits) and the fact's place in the record: "
        "the same in every run and every output format; set on every fact of a record "
        "(a bare extract_from_text, which knows no document, leaves it None)")
    text: str = Field(description="the matched surface, equal to text[span[0]:span[1]]")
    span: tuple[int, int] = Field(description="[start, end) offsets in the cleaned article text")
    sentence: str
    rule: str = Field(description="id of the rule that produced the fact")
    subject: str | None = None
    subject_id: str | None = None
    index: IndexCode | None = None
    component: str | None = None
    year: int | None = None
    evidence: Evidence = Field(default_factory=Evidence)


class ScoreFact(_FactBase):
    kind: Literal["score"] = "score"
    value: float
    max: float | None = None
    unit: Literal["point", "percent"] = "point"


class RankFact(_FactBase):
    kind: Literal["rank"] = "rank"
    position: int | None = None
    out_of: int | None = None
    change: int | None = None
    scope: str | None = None
    qualifier: Literal["exact", "top_n", "last"] = "exact"


class ProcedureCountFact(_FactBase):
    kind: Literal["procedure_count"] = "procedure_count"
    count: int
    object: Literal["procedure", "online_service", "dossier"]
    level: Literal["2", "3", "4", "full", "partial"] | None = None
    action: str | None = None


class PercentageFact(_FactBase):
    kind: Literal["percentage"] = "percentage"
    value: float
    value_max: float | None = None
    qualifier: Literal["exact", "over", "under", "approx"] = "exact"
    is_change: bool = False
    measure: str | None = None


Fact = Annotated[
    ScoreFact | RankFact | ProcedureCountFact | PercentageFact, Field(discriminator="kind")
]
FACT_ADAPTER: TypeAdapter[Any] = TypeAdapter(Fact)
FACT_MODELS: tuple[type[_FactBase], ...] = get_args(get_args(Fact)[0])
# The fact kinds, in the order of the union: the one place they are written is each model's
# ``kind`` literal.
KINDS: tuple[str, ...] = tuple(model.model_fields["kind"].default for model in FACT_MODELS)


class Source(_Strict):
    path: str | None = None
    url: str | None = None
    record: int | None = Field(default=None, description="position inside an archive or JSON Lines file")


class Producer(_Strict):
    """What made a record: so that a dataset can say which tool and which rules it came from."""

    name: Literal["newsfacts"] = "newsfacts"
    version: str
    rules: str = Field(description="digest of every file of the rules root (as --version shows)")


class ArticleRecord(_Strict):
    """One article and the facts found in it: one JSON line of output."""

    schema_version: str = SCHEMA_VERSION
    producer: Producer | None = None
    doc_id: str
    source: Source
    title: str | None = None
    published: str | None = Field(
        default=None, description="ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS "
        "with the zone when the source gives or implies one (+07:00 for a Vietnamese page); "
        "None when the source gives no date newsfacts can read (a warning then quotes it)")
    published_precision: Literal["year", "month", "day", "hour", "minute", "second"] | None = Field(
        default=None, description="the part of the date the source stated: a 'day' is not "
        "midnight, a 'minute' has no seconds; None exactly when published is None")
    author: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None
    facts: list[Fact] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    text: str | None = Field(default=None, description="cleaned text (with --with-text)")
    # a digest of the cleaned text, for --dedupe; never serialised
    _text_digest: str | None = PrivateAttr(default=None)


def record_json_schema() -> dict[str, Any]:
    """JSON Schema of one output line, published by ``newsfacts schema``: the draft it is
    written in, and the one ``schema_version`` these lines carry (a ``const``, so that a
    validator tells a line of another version apart)."""
    schema = ArticleRecord.model_json_schema()
    schema["properties"]["schema_version"] = {
        **schema["properties"]["schema_version"], "const": SCHEMA_VERSION}
    for model in FACT_MODELS:  # every fact of a record has its id
        fact = schema["$defs"][model.__name__]
        fact["required"] = ["fact_id", *fact.get("required", [])]
        fact["properties"]["fact_id"] = {k: v for k, v in fact["properties"]["fact_id"].items()
                                         if k not in ("anyOf", "default")} | {
            "type": "string", "pattern": r"^[0-9a-f]{16}-[0-9]+$"}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def producer_columns() -> dict[str, type]:
    """The record's ``producer`` flattened for tables: ``producer_version``, ``producer_rules``."""
    return {"producer_version": str, "producer_rules": str}


def scalar_type(annotation: Any) -> type:
    """What a flat column holding a field of this annotation stores: ``int``, ``float``,
    ``bool`` or ``str`` (a literal, a string, anything else); ``X | None`` is ``X``'s, and a
    tuple (the span) its items'."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else str
    if get_origin(annotation) is tuple:
        annotation = get_args(annotation)[0]
    return annotation if annotation in (int, float, bool) else str


def source_columns() -> dict[str, type]:
    """The record's ``source`` flattened: ``source_path``, ``source_url``, ``source_record``."""
    return {f"source_{name}": scalar_type(f.annotation) for name, f in Source.model_fields.items()}


def fact_columns() -> dict[str, type]:
    """Every field any fact kind has, in model order, with what its column stores: ``kind``
    first, the span as ``span_start`` and ``span_end``, evidence as one ``evidence_<field>``
    column per field of :class:`Evidence`."""
    cols: dict[str, type] = {"kind": str}
    for model in FACT_MODELS:
        for name, f in model.model_fields.items():
            if name == "span":
                cols.setdefault("span_start", int)
                cols.setdefault("span_end", int)
            elif name != "evidence":
                cols.setdefault(name, scalar_type(f.annotation))
    cols.update({f"evidence_{name}": scalar_type(f.annotation)
                 for name, f in Evidence.model_fields.items()})
    return cols


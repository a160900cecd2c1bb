"""What every model of the contract shares: one strict, frozen base class, and the field types used
across endpoints (a lower-case hex SHA-256, a date-time with its offset).

One base so that no model of the contract can forget to refuse unknown keys or allow changes after parsing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="lower-case hex SHA-256")]
AwareDatetime = Annotated[datetime, Field(description="RFC 3339 date-time with offset (UTC)")]


class ContractModel(BaseModel):
    """Strict about unknown keys so that a typo on either side is an error, not silently ignored data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

"""What every model of the form definition format shares: frozen, no unknown keys, and the id pattern.

Why a module of its own: the form definition (:mod:`form_definition`) and its conditions
(:mod:`form_conditions`) are split for reading, and both need the same base.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class DefinitionModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

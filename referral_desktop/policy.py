"""Deployment policy (placeholder until the policy work lands)."""

"""Demand Workbook: funnel math and content-gap analysis for strategic demand-marketing engagements."""

__version__ = "0.1.0"

"""The evaluation app's models, split by purpose."""

from evaluation.models.indicators import Indicator, IndicatorDefinition, IndicatorTemplate
from evaluation.models.inputs import ProgramYearSettings, SatisfactionSurvey, ScoringPolicy, ScoringRule
from evaluation.models.monitoring import WarningRule
from evaluation.models.targets import TargetAdjustment, TargetTable, TargetTableVersion

__all__ = [
    "Indicator",
    "IndicatorDefinition",
    "IndicatorTemplate",
    "ProgramYearSettings",
    "SatisfactionSurvey",
    "ScoringPolicy",
    "ScoringRule",
    "TargetAdjustment",
    "TargetTable",
    "TargetTableVersion",
    "WarningRule",
]

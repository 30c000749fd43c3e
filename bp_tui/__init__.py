"""bp-tui: backpropagation one sub-step at a time.

The engine (this package minus bp_tui.app) never imports Textual, so it is quick to import and
usable from scripts and notebooks:

    import bp_tui
    scenario = bp_tui.load_scenario("mazur")
    result = bp_tui.train(scenario, epochs=10_000)
    result.errors[1]  # 0.29102777369359933
"""

from .engine.records import Step
from .engine.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from .engine.stepper import Stepper
from .engine.training import TrainResult, train

__all__ = ["Scenario", "ScenarioError", "Step", "Stepper", "TrainResult", "load_scenario",
           "parse_scenario", "train"]
__version__ = "0.1.0"

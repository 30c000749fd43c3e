"""The engine: scenario files, the network's maths, training, step records and the stepper.

Nothing here imports Textual, and numpy only for the large batch scenarios that use it. Modules
import only downwards, in this order: layout, scenario (and scenario_toml), network, the training
backends (kernel, vectorized), training, records (with phases, notation, update_records), stepper.
"""

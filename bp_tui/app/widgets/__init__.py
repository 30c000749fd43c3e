"""Widgets that render one part of the stepper state each."""

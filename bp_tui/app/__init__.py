"""The Textual app: renders the engine's state and sends it commands; no maths here."""

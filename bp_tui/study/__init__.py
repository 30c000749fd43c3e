"""Study features built on the engine: quiz answers, gradient checks, exports, files and the saved place.

They import the engine and never Textual; the app and the command line use them.
"""

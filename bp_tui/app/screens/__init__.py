"""Modal screens: help, open, quiz, gradient check."""

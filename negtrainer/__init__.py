"""negtrainer: a desktop role-play trainer for negotiation."""

__version__ = "0.1.0"

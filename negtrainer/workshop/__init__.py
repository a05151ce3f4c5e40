"""Facilitator workshops: exercises, participants, results files, the room's debrief.

Pure Python (no Qt): the command line and the window both drive it.
"""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "--negtrainer-voice-worker":
    # A frozen bundle has no `python -m`: the speech worker re-enters here.
    from negtrainer.voice.worker import main as worker_main

    raise SystemExit(worker_main(sys.argv[2:]))

if len(sys.argv) > 1 and sys.argv[1] == "--negtrainer-first-window":
    # The packaging smoke check's door into the real start-up (see gui/firstwindow.py).
    from negtrainer.gui.firstwindow import main as first_window

    raise SystemExit(first_window(sys.argv[2:]))

from negtrainer.cli import main

raise SystemExit(main())

import sys

if len(sys.argv) > 1 and sys.argv[1] == "--negtrainer-voice-worker":
    # A frozen bundle has no `python -m`: the speech worker re-enters here.
    from negtrainer.voice.worker import main as worker_main

    raise SystemExit(worker_main(sys.argv[2:]))

from negtrainer.cli import main

raise SystemExit(main())

from negtrainer.cli import main

raise SystemExit(main())

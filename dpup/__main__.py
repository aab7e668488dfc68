from dpup.cli import main

raise SystemExit(main())

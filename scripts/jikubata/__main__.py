from jikubata.entrypoints.cli import main

raise SystemExit(main())

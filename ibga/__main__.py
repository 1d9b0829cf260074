from ibga.cli import main

raise SystemExit(main())

from mock_server.proxy.cli import main

raise SystemExit(main())

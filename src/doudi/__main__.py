from doudi.cli import main

main()

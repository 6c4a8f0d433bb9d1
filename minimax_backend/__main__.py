"""Entry point of `python -m minimax_backend`."""
import sys

from dotenv import load_dotenv

from .cli import main

if __name__ == "__main__":
    load_dotenv()
    sys.exit(main())

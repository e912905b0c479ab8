import sys
from pathlib import Path

# The tests import their shared builders as `factories`.
sys.path.insert(0, str(Path(__file__).resolve().parent))

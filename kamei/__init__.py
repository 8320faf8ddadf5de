"""kamei: shared foundations (version, the error tree) used by every layer.

The layers themselves live in the top-level packages fixed by the design card:
``connectors`` (platform APIs and their fakes), ``sync`` (privacy boundary and
incremental algorithm), ``store`` (encrypted SQLite and the keyring) and ``cli``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

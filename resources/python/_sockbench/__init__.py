"""The Socket Workbench's backend: runs a program on the real python3, stepped line by line,
with every socket call performed by the workbench (see docs/backend-protocol.md)."""

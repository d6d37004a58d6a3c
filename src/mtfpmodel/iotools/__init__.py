"""Everything that reads or writes files lives here; the engine never touches a file."""

"""Team work (Qt-free): merging coders' copies, agreement, adjudication, publishing."""

"""The map's clusters: three ways to answer a viewport, the same bytes from each.

- ``grouping``: SQL groups the cameras in view on every request. Always correct; it answers
  while the precomputed data is stale, and for the filters nothing else holds (the operator).
- ``cells``: every cell of zooms 0 to 15 grouped ahead of time in ``mapdata_clustercell``, per
  type, zone and dataset, so that a low zoom reads a few thousand rows, not every camera. It
  also holds the staleness flag and the rebuild (a background task) that writes both stores.
- ``index``: the same cameras and cells in memory-mapped arrays, shared by the worker
  processes and answered by one compiled call (``kernel``), without a query per viewport.
  The view asks it first, and the SQL path (grouping, reading cells when it can) otherwise.
``common`` holds what they share: the grid, the viewport, the rule of single cameras, the JSON.
Imports go one way: grouping → cells → index → kernel, and each of them → common.
"""

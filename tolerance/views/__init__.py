"""Pages of the tolerance workflow, one small module per page or concern.

Views reach cases only through tolerance.permissions (404 for missing and forbidden alike)
and change them only through one tolerance service per request.
"""

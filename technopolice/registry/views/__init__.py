"""Registry views, one module per audience: browse.py and the place, catalogue and record pages
for visitors; contribute.py and history.py for contributors and moderators."""

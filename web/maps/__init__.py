"""The gap map (folium): Chongqing's districts from the seed boundaries, a chain's coverage, makers, leads and projects.

Everything the map's document loads comes from the app (Leaflet in web/static/vendor/), and the
tile layer is configurable, down to none at all for an intranet with no internet.
"""

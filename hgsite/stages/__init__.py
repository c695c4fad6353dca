"""The build's stages, one module each, in the order build.py calls them: index, images, videos,
places, database, similar, site. Each is a function from what it needs to the plain records it returns."""

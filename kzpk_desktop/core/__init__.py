"""The pure core: corpus import, storage, annotations, export. Never imports Qt."""

